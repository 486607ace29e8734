"""The front-door board and the managers' weekly report: what is waiting, for how long, and what is past the limit."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.casework.calendar import working_calendar
from casefile.frontdoor import board
from casefile.frontdoor.models import ContactChild
from casefile.frontdoor.services import contacts, decisions
from casefile.frontdoor.testing import decide, make_contact, working_days_ago
from casefile.rules.clocks import State
from casefile.testing import make_child

BOARD = reverse("frontdoor:board")
REPORT = reverse("frontdoor:weekly_report")


def row_of(page: str, link: ContactChild) -> str:
    start = page.index(f'id="item-{link.pk}"')
    return page[page.rindex("<tr", 0, start):page.index("</tr>", start)]


def test_the_board_shows_each_child_waiting_with_who_has_it_and_the_stage(client, org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    contact = make_contact(child, brother, by=org.fran)
    contacts.set_holder(actor=org.fran, contact=contact, holder=org.fran)
    contacts.set_rag(actor=org.fran, contact=contact, rag="amber")
    lily, jack = contact.children.all()
    decide(jack, by=org.mo)
    solo = make_contact(make_child("Ann", "Solo"), by=org.fran).children.get()
    client.force_login(org.fran)
    page = client.get(BOARD).content.decode()
    assert "Awaiting decision" in row_of(page, lily) and "Fran Frontdoor" in row_of(page, lily)
    assert "Amber" in row_of(page, lily) and "Due" in row_of(page, lily)
    assert "Awaiting authorisation" in row_of(page, jack)
    assert "Not assigned" in row_of(page, solo)
    assert "working day" in row_of(page, solo)  # time since receipt in working hours and days


def test_an_item_six_working_days_old_is_highlighted_and_five_is_not(client, org, child):
    old = make_contact(child, by=org.fran, received_at=working_days_ago(6)).children.get()
    recent = make_contact(make_child("Ann", "Five"), by=org.fran, received_at=working_days_ago(5)).children.get()
    client.force_login(org.fran)
    page = client.get(BOARD).content.decode()
    assert "cf-past-limit" in row_of(page, old) and "Past the 5-day limit" in row_of(page, old)
    assert "cf-past-limit" not in row_of(page, recent) and "Past the" not in row_of(page, recent)
    assert '<dd class="govuk-summary-list__value" id="count-past-limit">1</dd>' in page
    only_past = client.get(BOARD, {"past_limit": "on"}).content.decode()
    assert "Lily Hartley" in only_past and "Ann Five" not in only_past


def test_the_filters_mine_unassigned_and_rag(client, org, child):
    mine = make_contact(child, by=org.fran)
    contacts.set_holder(actor=org.fran, contact=mine, holder=org.fran)
    contacts.set_rag(actor=org.fran, contact=mine, rag="red")
    make_contact(make_child("Ann", "Nobody"), by=org.fran)
    client.force_login(org.fran)
    assert "Ann Nobody" not in client.get(BOARD, {"holder": "mine"}).content.decode()
    unassigned = client.get(BOARD, {"holder": "unassigned"}).content.decode()
    assert "Ann Nobody" in unassigned and "Lily Hartley" not in unassigned
    red = client.get(BOARD, {"rag": "red"}).content.decode()
    assert "Lily Hartley" in red and "Ann Nobody" not in red
    assert "Lily Hartley" not in client.get(BOARD, {"rag": "none"}).content.decode()


def test_concluded_and_handed_over_children_and_restricted_ones_are_not_on_the_board(client, org, child):
    make_contact(make_child("Rosa", "Quill", restriction="adoption"), by=org.fran)
    link = make_contact(child, by=org.fran).children.get()
    decisions.authorise_decision(actor=org.mel, decision=decide(link, by=org.mo, outcome="nfa"))
    client.force_login(org.fran)
    page = client.get(BOARD).content.decode()
    assert "Quill" not in page and "Lily Hartley" not in page
    assert "Nothing is waiting at the front door" in page


def test_the_board_links_only_to_pages_that_exist(client, org):
    client.force_login(org.fran)
    page = client.get(BOARD).content.decode()
    assert reverse("frontdoor:awaiting_authorisation") in page and reverse("frontdoor:letters_overdue") in page


def _add_open_items(org, count: int, start: int = 0) -> None:
    """Open items of every kind: held and not, decided and not, rated and not, some past the limit."""
    for number in range(start, start + count):
        contact = make_contact(make_child("Child", f"Number{number}"), by=org.fran,
                               received_at=working_days_ago(number % 9))
        if number % 3:
            contacts.set_holder(actor=org.fran, contact=contact, holder=org.fran)
        if number % 4 == 1:
            contacts.set_rag(actor=org.fran, contact=contact, rag=("red", "amber", "green")[number % 3])
        if number % 2:
            decision = decide(contact.children.get(), by=org.mo)
            if number % 8 == 3:
                decisions.authorise_decision(actor=org.mel, decision=decision)  # waits for its handover


def _board_query_count(client, query: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BOARD, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"holder": "mine", "past_limit": "on"}, {"rag": "none", "page": "2"}])
def test_the_board_runs_a_fixed_number_of_queries_however_many_are_open(client, org, query,
                                                                          django_assert_max_num_queries):
    _add_open_items(org, 10)
    client.force_login(org.fran)
    few = _board_query_count(client, query)
    _add_open_items(org, 190, start=10)
    with django_assert_max_num_queries(few):
        page = client.get(BOARD, query).content.decode()
    assert page.count('id="item-') <= 50


def test_every_one_of_200_open_items_is_reachable_through_the_pages_oldest_first(client, org):
    """Speed is measured in bench/front_door.py on the large authority; here, that nothing is cut off."""
    children = [make_child("Child", f"Many{number}") for number in range(200)]
    for number in range(0, 200, 2):
        make_contact(*children[number:number + 2], by=org.fran, received_at=working_days_ago(number % 9))
    client.force_login(org.fran)
    first = client.get(BOARD).content.decode()
    assert "Showing 1 to 50 of 200 children" in first and "Children waiting</dt><dd" in first
    assert '<dd class="govuk-summary-list__value">200</dd>' in first
    seen = []
    for number in range(1, 5):
        page = client.get(BOARD, {"page": number}).content.decode()
        seen += [int(item) for item in re.findall(r'id="item-(\d+)"', page)]
    expected = list(ContactChild.objects.order_by("contact__received_at", "contact_id", "pk")
                    .values_list("pk", flat=True))
    assert seen == expected and len(set(seen)) == 200


def test_the_counts_over_the_whole_list_agree_with_each_rows_tags(org):
    """The counts and the past-limit filter are worked out in the database from cuts in time; each row's tags
    from its own working time. Both must say the same for every item."""
    _add_open_items(org, 60)
    now, calendar = timezone.now(), working_calendar()
    rows = board.board_rows(org.fran, now=now, calendar=calendar)
    limits = board.Limits.at(now, calendar)
    assert board.summary(org.fran, limits) == {
        "total": 60, "past_limit": sum(row.past_limit for row in rows),
        "past_rag": sum(row.waiting.past_rag_timescale for row in rows),
        "overdue_decisions": sum(row.clock.state == State.OVERDUE for row in rows),
        "unassigned": sum(row.contact.holder_id is None for row in rows),
        "mine": sum(row.contact.holder_id == org.fran.pk for row in rows),
        **{stage: sum(row.stage == stage for row in rows) for stage in board.STAGES}}
    past = board.BoardFilters(past_limit=True).apply(board.open_links(org.fran), org.fran, limits)
    assert set(past.values_list("pk", flat=True)) == {row.link.pk for row in rows if row.past_limit}
    assert 0 < past.count() < 60
    assert all(0 < count < 60 for count in board.summary(org.fran, limits).values() if count != 60)


# The weekly report ------------------------------------------------------------------------------------------


def test_the_weekly_report_lists_items_past_the_limit_with_totals_by_holder(client, org, child):
    old = make_contact(child, by=org.fran, received_at=working_days_ago(6))
    contacts.set_holder(actor=org.fran, contact=old, holder=org.fran)
    make_contact(make_child("Ann", "Five"), by=org.fran, received_at=working_days_ago(5))
    done = make_contact(make_child("Ben", "Done"), by=org.fran, received_at=working_days_ago(8))
    decisions.authorise_decision(actor=org.mel, decision=decide(done.children.get(), by=org.mo, outcome="nfa"))
    client.force_login(org.mel)
    page = client.get(REPORT).content.decode()
    assert "Lily Hartley" in page and "Ben Done" in page and "Ann Five" not in page
    assert "Still open" in page and "Left the front door" in page
    totals = page[page.index('id="totals"'):]
    assert "Fran Frontdoor" in totals and "Not assigned" in totals


def test_an_earlier_week_leaves_out_what_went_past_the_limit_later(client, org, child):
    make_contact(child, by=org.fran, received_at=working_days_ago(6))
    client.force_login(org.mel)
    three_weeks_ago = timezone.localdate() - datetime.timedelta(days=21)
    assert "Lily Hartley" not in client.get(REPORT, {"week": three_weeks_ago.isoformat()}).content.decode()


def test_the_weekly_report_downloads_as_csv_with_cells_neutralised(client, org):
    make_contact(make_child("=HYPERLINK(1)", "Sum"), by=org.fran, received_at=working_days_ago(7))
    client.force_login(org.mel)
    response = client.get(REPORT, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Child" and rows[1][0] == "'=HYPERLINK(1) Sum" and rows[1][3] == "7"


def test_the_weekly_report_is_for_managers(client, org):
    client.force_login(org.fran)
    response = client.get(REPORT)
    assert response.status_code == 403 and "for managers" in response.content.decode()
    client.force_login(org.ada)
    assert client.get(REPORT).status_code == 200


@pytest.mark.parametrize("name", ["ola", "sam"])
def test_people_outside_the_front_door_get_not_found(client, org, child, name):
    make_contact(child, by=org.fran)
    client.force_login(getattr(org, name))
    for url in (BOARD, REPORT):
        assert client.get(url).status_code == 404


def test_a_decision_due_on_friday_reads_overdue_at_the_weekend_without_a_count_of_nought():
    from casefile.frontdoor.board import clock_text
    from casefile.rules import clocks

    received_thursday = datetime.date(2026, 11, 19)
    sunday, monday = datetime.date(2026, 11, 22), datetime.date(2026, 11, 23)
    clock = clocks.Clock(clocks.REFERRAL_DECISION, received_thursday)
    assert clock_text(clock.status(sunday)) == "Overdue (was due 20 November 2026)"
    assert clock_text(clock.status(monday)) == "Overdue by 1 working day (was due 20 November 2026)"
