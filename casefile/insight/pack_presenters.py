"""Wording and tables for the self-evaluation pack: its PDF (from the figures insight/pack.py assembled and the pack
keeps) and its pages (the list of packs)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, govuk_datetime, plural, table_params
from casefile.insight.presenters import NOT_ENTERED, bar_chart, neighbour_cell, number, value_text
from casefile.rules.audit_grades import GRADES
from casefile.rules.indicators import Unit

CANNOT_BE_COMPARED = "Cannot be compared"


def period_text(figures: dict) -> str:
    start, end = (datetime.date.fromisoformat(figures["period"][name]) for name in ("start", "end"))
    return f"{govuk_date(start)} to {govuk_date(end)}"


def measure_text(unit: str, value: float | None) -> str:
    """A headline figure with its unit: an indicator's own unit, a percentage or a count."""
    if unit in {u.value for u in Unit}:
        return value_text(Unit(unit), value)
    if value is None:
        return "No figure"
    return f"{number(value)}%" if unit == "percent" else number(value)


def change_text(unit: str, change: float | None) -> str:
    if change is None:
        return "Cannot be compared"
    if change == 0:
        return "No change"
    sign = "+" if change > 0 else "−"
    points = " percentage points" if unit in ("percent", Unit.PERCENT.value) else ""
    return f"{sign}{number(abs(change))}{points}"


def compared_text(compared: str, with_whom: str) -> str:
    """"Better than England", "Worse than neighbours": `compared` as insight/pack.py `compared` gives it."""
    wording = {"better": "Better than", "worse": "Worse than", "same": "The same as"}.get(compared)
    return f"{wording} {with_whom}" if wording else CANNOT_BE_COMPARED


def neighbours_cells(row: dict) -> list[str]:
    """The neighbours' figure with its year, and how this authority compares; a pack made before the pack read the
    neighbours' figures keeps None for each, as does one with none entered."""
    found = row.get("neighbours")
    if found is None:
        return [NOT_ENTERED, CANNOT_BE_COMPARED]
    return [neighbour_cell(Unit(row["unit"]), found["value"], found["year"], found["wanted"]),
            compared_text(found["compared"], "neighbours")]


def indicators_table(figures: dict) -> dict:
    rows = []
    for row in figures["indicators"]:
        england = row["england"]
        rows.append([
            row["title"], measure_text(row["unit"], row["value"]),
            f"{measure_text(row['unit'], england['value'])} ({england['year']})" if england else "None published",
            change_text(row["unit"], row["difference"]), compared_text(row["compared"], "England"),
            *neighbours_cells(row)])
    return table_params(caption="Key indicators against England and statistical neighbours", id="pack-indicators",
                        head=["Indicator", "This authority", "England (year)", "Difference from England",
                              "Compared with England", "Statistical neighbours (year)", "Compared with neighbours"],
                        rows=rows, first_cell_is_header=True, caption_classes="govuk-table__caption--s")


def indicator_sources(figures: dict) -> list[str]:
    """Where each England figure and each neighbours' figure came from, indicator by indicator."""
    lines = []
    for row in figures["indicators"]:
        england, neighbours = row["england"], row.get("neighbours")
        if england:
            lines.append(f"{row['title']}: England figure from {england['table']}, {england['url']}"
                         + (" (worked out from the published counts)" if england["derived"] else ""))
        if neighbours:
            lines.append(f"{row['title']}: statistical neighbours’ figure for {neighbours['year']}, the average of "
                         f"{neighbours['group']}, from {neighbours['source']}")
    return lines


def grades_chart(figures: dict):
    overall = figures["audits"]["overall"]
    points = [(label.split(" to be")[0], overall[grade], f"{overall[grade]:,}", f"{overall[grade]:,}")
              for grade, label in GRADES]
    return bar_chart("pack-grades", "Overall grades of the case file audits completed", points, width=560)


def grades_table(figures: dict) -> dict:
    overall = figures["audits"]["overall"]
    return table_params(caption="Overall grades of the case file audits completed", id="pack-grades-table",
                        head=["Grade", "Audits"], numeric=(1,), first_cell_is_header=True,
                        caption_classes="govuk-table__caption--s",
                        rows=[[label, f"{overall[grade]:,}"] for grade, label in GRADES])


def areas_table(figures: dict) -> dict:
    rows = [[row["label"], *(f"{row['grades'][grade]:,}" for grade, _ in GRADES), f"{row['graded']:,}",
             measure_text("percent", row["good_or_better_percent"])] for row in figures["audits"]["by_area"]]
    return table_params(caption="Sections graded, by practice area", id="pack-areas",
                        head=["Practice area", *(label for _, label in GRADES), "Sections graded",
                              "Good or outstanding"],
                        numeric=tuple(range(1, len(GRADES) + 3)), rows=rows, first_cell_is_header=True,
                        caption_classes="govuk-table__caption--s")


def actions_table(figures: dict) -> dict:
    actions = figures["actions"]
    rows = [["Actions set by the audits", actions["set"]], ["Done by the date they were due", actions["on_time"]],
            ["Done late", actions["late"]], ["Overdue and not done at the end of the period", actions["overdue"]],
            ["Not yet due at the end of the period", actions["not_yet_due"]]]
    return table_params(caption="Actions from the audits", id="pack-actions", head=["Actions", "Number"],
                        numeric=(1,), first_cell_is_header=True, caption_classes="govuk-table__caption--s",
                        rows=[[what, f"{count:,}"] for what, count in rows])


RE_AUDIT_HEAD = ["Improved", "The same", "Declined", "Re-audits"]


def _re_audit_cells(row: dict) -> list[str]:
    return [f"{row['improved']:,}", f"{row['same']:,}", f"{row['declined']:,}", f"{row['re_audits']:,}"]


def re_audit_tables(figures: dict) -> tuple[dict, dict | None] | None:
    """The overall grade at re-audit against the audit before, and each practice area's; None when no re-audit was
    completed in the period."""
    re_audits = figures["re_audits"]
    if not re_audits["re_audits"]:
        return None
    overall = table_params(caption="Overall grade at re-audit, against the audit before", id="pack-re-audits",
                           head=RE_AUDIT_HEAD, numeric=(0, 1, 2, 3), caption_classes="govuk-table__caption--s",
                           rows=[_re_audit_cells(re_audits)])
    areas = table_params(caption="Section grades at re-audit, by practice area", id="pack-re-audit-areas",
                         head=["Practice area", *RE_AUDIT_HEAD], numeric=(1, 2, 3, 4), first_cell_is_header=True,
                         caption_classes="govuk-table__caption--s",
                         rows=[[row["label"], *_re_audit_cells(row)] for row in re_audits["by_area"]])
    return overall, areas if re_audits["by_area"] else None


def re_audit_text(figures: dict) -> str:
    re_audits = figures["re_audits"]
    if not re_audits["re_audits"]:
        return ("No re-audit was completed in the period, so no change in grade can be measured yet. A re-audit "
                "grades a child’s file again with the same tool once the audit’s actions are done.")
    return (f"{plural(re_audits['re_audits'], 're-audit')} completed in the period: "
            f"{measure_text('percent', re_audits['improved_percent'])} gave a better overall grade than the audit "
            f"before, {measure_text('percent', re_audits['same_percent'])} the same and "
            f"{measure_text('percent', re_audits['declined_percent'])} a worse one (a mean change of "
            f"{re_audits['mean_steps']:+.2f} steps on Ofsted’s four-point scale).")


def signals_table(figures: dict) -> dict:
    return table_params(caption="Children with each quality signal", id="pack-signals",
                        head=["Signal", "Children"], numeric=(1,), first_cell_is_header=True,
                        caption_classes="govuk-table__caption--s",
                        rows=[[row["name"], f"{row['children']:,}"] for row in figures["signals"]["by_signal"]])


def changes_table(rows: list[dict]) -> dict:
    return table_params(caption="What has changed since the last pack", id="pack-changes",
                        head=["Measure", "Last pack", "This pack", "Change"], numeric=(1, 2, 3),
                        first_cell_is_header=True, caption_classes="govuk-table__caption--s",
                        rows=[[row["measure"], measure_text(row["unit"], row["before"]),
                               measure_text(row["unit"], row["now"]), change_text(row["unit"], row["change"])]
                              for row in rows])


def pdf_context(figures: dict, changes: list[dict], previous) -> dict:
    audits, actions, signals = figures["audits"], figures["actions"], figures["signals"]
    return {
        "period": period_text(figures), "indicators_table": indicators_table(figures),
        "sources": indicator_sources(figures), "neighbour_note": figures["neighbour_note"],
        "audits_completed": plural(audits["completed"], "case file audit"),
        "sections_good": measure_text("percent", audits["sections_good_or_better_percent"]),
        "grades_chart": grades_chart(figures), "grades_table": grades_table(figures),
        "areas_table": areas_table(figures) if audits["by_area"] else None,
        "actions_table": actions_table(figures),
        "on_time": measure_text("percent", actions["on_time_percent"]),
        "re_audit_text": re_audit_text(figures), "re_audit_tables": re_audit_tables(figures),
        "signal_children": plural(signals["children"], "child", "children"),
        "with_signals": plural(signals["with_signals"], "child", "children"),
        "signals_table": signals_table(figures),
        "changes_table": changes_table(changes) if changes else None,
        "previous": (f"the pack for {period_text(previous.figures)}, made on {govuk_date(previous.created.date())}"
                     if previous else ""),
    }


# The list of packs -----------------------------------------------------------------------------------------------


def packs_table(packs, user) -> dict:
    """Each pack: its period, who asked and when, and what can be done with it now."""
    rows = []
    for pack in packs:
        if pack.status == pack.Status.DONE:
            action = format_html('<a class="govuk-link" href="{}">Download<span class="govuk-visually-hidden"> the '
                                 'pack for {}</span></a>', reverse("insight:pack_download", args=[pack.pk]),
                                 _period(pack))
        elif pack.job_id and pack.requested_by_id == user.pk:
            action = format_html('<a class="govuk-link" href="{}">See its progress<span class="govuk-visually-hidden">'
                                 ' for the pack for {}</span></a>', reverse("core:job", args=[pack.job_id]),
                                 _period(pack))
        else:
            action = pack.error if pack.status == pack.Status.FAILED else ""
        rows.append([_period(pack), str(pack.requested_by), govuk_datetime(pack.created), pack.get_status_display(),
                     action])
    return table_params(caption="Self-evaluation packs", caption_classes="govuk-visually-hidden", id="packs",
                        head=["Period", "Asked for by", "Asked for on", "Status", "The pack"], rows=rows)


def _period(pack) -> str:
    return f"{govuk_date(pack.period_start)} to {govuk_date(pack.period_end)}"
