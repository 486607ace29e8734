"""Casework writes, one module per part of the journey (episodes, protection, plans, allocation)."""
