"""Figures a page shows that the nightly job does not keep (a 12 months to a chosen day; the ten-year trend before
the first nightly run), on a record too large to work them out while the page loads (more contacts to read than
CASEFILE_PAGE_CONTACTS_LIMIT): the page says so and offers to work them out in the background; the job keeps them
and comes back to the page, which then shows what working them out on the page would have shown."""

from __future__ import annotations

import datetime
import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.core.models import Job
from casefile.frontdoor.testing import make_contact
from casefile.insight import clinic, cohort, figures, tasks
from casefile.insight.models import StoredFigures
from casefile.insight.tests.test_clinic import get, june, with_journey  # noqa: F401
from casefile.insight.tests.test_kept_figures import _figures_part
from casefile.rules.indicators.core import window

CLINIC, JOURNEYS, DIVERSITY = reverse("insight:clinic"), reverse("insight:journeys"), reverse("insight:diversity")
TREND, WORK_OUT = reverse("insight:trend"), reverse("insight:work_out")
TWELVE_MONTHS = {"period": "twelve_months", "end_day": "31", "end_month": "1", "end_year": "2024"}
BUTTON = 'id="work-out-button"'
pytestmark = pytest.mark.django_db


@pytest.fixture
def record(org, june):  # noqa: F811
    """Two children's journeys, each from a contact in December 2023."""
    received = datetime.datetime(2023, 12, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    for worker, first, last in ((org.sam, "Lily", "Hartley"), (org.ola, "Noah", "Elsewhere")):
        make_contact(with_journey(org, worker, first, last), by=org.fran, received_at=received)


def _form(html: str) -> tuple[str, dict]:
    """The work-out form's address and fields, as a browser would post them."""
    form = re.search(r'<form method="post" action="([^"]*)" novalidate>(.*?)</form>', html[html.index(
        'id="figures-not-worked-out"'):], re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return form.group(1).replace("&amp;", "&"), {name: value.replace("&amp;", "&") for name, value in fields.items()}


@pytest.mark.parametrize("page", [CLINIC, JOURNEYS, DIVERSITY])
@pytest.mark.parametrize("whose", ["authority", "team"])
def test_a_large_record_is_worked_out_in_the_background_and_shows_what_the_page_would_have(
        client, org, record, settings, page, whose):
    user = org.pat if whose == "authority" else org.tess
    params = {**TWELVE_MONTHS, **({"team": org.sam.team_id} if whose == "team" else {})}
    live = get(client, user, page, **params).content.decode()
    assert "Figures computed from the record just now" in live and BUTTON not in live

    settings.CASEFILE_PAGE_CONTACTS_LIMIT = 1  # two contacts: too many to work out on the page
    waiting = get(client, user, page, **params).content.decode()
    assert BUTTON in waiting and "1 February 2023 to 31 January 2024" in waiting
    assert 'id="figures-computed"' not in waiting and not StoredFigures.objects.exists()

    action, fields = _form(waiting)
    response = client.post(action, fields)
    job = Job.objects.get(started_by=user)
    assert response["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
    assert job.status == Job.Status.DONE and job.result_url == fields["back"] == f"{page}?{_query(params)}"
    whose = "The whole authority" if whose == "authority" else org.sam.team.name
    assert job.description == f"Work out the performance figures: {whose}, 1 February 2023 to 31 January 2024"
    # The clinic's four periods, each with its journeys and diversity: all three pages of the choice read them.
    assert StoredFigures.objects.count() == clinic.TREND_PERIODS
    kept = client.get(job.result_url).content.decode()
    assert "Figures computed from the record at " in kept and BUTTON not in kept
    assert _figures_part(kept) == _figures_part(live)


def _query(params: dict) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


def test_the_ten_year_trend_is_worked_out_in_the_background_before_the_first_nightly_run(
        client, org, record, settings):
    live = get(client, org.pat, TREND).content.decode()
    settings.CASEFILE_PAGE_CONTACTS_LIMIT = 1
    waiting = get(client, org.pat, TREND).content.decode()
    assert BUTTON in waiting and 'id="contents-heading"' not in waiting

    action, fields = _form(waiting)
    assert action == WORK_OUT and fields["page"] == "trend"
    job_url = client.post(action, fields)["Location"]
    job = Job.objects.get(started_by=org.pat)
    assert job_url == reverse("core:job", kwargs={"job_id": job.pk}) and job.result_url == TREND
    assert job.description == ("Work out the performance figures: the whole authority's ten-year trend, "
                               "1 April 2014 to 31 March 2024")
    years, months = clinic.long_run(datetime.date(2024, 6, 14))
    kept = StoredFigures.objects.filter(scope="authority")
    assert kept.count() == len(years) + len(months) and all(set(row.figures) == {"indicators"} for row in kept)
    shown = client.get(TREND).content.decode()
    assert _without_computed(shown) == _without_computed(live)


def _without_computed(html: str) -> str:
    body = html[html.index('id="trend-period"'):]
    body = re.sub(r'<p class="govuk-body" id="figures-computed">.*?</p>', "", body, flags=re.S)
    return re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", body)


def test_a_page_not_worked_out_reads_one_count_of_the_record(client, org, record, settings):
    settings.CASEFILE_PAGE_CONTACTS_LIMIT = 1
    client.force_login(org.pat)
    with CaptureQueriesContext(connection) as queries:
        assert BUTTON in client.get(CLINIC, TWELVE_MONTHS).content.decode()
    read = [query["sql"] for query in queries.captured_queries]
    assert sum("frontdoor_contactchild" in sql for sql in read) == 1 and any("COUNT(" in sql for sql in read)
    for table in ("casework_episode", "casework_plan", "casework_allocation", "casework_visit"):
        assert not any(table in sql for sql in read), table


@pytest.mark.parametrize(("who", "params", "refused"), [
    ("sam", TWELVE_MONTHS, 403),  # a social worker sees no performance figures
    ("tess", {**TWELVE_MONTHS, "team": "other"}, 404),  # a manager, another manager's team
    ("tess", {"page": "trend"}, 403),  # a manager: the whole authority's trend is not theirs
])
def test_only_those_who_see_the_figures_have_them_worked_out(client, org, record, who, params, refused):
    if params.get("team") == "other":
        params = {**params, "team": org.other_team.pk}
    client.force_login(getattr(org, who))
    page = params.pop("page", "clinic")
    response = client.post(f"{WORK_OUT}?{_query(params)}", {"page": page, "back": CLINIC})
    assert response.status_code == refused
    assert not Job.objects.exists() and not StoredFigures.objects.exists()


def test_a_job_for_figures_the_person_may_no_longer_see_keeps_nothing(client, org, record, settings):
    settings.CASEFILE_PAGE_CONTACTS_LIMIT = 1
    job = tasks.work_out_in_background(actor=org.sam, scope=clinic.Scope(), periods=clinic.twelve_months_trend(
        datetime.date(2024, 1, 31)), title="The whole authority", back_url=CLINIC)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "no longer see these figures" in job.error
    assert not StoredFigures.objects.exists()


def test_the_contacts_counted_are_the_contacts_read(org, record):
    end = datetime.date(2024, 1, 31)
    periods = clinic.twelve_months_trend(end)
    reads = clinic.reads_every(periods, clinic.Scope())
    assert cohort.contacts_read(end, reads) == len(cohort.load(end, reads).contacts) == 2
    assert cohort.contacts_read(end) == len(cohort.load(end).contacts) == 2
    assert cohort.contacts_read(datetime.date(2020, 1, 1)) == 0
    assert cohort.contacts_read(end, window({"episodes": 0}, periods[-1])) == 0  # contacts not read at all
    assert cohort.contacts_read(end, up_to=1) == 1  # counting stops there
    assert figures.worked_out_on_the_page(end, reads)


@pytest.mark.django_db(transaction=True)  # two connections: each sees only what the other has committed
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
def test_figures_kept_by_someone_else_meanwhile_are_replaced_and_the_job_does_not_fail(org, record):
    """Two people work out the same choice at once: the second job's insert meets the first's set, not yet committed,
    waits for it, and then replaces it (before, it failed on the one set per scope and period)."""
    scope, periods = clinic.Scope(), clinic.twelve_months_trend(datetime.date(2024, 1, 31))
    first = connections.create_connection("default")
    first.set_autocommit(False)
    with first.cursor() as cursor:  # the first job's set of the last period, inserted and not yet committed
        cursor.execute('INSERT INTO insight_storedfigures (scope, start, "end", computed_at, figures) '
                       "VALUES (%s, %s, %s, now(), '{}')", [figures.scope_key(scope), periods[-1].start,
                                                             periods[-1].end])
    failed = []

    def second_job():
        try:
            figures.keep(scope, periods)
        except Exception as error:  # noqa: BLE001 (reported to the test's thread)
            failed.append(error)
        finally:
            connection.close()

    second = threading.Thread(target=second_job)
    second.start()
    try:
        for _ in range(600):  # until the second job waits on the first's row (at most a minute)
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database()")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the second job never waited for the first")
    finally:
        first.commit()
        first.close()
        second.join(60)
    assert not failed
    kept = figures.kept_for(scope, periods)
    assert kept is not None and kept.rows[-1].figures["indicators"]  # the second job's figures, not the first's {}
