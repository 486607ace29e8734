"""How long free text may be (issue 9: a 1 MB case note was accepted).

- A box of several lines (a case note, a summary, a rationale): 20,000 characters, about 3,300 words or seven
  pages of A4. That is longer than any note or section of an assessment written by hand in one sitting; anything
  longer is a document and belongs in an attachment. Pages stay quick to show and print.
- A one-line box (a name, a job title, an organisation, a reference): 500 characters, several times the longest
  such value, and the database columns behind them are shorter still where they have their own limit.

Forms apply these to every text box (core.forms.save_or_show); services check them again for their free text.
"""

from __future__ import annotations

LONG_TEXT = 20_000
SHORT_TEXT = 500


def too_long(label: str, value: str, limit: int) -> str | None:
    """The message for text over its limit, naming the field and the limit, or None.

    >>> too_long("Note", "x" * 20_001, LONG_TEXT)
    'Note must be 20,000 characters or fewer; it has 20,001'
    """
    if value is None or len(value) <= limit:
        return None
    return f"{label[:1].upper()}{label[1:]} must be {limit:,} characters or fewer; it has {len(value):,}"
