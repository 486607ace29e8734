"""A person's chronology: every event recorded about them, newest first, with the workers' analysis.

The chronology belongs to casework (ADR 0009). It is derived, never stored: each app registers providers in
its AppConfig.ready() (`registry.register`), each reading one kind of record in one query and yielding events
with a stable key such as "visit:42". Casework registers the child's journey and the person's own record
(people sits below casework and cannot); the front door registers contacts, decisions and police
notifications; a later app (oversight, quality) registers its own the same way. The only thing kept is what
workers add (casework.ChronologyNote: whether an event is significant, and their analysis), keyed by the
event's key. The kept record's chronology includes the records merged into them (ADR 0006).

Read it with `chronology(person)` (events) or `entries(person)` (events with notes); a page shows
`entries_shown_to(user, person)`, which keeps from a partner agency what its share does not name. `Filters` narrows
it and `save_note` is the write.
"""

from casefile.casework.chronology.notes import (
    ANALYSIS_MAX_LENGTH,
    Entry,
    Filters,
    entries,
    entries_shown_to,
    find_entry,
    save_note,
)
from casefile.casework.chronology.registry import (
    EVENT_TYPES,
    OTHER,
    PROVIDERS,
    ChronologyEvent,
    Scope,
    chronology,
    excerpt,
    register,
    scope_for,
)

__all__ = ["ANALYSIS_MAX_LENGTH", "EVENT_TYPES", "OTHER", "PROVIDERS", "ChronologyEvent", "Entry", "Filters", "Scope",
           "chronology", "entries", "entries_shown_to", "excerpt", "find_entry", "register", "save_note", "scope_for"]
