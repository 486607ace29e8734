"""What casework's lists show, built here rather than in templates (tested on its own): each table function
returns the parameters of components/table.html (govukTable)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from markupsafe import Markup

from casefile.core.presenters import (
    MISSING,
    govuk_date,
    govuk_datetime,
    or_missing,
    possessive,
    table_params,
    with_hint,
    yes_no,
)


def caseload_weights_text(kinds, labels: dict, weights: dict) -> str:
    """'cp plan 3, cin plan 2, assessment 1.5, other 1.': each kind of work's weight, 1.5 as 1.5 and 3.0 as 3."""
    return ", ".join(f"{labels[kind].lower()} {weights[kind]:g}" for kind in kinds) + "."


def caseloads_table(loads, kinds, labels: dict) -> dict:
    """One row per member of the team: children by kind of work, the weighted total and overdue items."""
    numeric = tuple(range(1, len(kinds) + 4))
    return table_params(
        caption="Caseload of each member of the team", caption_classes="govuk-visually-hidden",
        head=["Name", *(labels[kind] for kind in kinds), "Children", "Weight", "Overdue items"], numeric=numeric,
        rows=[[
            with_hint(load.worker, load.worker.role_label),
            *(load.counts[kind] for kind in kinds),
            load.children,
            load.weight_text,
            format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', load.overdue) if load.overdue else 0,
        ] for load in loads])


def closed_days_table(days) -> dict:
    """The weekdays clocks do not count in the coming months (calendar.ClosedDay), and where each comes from."""
    return table_params(
        caption="Weekdays that are not working days in the next 12 months",
        head=["Date", "What it is", "Where it comes from"],
        rows=[[f"{day.date:%A} {govuk_date(day.date)}", day.description,
               "Added by the council" if day.added_by_authority else "England and Wales bank holiday"]
              for day in days])


# A plan's summary -----------------------------------------------------------------------------------------


def _conference_link(conference, text: str) -> str:
    url = reverse("casework:conference", kwargs={"person_id": conference.child_id, "conference_id": conference.pk})
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


def _at_conference(day, conference, text: str):
    """'5 January 2024', or '5 January 2024, at the <initial conference>' when a conference set it."""
    if conference is None:
        return govuk_date(day)
    return format_html("{}, at the {}", govuk_date(day), _conference_link(conference, text))


def _row(key: str, value, *, change: tuple[str, str, str] | None = None) -> dict:
    """A govukSummaryList row; `change` is (link, what it changes, for screen readers) when it may change."""
    row = {"key": {"text": key}, "value": {"html": value} if hasattr(value, "__html__") else {"text": value}}
    if change:
        href, text, hidden = change
        row["actions"] = {"items": [{"href": href, "text": text, "visuallyHiddenText": hidden}]}
    return row


def plan_summary_rows(plan, may_end_cp: bool = False) -> list[dict]:
    """The plan's dates, category, visit interval and contingency, with the links to change what may change.

    A child protection plan is started, ended and given its category and visit interval by conferences (or, when
    the child became looked after, moved away, turned 18 or died, ended by a manager: `may_end_cp`); a child in
    need plan is changed and ended on its own pages."""
    ids = {"person_id": plan.child_id, "plan_id": plan.pk}
    cp = plan.kind == "cp"
    change = reverse("casework:change_plan", kwargs=ids)
    started = _at_conference(plan.start_date, plan.started_by_conference,
                             plan.started_by_conference.get_kind_display().lower()
                             if plan.started_by_conference else "")
    ended = (_at_conference(plan.end_date, plan.ended_by_conference, "review conference") if plan.end_date
             else "Not ended")
    if plan.end_date and plan.end_reason:
        ended = f"{govuk_date(plan.end_date)}: {plan.get_end_reason_display().lower()}"
    interval = plan.visit_interval_working_days
    rows = [_row("Started", started),
            _row("Ended", ended, change=(reverse("casework:end_plan", kwargs=ids), "End the plan", "")
                 if plan.is_open and (not cp or may_end_cp) else None)]
    if plan.end_reason == plan.EndReason.TRANSFERRED_OUT:
        rows.append(_row("Moved to", plan.receiving_authority))
        rows.append(_row("Summary sent with the child", plan.end_summary))
    if cp:
        rows += [_row("Initial category of abuse", plan.get_initial_category_display() if plan.initial_category
                      else MISSING),
                 _row("Latest category of abuse", plan.get_latest_category_display() if plan.latest_category
                      else MISSING)]
        if interval:
            rows.append(_row("Visits", f"At least every {interval} working days, as the plan sets"))
    else:
        rows.append(_row("Visits", f"At least every {interval} working days" if interval else MISSING,
                         change=(change, "Change", "how often visits happen") if plan.is_open else None))
    rows.append(_row("Contingency", or_missing(plan.contingency),
                     change=(change, "Change", "the contingency") if plan.is_open else None))
    rows.append(_row("Authorisation", authorisation_text(plan)))
    return rows


def authorisation_text(plan) -> str:
    """Where the plan stands with its manager: not submitted, waiting, or authorised (and whether it changed since,
    and any flags the manager authorised it with, and why). Reads submitted_by and authorised_by."""
    if plan.authorised_on:
        said = f"Authorised on {govuk_date(plan.authorised_on)} by {plan.authorised_by}."
        if plan.flags_at_authorisation:
            said += (f" Authorised with {', '.join(plan.flags_at_authorisation)} still flagged: "
                     f"{plan.authorised_despite}")
        if plan.changed_since_authorisation:
            said += " The plan has changed since it was authorised."
        return said
    if plan.submitted_on:
        return f"Waiting for a manager to authorise it: submitted on {govuk_date(plan.submitted_on)} by " \
               f"{plan.submitted_by}."
    return "Not submitted for authorisation."


def returned_html(returned) -> Markup:
    """A manager's comment on returned work (casework.ReturnedWork), with who returned it and when."""
    return format_html("<p class=\"govuk-body\">Returned by {} on {}:</p><p class=\"govuk-body\">{}</p>",
                       returned.returned_by, govuk_datetime(returned.returned_at), returned.comment)


RETURNED_PAGES = {"plan": ("casework:plan", "plan_id"), "assessment": ("casework:assessment", "assessment_id"),
                  "closure": ("casework:episode", "episode_id"),
                  "step_down": ("casework:early_help_transfer", "early_help_transfer_id")}


def step_down_sign_off_text(transfer, returned=None) -> str:
    """Where a step-down to early help stands with its manager's sign-off, in a sentence."""
    if transfer.direction != "down":
        return ""
    if transfer.signed_off_on:
        return f"Signed off by {transfer.signed_off_by} on {govuk_date(transfer.signed_off_on)}."
    if transfer.proposed_on and transfer.episode_id and transfer.episode.closure_date is None:
        return "Waiting for a manager to sign off the closure it was recorded with."
    if transfer.proposed_on:
        return (f"Waiting for a manager to sign it off: sent on {govuk_date(transfer.proposed_on)} by "
                f"{transfer.proposed_by}.")
    if returned is not None:
        return "Returned by a manager: change it if needed and send it again with your answer."
    return "Recorded before step-downs were signed off by a manager."


def returned_work_table(rows) -> dict:
    """My work's "Returned to you": what was returned, for which child, by whom, when, and the comment."""
    def link(returned):
        name, key = RETURNED_PAGES[returned.kind]
        href = reverse(name, kwargs={"person_id": returned.child_id, key: returned.record_id})
        return format_html('<a class="govuk-link" href="{}">{}</a>', href, returned.get_kind_display())

    return table_params(
        caption="Returned to you", caption_classes="govuk-table__caption--m", id="returned-to-you",
        head=["Returned", "Child", "By", "When", "Comment"],
        rows=[[link(returned), returned.child.display_name, str(returned.returned_by),
               govuk_datetime(returned.returned_at), returned.comment] for returned in rows])


def plan_quality_items(plan, flags) -> list[dict]:
    """The plan page's quality flags (casework.plan_quality.QualityFlag), each as what it is about (linked to
    where it is put right while the plan is open), the rule (‘PQ4 vague-wording’), the reason and a suggested
    rewrite."""
    ids = {"person_id": plan.child_id, "plan_id": plan.pk}
    items = []
    for flag in flags:
        if flag.action is not None:
            about = flag.action.description
            href = reverse("casework:change_action", kwargs={**ids, "action_id": flag.action.pk})
        elif flag.outcome is not None:
            about = f"Outcome: {flag.outcome.description}"
            href = reverse("casework:add_action", kwargs={**ids, "outcome_id": flag.outcome.pk})
        else:
            about, href = "The contingency", reverse("casework:change_plan", kwargs=ids)
        items.append({"about": about, "href": href if plan.is_open or flag.action is not None else "",
                      "rule": flag.warning.label, "message": flag.warning.message,
                      "rewrite": flag.warning.rewrite})
    return items


# The child's plans and conferences ------------------------------------------------------------------------

OPEN_TAG = Markup('<strong class="govuk-tag govuk-tag--green">Open</strong>')


def plans_table(person, plans) -> dict:
    """The child's plans, latest first, each linking to its page, the open one tagged."""
    return table_params(
        caption=f"{possessive(person, short=True)} plans, latest first", caption_classes="govuk-visually-hidden",
        head=["Plan", "Started", "Ended"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>{}',
                           reverse("casework:plan", kwargs={"person_id": person.pk, "plan_id": plan.pk}),
                           plan.get_kind_display(), format_html(" {}", OPEN_TAG) if plan.is_open else ""),
               govuk_date(plan.start_date), govuk_date(plan.end_date) if plan.end_date else "Not ended"]
              for plan in plans])


def conference_decision(conference) -> str:
    """'Child protection plan (neglect)', or missing when no decision is recorded."""
    if not conference.decision:
        return MISSING
    category = f" ({conference.get_category_display().lower()})" if conference.category else ""
    return f"{conference.get_decision_display()}{category}"


def conferences_table(person, conferences) -> dict:
    """The child's conferences, latest first, with the decision and the chair."""
    return table_params(
        caption=f"{possessive(person, short=True)} child protection conferences, latest first",
        caption_classes="govuk-visually-hidden", head=["Conference", "Date", "Decision", "Chair"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>', reverse("casework:conference", kwargs={
                   "person_id": person.pk, "conference_id": conference.pk}), conference.get_kind_display()),
               govuk_date(conference.date), conference_decision(conference), conference.chair]
              for conference in conferences])


def _plan_paragraph(verb: str, person, plan_id: int) -> str:
    url = reverse("casework:plan", kwargs={"person_id": person.pk, "plan_id": plan_id})
    return format_html('<p class="govuk-body">{} the <a class="govuk-link" href="{}">child protection plan</a>.</p>',
                       verb, url)


def conference_summary_rows(conference, person, *, started, review, ended) -> list[dict]:
    """What the conference decided, the plans it started, reviewed or ended, and who recorded it."""
    plans = [*(_plan_paragraph("Started", person, plan.pk) for plan in started),
             *([_plan_paragraph("Reviewed", person, review.plan_id)] if review else []),
             *(_plan_paragraph("Ended", person, plan.pk) for plan in ended)]
    enquiry = conference.enquiry
    rows = [
        _row("Section 47 enquiry", f"Started on {govuk_date(enquiry.strategy_discussion.date)}") if enquiry else None,
        _row("Chair", str(conference.chair)),
        _row("Decision", conference.get_decision_display() if conference.decision else MISSING),
        _row("Category of abuse", conference.get_category_display()) if conference.category else None,
        _row("Why", or_missing(conference.decision_rationale)),
        _row("The plan", Markup("").join(plans)) if plans else None,
        _row("Advocate offered", yes_no(conference.advocacy_offered)),
        _row(f"How {possessive(person, short=True)} views were brought", or_missing(conference.childs_views)),
        _row("Recorded by", f"{conference.recorded_by} on {govuk_datetime(conference.recorded_at)}"),
    ]
    return [row for row in rows if row]


def team_counts_table(counts) -> dict:
    """My work's per-team counts for a manager of several teams (caseloads.team_counts): each team's name links to
    its page, and its number of children with something overdue to the list filtered to them."""
    my_work = reverse("core:my_work")
    rows = [[format_html('<a class="govuk-link" href="{}">{}</a>',
                         reverse("accounts:team", kwargs={"team_id": c.team.pk}), c.team.name),
             c.children,
             format_html('<a class="govuk-link" href="{}?team={}&amp;status=overdue">{}</a>', my_work, c.team.pk,
                         c.overdue) if c.overdue else 0,
             c.workers]
            for c in counts]
    return table_params(head=["Team", "Children", "With something overdue", "Workers holding them"], rows=rows,
                        caption="Your teams", id="team-counts", numeric=(1, 2, 3))
