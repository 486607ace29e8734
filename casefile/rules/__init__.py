"""Domain rules that need no database: identifiers, code lists, name matching, working days and
statutory clocks.

Nothing in this package may import Django; `tests/test_no_django.py` enforces it, so the rules can be
tested, reused by batch tools and reasoned about on their own.
"""
