"""Returns keep no copy of the record: what they hold is the files people made from it (see core.Job)."""
