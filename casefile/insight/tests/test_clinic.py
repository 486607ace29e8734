"""The performance clinic and the children behind each number: who may open them, figures equal to the indicator
rules on the same cohort, queries that do not grow with the record, restricted children never named, and every
list audited."""

from __future__ import annotations

import datetime
import decimal
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.accounts.models import Post, WorkerRecord
from casefile.audit.models import AuditEvent
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.frontdoor.testing import decide, make_contact
from casefile.insight import clinic, cohort
from casefile.insight import presenters as present
from casefile.insight.models import NeighbourFigure
from casefile.people.models import Person
from casefile.rules.indicators import INDICATORS, Period, by_group
from casefile.testing import make_child

CLINIC, CHILDREN = reverse("insight:clinic"), reverse("insight:children")
SEE = {"tess", "simon", "hana", "mel", "quinn", "pat", "ada"}
YEAR = "2023-24"
PERIOD = Period.census_year(YEAR)


@pytest.fixture
def june(time_machine):
    """A fixed day, so the latest complete census year (the default) is 2023-24."""
    time_machine.move_to(datetime.datetime(2024, 6, 14, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def held(worker, first="Lily", last="Hartley", *, referral=datetime.date(2024, 1, 8), **fields) -> Person:
    """A child allocated to the worker since April 2023, with a referral, assessment, s47, conference, plan and
    visit (casework.testing.make_journey)."""
    child = make_child(first, last, **fields)
    cw.Allocation.objects.create(child=child, worker=worker, team=worker.team, start_date=datetime.date(2023, 4, 3),
                                 reason="Allocated", allocated_by=worker)
    return child


def with_journey(org, worker, first, last, **fields) -> Person:
    child = held(worker, first, last, **fields)
    make_journey(child, worker, org.tess, org.chris)
    return child


def get(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def shown_value(html: str, code: str) -> str:
    found = re.search(rf'id="value-{code}">([^<]*)<', html)
    assert found, code
    return unescape(found.group(1))


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_clinic_and_its_children_open_for_managers_qa_analysts_and_administrators_only(client, org, june, who):
    user = getattr(org, who)
    expected = 200 if who in SEE else 403
    assert get(client, user, CLINIC).status_code == expected
    assert get(client, user, CHILDREN, indicator="referrals", side="numerator").status_code == expected


def test_a_manager_sees_only_the_teams_they_oversee(client, org, june):
    assert get(client, org.tess, CLINIC, team=org.other_team.pk).status_code == 404
    assert get(client, org.tess, CLINIC, worker=org.ola.pk).status_code == 404
    assert get(client, org.tess, CHILDREN, team=org.other_team.pk, indicator="referrals",
               side="numerator").status_code == 404
    html = get(client, org.tess, CLINIC).content.decode()
    assert "All your teams" in html and org.other_team.name not in html
    everyone = get(client, org.pat, CLINIC, team=org.other_team.pk)
    assert everyone.status_code == 200 and "The whole authority" in everyone.content.decode()


def test_figures_equal_the_rules_on_the_same_cohort(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    with_journey(org, org.ola, "Omar", "Other")
    child = held(org.sam, "Nia", "Lone")
    cw.Episode.objects.create(child=child, referral_date=datetime.date(2023, 9, 1), referral_source="2A",
                              referral_nfa=True, recorded_by=org.sam)
    record = cohort.load(PERIOD.end)
    whole = get(client, org.ada, CLINIC, year=YEAR).content.decode()
    team = get(client, org.ada, CLINIC, year=YEAR, team=org.assessment.pk).content.decode()
    worker = get(client, org.tess, CLINIC, year=YEAR, worker=org.sam.pk).content.decode()
    teams = {code: by_group(INDICATORS[code], record, PERIOD, "team") for code in INDICATORS}
    workers = {code: by_group(INDICATORS[code], record, PERIOD, "worker") for code in INDICATORS}
    for indicator in clinic.CLINIC_INDICATORS:
        code, unit = indicator.code, indicator.unit
        assert shown_value(whole, code) == present.value_text(unit, indicator(record, PERIOD).value), code
        assert shown_value(team, code) == present.value_text(unit, teams[code][org.assessment.pk].value), code
        assert shown_value(worker, code) == present.value_text(unit, workers[code][org.sam.pk].value), code
    # The control: the figures are not all empty, and differ between the authority and the team.
    assert shown_value(whole, "referrals") == "3" and shown_value(team, "referrals") == "2"
    assert shown_value(team, "re_referrals") == "0%"
    assert "The number of children aged under 18 in the area was not given." in whole


def test_the_trend_covers_four_census_years_and_the_last_12_months_to_a_date(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    html = get(client, org.ada, CLINIC, year=YEAR).content.decode()
    for label in ("2020-21", "2021-22", "2022-23", "2023-24"):
        assert label in html
    months = get(client, org.ada, CLINIC, period="twelve_months", end_day="31", end_month="1",
                 end_year="2024").content.decode()
    assert "Figures for 1 February 2023 to 31 January 2024" in months
    assert shown_value(months, "referrals") == "1"


@pytest.mark.parametrize(("params", "message"), [
    ({"period": "twelve_months"}, "Enter the date the 12 months end on"),
    ({"period": "twelve_months", "end_day": "1", "end_month": "1", "end_year": "2030"},
     "The 12 months end on must be today or in the past"),
    ({"period": "twelve_months", "end_day": "31", "end_month": "2", "end_year": "2024"},
     "The 12 months end on must be a real date"),
])
def test_a_period_that_cannot_be_is_refused_naming_the_field(client, org, june, params, message):
    html = unescape(get(client, org.ada, CLINIC, **params).content.decode())
    assert "There is a problem" in html and message in html and 'href="#id_end_' in html
    assert 'id="value-referrals"' not in html


def test_an_unknown_year_team_or_figure_is_not_found(client, org, june):
    assert get(client, org.ada, CLINIC, year="1999-00").status_code == 404
    # Vacancies count posts, and agency share workers: no children to list.
    assert get(client, org.ada, CHILDREN, indicator="vacancy_rate", side="numerator").status_code == 404
    assert get(client, org.ada, CHILDREN, indicator="agency_share", side="denominator").status_code == 404
    assert get(client, org.ada, CHILDREN, indicator="caseload_per_worker", side="denominator").status_code == 404
    assert get(client, org.ada, CHILDREN, indicator="referrals", side="sideways").status_code == 404
    assert get(client, org.ada, CHILDREN, indicator="referrals", side="denominator").status_code == 404
    assert get(client, org.ada, CHILDREN, indicator="referrals", side="numerator", at="9").status_code == 404


def test_the_children_behind_a_number_name_only_those_the_reader_may_open(client, org, june):
    lily = with_journey(org, org.sam, "Lily", "Hartley")
    hidden = with_journey(org, org.sam, "Rosa", "Sealed", restriction=Person.Restriction.ADOPTION)
    params = {"year": YEAR, "indicator": "referrals", "side": "numerator"}
    response = get(client, org.tess, CHILDREN, **params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hartley" in html and reverse("people:record", kwargs={"person_id": lily.pk}) in html
    assert "Sealed" not in html and hidden.reference not in html
    assert "and 1 child whose records you cannot open" in unescape(html)
    event = AuditEvent.objects.filter(actor=org.tess).order_by("-pk").first()
    assert event.details["shown"] == [lily.pk]
    # An analyst opens no child's record: both are counted, neither named, and nothing listed is audited.
    before = AuditEvent.objects.order_by("-pk").first().pk
    analyst = unescape(get(client, org.pat, CHILDREN, **params).content.decode())
    assert "Hartley" not in analyst and "Sealed" not in analyst
    assert "They are 2 children whose records you cannot open" in analyst
    assert not [event for event in AuditEvent.objects.filter(pk__gt=before) if "shown" in (event.details or {})]


def test_every_count_on_the_clinic_links_to_its_children(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    html = unescape(get(client, org.tess, CLINIC, year=YEAR).content.decode())
    assert f"{CHILDREN}?year={YEAR}&indicator=referrals&side=numerator" in html
    assert f"{CHILDREN}?year={YEAR}&indicator=assessments_within_45_working_days&side=denominator" in html
    # A trend's earlier period links with its place in the trend.
    assert f"{CHILDREN}?year={YEAR}&indicator=referrals&side=numerator&at=3" in html


def _count(client, path: str, params: dict) -> int:
    client.get(path, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_children(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    client.force_login(org.tess)
    drill = {"year": YEAR, "indicator": "referrals", "side": "numerator"}
    before = (_count(client, CLINIC, {"year": YEAR}), _count(client, CHILDREN, drill))
    for number in range(4):
        with_journey(org, org.sam, f"Child{number}", f"Family{number}")
        with_journey(org, org.ola, f"Other{number}", f"Elsewhere{number}")
    # More workers and posts cost no more queries either.
    for worker in (org.sam, org.ola, org.tess, org.mo):
        employ(worker, "permanent", 1, datetime.date(2020, 1, 1))
        Post.objects.create(team=worker.team, title="Social worker", starts_on=datetime.date(2020, 1, 1),
                            holder=worker)
    assert (_count(client, CLINIC, {"year": YEAR}), _count(client, CHILDREN, drill)) == before


def test_the_record_is_read_in_a_fixed_number_of_queries(org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    with CaptureQueriesContext(connection) as queries:
        record = cohort.load(PERIOD.end)
    assert len(queries) == cohort.QUERIES
    assert len(record.episodes) == 1 and len(record.cp_visits) == 1 and len(record.allocations) == 1
    assert record.workers == [] and record.posts == []


def test_the_rows_read_past_django_equal_the_values_django_gives(org, june):
    """cohort._rows skips Django's conversion of each value: every table's rows must still be what Django gives."""
    with_journey(org, org.sam, "Lily", "Hartley")
    decide(make_contact(with_journey(org, org.ola, "Ben", "Hartley"), by=org.fran).children.get(), by=org.mo)
    make_contact(make_child("Amy", "Stone"), by=org.fran)  # awaiting a decision
    tables = cohort.queries(datetime.date(2024, 12, 31))  # the contacts are received today, in June 2024
    assert sorted(tables) == sorted(cohort.TABLES) and cohort.CONVERTED < set(tables)
    for table, query in tables.items():
        if table in cohort.CONVERTED:
            continue
        rows = cohort._rows(query)
        assert rows, table
        assert rows == [tuple(row) for row in query], table
        assert [[type(value) for value in row] for row in rows] == [[type(value) for value in row] for row in query]
    # Dates read as text (SQLite) are made dates by load(): every date of every row read is a date.
    record = cohort.load(datetime.date(2024, 12, 31))
    for table, positions in cohort._DAY_FIELDS.items():
        if table not in cohort.CONVERTED:
            found = {type(row[at]) for row in getattr(record, table) for at in positions}
            assert found - {type(None)} == {datetime.date}, table


def test_a_filter_nothing_can_match_reads_no_rows(org, june):
    """A set of no teams (a manager whose teams are gone) matches nothing: no rows, not an error."""
    with_journey(org, org.sam, "Lily", "Hartley")
    record = cohort.load(PERIOD.end, held_by={"team_id__in": []})
    assert record.allocations == [] and len(record.episodes) == 1
    assert cohort._rows(cohort.queries(PERIOD.end)["episodes"].none()) == []


def test_one_figure_reads_only_its_tables_and_rows_reaching_its_period(org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    needs = clinic.reads(INDICATORS["referrals"], PERIOD, clinic.Scope())
    with CaptureQueriesContext(connection) as queries:
        record = cohort.load(PERIOD.end, needs)
    assert len(queries) == 1 + len(needs) == 2  # who was merged into whom, then the episodes alone
    assert len(record.episodes) == 1 and record.contacts == () and record.allocations == ()
    later = Period(PERIOD.end + datetime.timedelta(days=1), PERIOD.end + datetime.timedelta(days=30))
    assert len(cohort.load(later.end).enquiries) == 1  # the enquiry is before the later period: not read for it
    assert cohort.load(later.end, clinic.reads(INDICATORS["s47_per_10000"], later, clinic.Scope())).enquiries == []
    # A team's figure also reads every allocation (to find its children), and its workers and posts.
    team = clinic.reads(INDICATORS["referrals"], PERIOD, clinic.Scope(team_ids=frozenset({org.sam.team_id})))
    assert team == {"episodes": PERIOD.start, "allocations": None, "workers": None, "posts": None}


def test_each_chart_is_an_image_with_a_title_a_description_and_its_table(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    html = get(client, org.ada, CLINIC, year=YEAR).content.decode()
    assert html.count('role="img"') == len(clinic.CLINIC_INDICATORS)
    assert 'aria-labelledby="chart-referrals-title chart-referrals-desc"' in html
    assert '<title id="chart-referrals-title">Referrals, by period</title>' in html
    assert 'id="table-referrals"' in html


def table_rows(html: str, id: str) -> list[list[str]]:
    """Each row of the table with the id, as the text of its cells (links and all)."""
    table = re.search(rf'<table[^>]*id="{id}".*?</table>', html, re.S).group(0)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row,
                                                                                     re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def test_each_trend_table_has_the_neighbours_figure_for_each_periods_year_in_the_same_queries(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    client.force_login(org.ada)
    before = _count(client, CLINIC, {"year": YEAR})
    for year, value in ((2022, "19.5"), (2023, "21.4")):
        NeighbourFigure.objects.create(indicator="re_referrals", year=year, value=decimal.Decimal(value),
                                       group="NFER model", source="DfE tool", entered_by=org.pat,
                                       entered_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))
    assert _count(client, CLINIC, {"year": YEAR}) == before
    with CaptureQueriesContext(connection) as queries:
        html = unescape(client.get(CLINIC, {"year": YEAR}).content.decode())
    # Read once with the clinic's own, not again for each trend table or row.
    assert sum("insight_neighbourfigure" in query["sql"] for query in queries.captured_queries) == 1
    head, *rows = table_rows(html, "table-re_referrals")
    assert head == ["Period", "Figure", "Statistical neighbours", "Counted"]
    assert [(row[0], row[2]) for row in rows] == [
        ("2020-21", "Not entered"), ("2021-22", "19.5% (2022)"), ("2022-23", "21.4% (2023)"),
        ("2023-24", "21.4% (2023; none entered for 2024)")]
    assert [row[2] for row in table_rows(html, "table-referrals")[1:]] == ["Not entered"] * 4


@pytest.mark.parametrize(("who", "sees"), [("tess", True), ("quinn", True), ("pat", True), ("ada", True),
                                           ("sam", False), ("chris", False), ("petra", False)])
def test_my_work_points_to_the_clinic(client, org, who, sees):
    html = get(client, getattr(org, who), reverse("core:my_work")).content.decode()
    assert (CLINIC in html) is sees


def test_a_merged_record_counts_under_the_record_kept(org, june):
    kept = with_journey(org, org.sam, "Lily", "Hartley")
    merged = make_child("Lilly", "Hartley", merged_into=kept)
    cw.Episode.objects.create(child=merged, referral_date=datetime.date(2023, 6, 1), referral_source="2A",
                              referral_nfa=True, recorded_by=org.sam)
    result = INDICATORS["referrals"](cohort.load(PERIOD.end), PERIOD)
    assert result.value == 2 and result.numerator_children == {kept.pk}


# The workforce ----------------------------------------------------------------------------------------------


def employ(user, kind, fte, started, left=None):
    WorkerRecord.objects.create(user=user, employment_type=kind, fte=fte, started_on=started, left_on=left)


def open_case(worker, first, last):
    child = held(worker, first, last)
    cw.Episode.objects.create(child=child, referral_date=datetime.date(2023, 9, 1), referral_source="2A",
                              recorded_by=worker)


def test_the_workforce_figures_equal_those_worked_by_hand(client, org, june):
    """At 31 March 2024. In post: Sam (permanent, 1), Tess (permanent, 0.5), both in the assessment team, and Ola
    (agency, 1, another team). Mo (permanent, 1) left in October 2023 and Fran (agency) in January 2024; Chris's
    employment is "other" and counts in nothing. Posts in post at the end: Sam's (1), a vacant one (1), Tess's
    (0.5) and the post Ola covers (1, vacant: an agency worker leaves it so); one ended in December does not count."""
    employ(org.sam, "permanent", 1, datetime.date(2020, 1, 1))
    employ(org.tess, "permanent", "0.5", datetime.date(2022, 6, 1))
    employ(org.ola, "agency", 1, datetime.date(2023, 5, 1))
    employ(org.mo, "permanent", 1, datetime.date(2021, 1, 1), datetime.date(2023, 10, 31))
    employ(org.fran, "agency", 1, datetime.date(2021, 1, 1), datetime.date(2024, 1, 31))
    employ(org.chris, "other", 1, datetime.date(2021, 1, 1))
    start = datetime.date(2022, 4, 1)
    Post.objects.create(team=org.assessment, title="Social worker", starts_on=start, holder=org.sam)
    Post.objects.create(team=org.assessment, title="Social worker", starts_on=start)
    Post.objects.create(team=org.assessment, title="Team manager", fte="0.5", starts_on=start, holder=org.tess)
    Post.objects.create(team=org.other_team, title="Social worker", starts_on=start, holder=org.ola)
    Post.objects.create(team=org.other_team, title="Social worker", starts_on=start,
                        ends_on=datetime.date(2023, 12, 31))
    open_case(org.sam, "Amy", "One")
    open_case(org.sam, "Ben", "Two")
    open_case(org.ola, "Cal", "Three")
    whole = unescape(get(client, org.ada, CLINIC, year=YEAR).content.decode())
    # Agency: 1 of 2.5 FTE in post. Turnover: Mo's 1 FTE left, of 1.5 permanent in post. Vacancies: 2 of 3.5 FTE.
    # Caseload: 3 open cases held by case-holding workers in post (Sam, Tess, Ola: 2.5 FTE).
    assert shown_value(whole, "agency_share") == "40%"
    assert shown_value(whole, "turnover_rate") == "66.7%"
    assert shown_value(whole, "vacancy_rate") == "57.1%"
    assert shown_value(whole, "caseload_per_worker") == "1.2"
    team = unescape(get(client, org.ada, CLINIC, year=YEAR, team=org.assessment.pk).content.decode())
    # The assessment team: Sam and Tess, both permanent; one of its 2.5 FTE of posts vacant; Sam's 2 cases.
    assert shown_value(team, "agency_share") == "0%"
    assert shown_value(team, "vacancy_rate") == "40%"
    assert shown_value(team, "caseload_per_worker") == "1.3"
    # Counts of workers and posts link nowhere; cases link to their children.
    assert "indicator=vacancy_rate" not in whole and "indicator=agency_share" not in whole
    assert "indicator=caseload_per_worker&side=numerator" in whole
    assert "indicator=caseload_per_worker&side=denominator" not in whole
