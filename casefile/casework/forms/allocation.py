"""Forms for the allocation part of the child's journey."""
