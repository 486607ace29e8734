"""Forms for the episodes part of the child's journey."""
