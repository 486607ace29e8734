"""Moved: the chronology belongs to casework (casefile/casework/chronology/, ADR 0009).

These names are kept only so work begun before the move still imports; new code imports
casefile.casework.chronology. Remove this module once nothing imports it.
"""

from casefile.casework.chronology import (  # noqa: F401
    ANALYSIS_MAX_LENGTH,
    EVENT_TYPES,
    PROVIDERS,
    ChronologyEvent,
    Entry,
    Filters,
    Scope,
    chronology,
    entries,
    excerpt,
    find_entry,
    save_note,
    scope_for,
)
