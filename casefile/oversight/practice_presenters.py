"""Tables for the practice-quality pages: signals with counts, teams and workers, children and their findings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from casefile.core.presenters import govuk_date, plural, table_params
from casefile.oversight.signals import Tally
from casefile.rules.signals import SIGNALS, Evidence, Finding

EVIDENCE_LABELS = {"person": "Record", "episode": "Episode", "assessment": "Assessment",
                   "strategy_discussion": "Strategy discussion", "conference": "Conference", "plan": "Plan",
                   "review": "Review", "visit": "Visit", "case_note": "Case note", "allocation": "Allocation"}


def _query(**params) -> str:
    return urlencode({name: value for name, value in params.items() if value not in (None, "")})


def children_href(scope: dict, signal: str = "") -> str:
    return f"{reverse('oversight:practice_children')}?{_query(**scope, signal=signal)}"


def signals_table(total: Tally, scope: dict) -> dict:
    """Each signal with the number of children it was found for, linking to those children."""
    rows = []
    for code, signal in SIGNALS.items():
        count = total.by_signal[code]
        name = format_html('<a class="govuk-link" href="{}">{}</a>', children_href(scope, code), signal.name) \
            if count else signal.name
        rows.append([name, signal.description, count])
    return table_params(caption="Signals", head=["Signal", "What it means", "Children"], rows=rows, numeric=(2,))


def holders_table(caption: str, first: str, tallies: dict[int, Tally], names: dict[int, str], param: str) -> dict:
    """Teams or workers: children held, children with any signal (linking to them), and the most found signal."""
    rows = []
    for key in sorted(tallies, key=lambda pk: names.get(pk, "")):
        tally = tallies[key]
        link = format_html('<a class="govuk-link" href="{}?{}">{}</a>', reverse("oversight:practice_quality"),
                           _query(**{param: key}), names.get(key, "Unknown"))
        children = format_html('<a class="govuk-link" href="{}">{}</a>', children_href({param: key}),
                               tally.with_signals) if tally.with_signals else 0
        common = tally.by_signal.most_common(1)
        rows.append([link, tally.children, children, SIGNALS[common[0][0]].name if common else "None"])
    return table_params(caption=caption, head=[first, "Children", "Children with a signal", "Most found"],
                        rows=rows, numeric=(1, 2))


def children_table(rows) -> dict:
    """One row per child: name (to the child's signals), worker, team, and the signals found."""
    return table_params(
        caption="Children", caption_classes="govuk-visually-hidden",
        head=["Child", "Worker", "Team", "Signals"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>',
                           reverse("oversight:child_signals", kwargs={"person_id": row.child.pk}),
                           row.child.display_name),
               row.worker, row.team, ", ".join(sorted({SIGNALS[f.code].name for f in row.findings}))]
              for row in rows])


def evidence_href(person_id: int, evidence: Evidence) -> str:
    kind, pk = evidence.kind, evidence.id
    if kind == "person":
        return reverse("people:record", kwargs={"person_id": person_id})
    if kind == "allocation":
        return reverse("casework:allocation", kwargs={"person_id": person_id})
    if kind == "review":
        return reverse("casework:review", kwargs={"person_id": person_id, "plan_id": evidence.plan_id,
                                                  "review_id": pk})
    return reverse(f"casework:{kind}", kwargs={"person_id": person_id, f"{kind}_id": pk})


def _evidence_links(person_id: int, finding: Finding):
    """Links to each record the finding points at; the signal's name, hidden, tells the links apart."""
    hidden = SIGNALS[finding.code].name.lower()
    return format_html_join(
        " ", '<a class="govuk-link" href="{}">{} {}<span class="govuk-visually-hidden"> ({})</span></a>',
        ((evidence_href(person_id, evidence), EVIDENCE_LABELS[evidence.kind], number, hidden)
         for number, evidence in enumerate(finding.evidence, start=1)))


def findings_table(person_id: int, findings: list[Finding]) -> dict:
    return table_params(
        caption="Signals for this child", caption_classes="govuk-visually-hidden",
        head=["Signal", "What the record shows", "Since", "Evidence"],
        rows=[[SIGNALS[f.code].name, f.explanation, "Still open" if f.current else govuk_date(f.day),
               _evidence_links(person_id, f)] for f in findings])


def findings_summary(findings: list[Finding]) -> str:
    """The record page's panel: "2 signals: Late recording, Visits outside the standard"."""
    names = sorted({SIGNALS[f.code].name for f in findings})
    return f"{plural(len(names), 'signal')}: {', '.join(names)}" if names else ""
