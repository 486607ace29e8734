"""The child's voice at visits and assessments: how the child was heard must agree with whether they were seen.
Shared by casework/services/plans.py (visits) and casework/services/episodes.py (assessments); docs/childs-voice.md."""

from __future__ import annotations

from casefile.casework.models import HeardHow
from casefile.core.services import Errors


def check_heard_how(errors: Errors, name: str, child_seen: bool | None, heard_how: str, *,
                    required: bool = True, field: str = "heard_how") -> None:
    """`heard_how` is one of the list and agrees with `child_seen`; when `required`, a child seen must have it.
    `name` is how the message names the child ("Lily", or "the child")."""
    if heard_how and heard_how not in HeardHow.values:
        errors.add(field, f"Select how you heard {name}: one of the options listed")
    elif child_seen is True and not heard_how and required:
        errors.add(field, f"Select how you heard {name}: talking with them, direct work or observation")
    elif child_seen is True and heard_how == HeardHow.NOT_SEEN:
        errors.add(field, f"{name[0].upper()}{name[1:]} was seen: select how you heard them, or answer no to "
                          f"whether they were seen")
    elif child_seen is False and heard_how and heard_how != HeardHow.NOT_SEEN:
        errors.add(field, f"{name[0].upper()}{name[1:]} was not seen, so ‘{HeardHow(heard_how).label}’ cannot be how "
                          f"you heard them: select ‘{HeardHow.NOT_SEEN.label}’")
