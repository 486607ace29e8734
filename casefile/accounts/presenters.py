"""Tables and wording for the workforce pages (accounts/workforce_views.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.html import format_html

from casefile.accounts.models import EmploymentType, Post, User, WorkerRecord
from casefile.core.presenters import govuk_date, table_params

NOT_RECORDED = "Not recorded"


def person_and_team(user: User) -> str:
    return f"{user} ({user.team})" if user.team_id else str(user)


def _fte(value) -> str:
    return NOT_RECORDED if value is None else f"{value.normalize():f}"


def _employment(user: User) -> WorkerRecord | None:
    try:
        return user.worker_record
    except WorkerRecord.DoesNotExist:
        return None


def workers_table(users) -> dict:
    rows = []
    for user in users:
        employment = _employment(user)
        link = format_html('<a class="govuk-link" href="{}">{}</a>',
                           reverse("accounts:worker", kwargs={"staff_id": user.pk}), str(user))
        if employment is None:
            rows.append([link, str(user.team or "No team"), user.role_label, NOT_RECORDED, "", "", ""])
            continue
        rows.append([link, str(user.team or "No team"), user.role_label,
                     EmploymentType(employment.employment_type).label.split(" (")[0], _fte(employment.fte),
                     govuk_date(employment.started_on),
                     govuk_date(employment.left_on) if employment.left_on else ""])
    return table_params(caption="Staff and their employment", caption_classes="govuk-visually-hidden",
                        head=["Name", "Team", "Role", "Employment", "Full-time equivalent", "Started", "Left"],
                        rows=rows, numeric=(4,), id="workers")


def employment_intro(user: User) -> str:
    return f"{user.role_label}, {user.team}" if user.team_id else user.role_label


def filled_by_permanent_worker(post: Post, day: datetime.date) -> bool:
    """As the vacancy rate reads it: the holder is a permanent worker in post on the day."""
    employment = _employment(post.holder) if post.holder_id else None
    return (employment is not None and employment.employment_type == EmploymentType.PERMANENT
            and employment.started_on <= day and (employment.left_on is None or employment.left_on > day))


def posts_table(posts, today: datetime.date) -> dict:
    rows = []
    for post in posts:
        funded = post.starts_on <= today and (post.ends_on is None or post.ends_on > today)
        status = ("Not funded today" if not funded else "Filled" if filled_by_permanent_worker(post, today)
                  else "Vacant")
        rows.append([format_html('<a class="govuk-link" href="{}">{}</a>',
                                 reverse("accounts:post_edit", kwargs={"post_id": post.pk}), post.title),
                     str(post.team), _fte(post.fte), govuk_date(post.starts_on),
                     govuk_date(post.ends_on) if post.ends_on else "", str(post.holder or "No one"), status])
    return table_params(caption="Posts in the establishment", caption_classes="govuk-visually-hidden",
                        head=["Post", "Team", "Full-time equivalent", "Funded from", "Funded until", "Holder",
                              "Today"], rows=rows, numeric=(2,), id="posts")
