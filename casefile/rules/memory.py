"""Memory-handling helpers for code that builds millions of small rows: returns, the indicators' record."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many rows are built or read (nested uses are fine).

    A return or ten years of the record is hundreds of thousands to millions of small dicts and tuples, none in a
    reference cycle; while they pile up the collector keeps re-scanning all of them, which cost about a quarter of
    the time of reading, writing and validating 50,000 children. Pausing it only delays collecting cycles (there
    are none here); it is turned back on afterwards unless it was already off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
