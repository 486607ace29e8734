"""The child's contact, referral and re-referral history, shown to the manager who signs off a closure.

The front door builds the history panel (frontdoor/history.py, the one its contact pages show) and registers it
here from its AppConfig.ready(): casework sits below the front door, so it asks through this hook rather than
importing it. What the manager was shown is kept as counts (`Shown.counts`): the sign-off page posts them back
(`as_text`), the service works them out again and refuses a sign-off whose history changed or was never shown,
and the episode keeps them (`Episode.closure_history_shown`), so a closure signed off without the history is
found later (the `closure_history_not_shown` signal, rules/signals.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

# The counts kept, in the order the posted text gives them.
COUNTED = ("contacts", "referrals", "re_referrals", "closures")


@dataclass(frozen=True)
class Shown:
    counts: dict[str, int]  # every key of COUNTED
    html: Markup  # the panel, as the page shows it (rendered by its own template)

    @property
    def as_text(self) -> str:
        """What the form posts back: "contacts=2;referrals=3;re_referrals=1;closures=2"."""
        return ";".join(f"{key}={self.counts[key]}" for key in COUNTED)


Builder = Callable[..., Shown]  # builder(child, today) -> Shown
_builders: list[Builder] = []


def register(builder: Builder) -> None:
    """Called from the front door's AppConfig.ready(): the last one registered is used."""
    _builders.append(builder)


def history_shown(child, today: datetime.date) -> Shown | None:
    """The child's history as the sign-off page shows it, or None when no app builds it."""
    return _builders[-1](child, today) if _builders else None
