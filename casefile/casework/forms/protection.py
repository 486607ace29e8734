"""Forms for the protection part of the child's journey."""
