"""The self-evaluation pack's figures, worked out from plain rows (no Django, no clock): the key indicators against
England and the statistical neighbours (the figures analysts entered, passed in as `rules.neighbours.Figure`s), case
file audit findings by practice area and their measured impact, quality signals by kind, and what has changed since
the last pack.

Everything here returns JSON-ready values (numbers rounded as the DfE publishes them, to one decimal place), so a
pack keeps its headline figures (`SelfEvaluationPack.figures`) and the next one compares with them (`changes`).
insight/pack_record.py reads the rows from the record and insight/neighbours.py the neighbours' figures;
insight/tasks.py runs them and lays out the PDF.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from casefile.rules.audit_grades import GOOD, GRADES, OUTSTANDING
from casefile.rules.audit_impact import DECLINED, IMPROVED, SAME, Summary
from casefile.rules.indicators import Indicator, Period, Result, Unit
from casefile.rules.indicators.published import NEIGHBOUR_NOTE, latest
from casefile.rules.neighbours import Figure, for_period

GOOD_OR_BETTER = frozenset({OUTSTANDING, GOOD})


@dataclasses.dataclass(frozen=True)
class AuditRow:
    """A case file audit completed in the period, with its overall grade ("" when none was given)."""

    audit: int
    overall_grade: str


@dataclasses.dataclass(frozen=True)
class GradeRow:
    """One section of a completed audit: its practice area and its grade ("" when not graded)."""

    audit: int
    area: str
    grade: str


@dataclasses.dataclass(frozen=True)
class ActionRow:
    """An action set by a completed audit: when it is due, and when it was done (None while it is not)."""

    due: datetime.date
    completed: datetime.date | None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(part: int, whole: int) -> float | None:
    return _round(100 * part / whole) if whole else None


# Key indicators ----------------------------------------------------------------------------------------------


def compared(indicator: Indicator, value: float | None, england: float | None) -> str:
    """"better", "worse" or "same" than England, as the indicator's polarity reads it; "" when it cannot be said."""
    if value is None or england is None or indicator.higher_is_better is None:
        return ""
    if round(value, 1) == round(england, 1):
        return "same"
    return "better" if (value > england) == indicator.higher_is_better else "worse"


def _difference(indicator: Indicator, value: float | None, other: float | None) -> float | None:
    """Ours less theirs; None for a count, as an authority's referrals less England's say nothing."""
    if value is None or other is None or indicator.unit is Unit.COUNT:
        return None
    return _round(value - other)


def neighbour_figure(indicator: Indicator, result: Result, figures: Sequence[Figure]) -> dict | None:
    """The neighbours' figure for the period's year, else the latest year entered before it (`year` against
    `wanted`), with the difference and whether ours is better or worse; None when none is entered."""
    found = for_period(list(figures), result.period.end)
    if found is None:
        return None
    value, theirs = _round(result.value), _round(float(found.figure.value))  # a Decimal is not JSON
    return {"value": theirs, "year": found.figure.year, "wanted": found.wanted, "group": found.figure.group,
            "source": found.figure.source, "difference": _difference(indicator, value, theirs),
            "compared": compared(indicator, value, theirs)}


def indicator_figures(results: Sequence[tuple[Indicator, Result]],
                      neighbours: Mapping[str, Sequence[Figure]]) -> list[dict]:
    """Each indicator's figure for the period, the latest published England figure, the difference and whether
    it is better or worse, and the same against the statistical neighbours' figure (`neighbours`: every figure
    entered, by indicator, as insight/neighbours.py `by_indicator` reads them)."""
    rows = []
    for indicator, result in results:
        published = latest(indicator.code)
        value = _round(result.value)
        england = published.value if published else None
        rows.append({
            "code": indicator.code, "title": indicator.title, "unit": indicator.unit.value, "value": value,
            "numerator": result.numerator, "denominator": result.denominator,
            "no_figure": result.no_figure if result.value is None else "",
            "england": None if published is None else {
                "value": published.value, "year": published.year, "table": published.table, "url": published.url,
                "derived": published.derived},
            "difference": _difference(indicator, value, england),
            "compared": compared(indicator, value, england),
            "neighbours": neighbour_figure(indicator, result, neighbours.get(indicator.code, ())),
        })
    return rows


# Case file audits ----------------------------------------------------------------------------------------------


def grade_counts(grades: Iterable[str]) -> dict[str, int]:
    """Each grade on the scale, best first, with how many; ungraded ones are left out."""
    counted = Counter(grades)
    return {grade: counted.get(grade, 0) for grade, _ in GRADES}


def audit_findings(audits: Sequence[AuditRow], sections: Sequence[GradeRow],
                   areas: Sequence[tuple[str, str]]) -> dict:
    """The grades given, overall and for each practice area (in the order `areas` gives, only those graded), with
    the share graded good or outstanding of those graded."""
    by_area: dict[str, list[str]] = {}
    for row in sections:
        if row.grade:
            by_area.setdefault(row.area, []).append(row.grade)
    labels = dict(areas)
    rows = []
    for area, _ in areas:
        grades = by_area.get(area, [])
        if grades:
            good = sum(grade in GOOD_OR_BETTER for grade in grades)
            rows.append({"area": area, "label": labels[area], "grades": grade_counts(grades), "graded": len(grades),
                         "good_or_better": good, "good_or_better_percent": _percent(good, len(grades))})
    every = [grade for grades in by_area.values() for grade in grades]
    overall = [row.overall_grade for row in audits if row.overall_grade]
    good_overall = sum(grade in GOOD_OR_BETTER for grade in overall)
    return {
        "completed": len(audits), "overall": grade_counts(overall), "overall_graded": len(overall),
        "overall_good_or_better_percent": _percent(good_overall, len(overall)),
        "sections_graded": len(every),
        "sections_good_or_better_percent": _percent(sum(grade in GOOD_OR_BETTER for grade in every), len(every)),
        "by_area": rows,
    }


def action_impact(actions: Sequence[ActionRow], end: datetime.date) -> dict:
    """What the audits' actions came to by the end of the period: done by their due date, done late, overdue and
    not done, not yet due. An action done after the period ends counts as not done by then."""
    on_time = late = overdue = not_due = 0
    for action in actions:
        done = action.completed is not None and action.completed <= end
        if done and action.completed <= action.due:
            on_time += 1
        elif done:
            late += 1
        elif action.due < end:
            overdue += 1
        else:
            not_due += 1
    done = on_time + late
    return {"set": len(actions), "on_time": on_time, "late": late, "overdue": overdue, "not_yet_due": not_due,
            "on_time_percent": _percent(on_time, done + overdue)}


def _impact(summary: Summary) -> dict:
    return {"improved": summary.improved, "same": summary.same, "declined": summary.declined,
            "re_audits": summary.total, "improved_percent": _round(summary.share(IMPROVED)),
            "same_percent": _round(summary.share(SAME)), "declined_percent": _round(summary.share(DECLINED)),
            "mean_steps": None if summary.mean_steps is None else round(summary.mean_steps, 2)}


def re_audit_impact(overall: Summary, by_area: Sequence[tuple[str, Summary]],
                    areas: Sequence[tuple[str, str]]) -> dict:
    """The audits' measured impact: of the re-audits completed in the period, how many gave a better, the same or
    a worse overall grade than the audit before, and the same for each practice area graded at both."""
    labels = dict(areas)
    return {**_impact(overall),
            "by_area": [{"area": area, "label": labels.get(area, area), **_impact(summary)}
                        for area, summary in by_area]}


# Quality signals ----------------------------------------------------------------------------------------------


def signal_counts(by_signal: Mapping[str, int], names: Mapping[str, str], children: int, with_signals: int) -> dict:
    """Children held and with any signal, and for each signal (in `names` order) the children it was found for."""
    return {"children": children, "with_signals": with_signals,
            "with_signals_percent": _percent(with_signals, children),
            "by_signal": [{"code": code, "name": name, "children": by_signal.get(code, 0)}
                          for code, name in names.items()]}


# The pack --------------------------------------------------------------------------------------------------


def assemble(period: Period, *, indicators: Sequence[tuple[Indicator, Result]],
             neighbours: Mapping[str, Sequence[Figure]], audits: Sequence[AuditRow], sections: Sequence[GradeRow],
             areas: Sequence[tuple[str, str]], actions: Sequence[ActionRow],
             re_audits: tuple[Summary, Sequence[tuple[str, Summary]]], signals: dict) -> dict:
    """Every headline figure of the pack, as JSON. `neighbours` is every statistical neighbours' figure entered, by
    indicator; `re_audits` is the overall summary of the re-audits completed in the period and each practice
    area's."""
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "indicators": indicator_figures(indicators, neighbours), "neighbour_note": NEIGHBOUR_NOTE,
        "audits": audit_findings(audits, sections, areas), "actions": action_impact(actions, period.end),
        "re_audits": re_audit_impact(*re_audits, areas), "signals": signals,
    }


def _measures(figures: Mapping) -> dict[str, tuple[str, float | None, str]]:
    """The figures a pack compares with the last, by a stable key: (what it is, its value, its unit)."""
    found: dict[str, tuple[str, float | None, str]] = {}
    for row in figures.get("indicators", []):
        found[f"indicator:{row['code']}"] = (row["title"], row["value"], row["unit"])
    audits, actions, signals = figures.get("audits", {}), figures.get("actions", {}), figures.get("signals", {})
    if audits:
        found["audits:completed"] = ("Case file audits completed", audits["completed"], "count")
        found["audits:sections_good"] = ("Audited sections graded good or outstanding",
                                         audits["sections_good_or_better_percent"], "percent")
    if actions:
        found["actions:set"] = ("Actions set by audits", actions["set"], "count")
        found["actions:on_time"] = ("Audit actions done on time", actions["on_time_percent"], "percent")
    re_audits = figures.get("re_audits", {})
    if re_audits:
        found["re_audits:completed"] = ("Re-audits completed", re_audits["re_audits"], "count")
        found["re_audits:improved"] = ("Re-audits with a better overall grade", re_audits["improved_percent"],
                                       "percent")
    if signals:
        found["signals:with_signals"] = ("Children with any quality signal", signals["with_signals"], "count")
        for row in signals.get("by_signal", []):
            found[f"signal:{row['code']}"] = (row["name"], row["children"], "count")
    return found


def changes(current: Mapping, previous: Mapping | None) -> list[dict]:
    """Each headline figure now and in the last pack, and the change (now less then); None where either pack has
    no figure. Empty when there is no last pack."""
    if not previous:
        return []
    before = _measures(previous)
    rows = []
    for key, (what, now, unit) in _measures(current).items():
        then = before.get(key, (what, None, unit))[1]
        change = _round(now - then) if now is not None and then is not None else None
        rows.append({"key": key, "measure": what, "unit": unit, "before": then, "now": now, "change": change})
    return rows
