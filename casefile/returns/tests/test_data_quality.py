"""Data quality as you type (issue 11, item 4): the census rules run on a child's record now, the record page warns
those who change it, a query can be explained and the explanation goes into the return's notes, and the
data-quality page lists every child with a problem by team and worker, only to those who may see them."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.people.models import Disability
from casefile.returns import data_quality
from casefile.returns.models import CensusValidation, QueryExplanation
from casefile.rules.cin.tests import builder
from casefile.testing import allocate, make_child

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_census_year():
    """Mid-way through the 2025-26 census year, whose reference date (31 March 2026) is ahead."""
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def child(org):
    """Sam's child: referred in June, an assessment started and still not authorised (query 8670Q by 31 March),
    and no disability recorded, not even "none" (error 8540)."""
    person = make_child(upn=builder.upn_for("DQ"), ethnicity="WBRI")
    allocate(person, org.sam)
    episode = cw.Episode.objects.create(child=person, referral_date=D(2025, 6, 2), referral_source="2A",
                                        primary_need="N1", referral_nfa=False, recorded_by=org.sam)
    cw.Assessment.objects.create(episode=episode, start_date=D(2025, 6, 3), recorded_by=org.sam)
    return person


def _codes(check) -> dict[str, str]:
    return {issue.code: issue.kind for issue in check.issues}


def test_the_rules_find_what_the_record_lacks_and_say_where_to_put_it_right(child):
    check = data_quality.check_child(child)
    assert check.year.name == "2025-26"
    assert _codes(check) == {"8540": "error", "8670Q": "query"}
    missing = check.errors[0]
    assert missing.field_labels == "Disability" and missing.value == ""
    assert missing.fix_url == reverse("people:disabilities", kwargs={"person_id": child.pk})
    late = check.open_queries[0]
    # Each field the rule reads, with its value, even one that is empty.
    assert late.as_recorded == "Assessment start date: 2025-06-03; Assessment authorised on: not recorded"
    assert missing.as_recorded == "Disability: not recorded"
    assert late.fix_text == "the referral of 2 June 2025"
    assert late.fix_url == reverse("casework:episode", kwargs={"person_id": child.pk,
                                                               "episode_id": child.episodes.get().pk})

    Disability.objects.create(person=child, code="NONE")
    assert _codes(data_quality.check_child(child)) == {"8670Q": "query"}


def test_a_child_not_on_the_years_return_has_no_checks(org):
    assert data_quality.check_child(make_child(first_name="Nobody")) is None


def test_the_year_in_progress_and_its_rules():
    assert data_quality.year_in_progress(D(2026, 3, 31)).name == "2025-26"
    assert data_quality.year_in_progress(D(2026, 4, 1)).name == "2026-27"
    assert data_quality.rules_for(data_quality.year_in_progress(D(2031, 5, 1))).year == "2026-27"
    assert data_quality.rules_for(data_quality.year_in_progress(D(2019, 5, 1))).year == "2022-23"


def test_the_record_warns_whoever_changes_it_and_links_to_the_reasons(client, org, child):
    client.force_login(org.sam)
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert 'id="census-panel"' in page and "This will fail the 2025-26 census: rule 8540" in page
    assert reverse("returns:child_census", kwargs={"person_id": child.pk}) in page

    client.force_login(org.fran)  # the front door reads the record, changes nothing: no warning to act on
    response = client.get(reverse("people:record", kwargs={"person_id": child.pk}))
    assert response.status_code == 200 and 'id="census-panel"' not in response.content.decode()


def test_a_worker_explains_a_query_and_it_goes_into_the_returns_notes(client, org, child):
    url = reverse("returns:child_census", kwargs={"person_id": child.pk})
    client.force_login(org.sam)
    page = client.get(url).content.decode()
    assert "This will fail the census (1)" in page and "The DfE will query this (1)" in page
    assert 'id="explain-8670Q"' in page
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.sam, child_id=child.pk).exists()

    empty = client.post(url, {"rule": "8670Q", "explanation": "  "})
    assert empty.status_code == 200 and "Enter why the record is right" in empty.content.decode()
    wrong = client.post(url, {"rule": "8540", "explanation": "It is an error, not a query"})
    assert "Rule 8540 does not query this child" in wrong.content.decode()
    assert not QueryExplanation.objects.exists()

    saved = client.post(url, {"rule": "8670Q", "explanation": "Parent in hospital; assessment resumes in April."})
    assert saved.status_code == 302
    kept = QueryExplanation.objects.get()
    assert (kept.child, kept.rule, kept.recorded_by) == (child, "8670Q", org.sam)
    assert AuditEvent.objects.filter(action=Action.CREATE, actor=org.sam, child_id=child.pk,
                                     details__rule="8670Q").exists()
    page = client.get(url).content.decode()
    assert "Queries explained (1)" in page and "The DfE will query this" not in page

    client.force_login(org.pat)
    notes = client.get(reverse("returns:census_notes"), {"year": "2025-26"})
    rows = list(csv.reader(io.StringIO(notes.content.decode("utf-8-sig"))))
    assert rows == [list(data_quality.NOTES_COLUMNS),
                    [child.reference, "8670Q", "Parent in hospital; assessment resumes in April.", "Sam Worker",
                     "2026-01-15 10:00"]]
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=org.pat, details__rows=1).exists()


def test_only_those_who_may_change_the_record_explain_and_only_analysts_take_the_notes(client, org, child):
    url = reverse("returns:child_census", kwargs={"person_id": child.pk})
    client.force_login(org.fran)  # reads every record, changes only the front door's
    assert 'id="cannot-explain"' in client.get(url).content.decode()
    assert client.post(url, {"rule": "8670Q", "explanation": "Fine"}).status_code == 403
    assert client.get(reverse("returns:census_notes")).status_code == 403
    client.force_login(org.quinn)  # quality assurance opens only the children sampled for audit
    assert client.get(url).status_code == 404
    client.force_login(org.petra)
    assert client.get(url).status_code == 404
    assert not QueryExplanation.objects.exists()


def test_the_data_quality_page_lists_each_child_with_a_problem_by_team_and_worker(client, org, child):
    other = make_child(first_name="Olly", upn=builder.upn_for("OT"), ethnicity="WBRI")
    allocate(other, org.ola)
    cw.Episode.objects.create(child=other, referral_date=D(2025, 9, 1), referral_source="2A", primary_need="N1",
                              referral_nfa=False, recorded_by=org.ola)
    url = reverse("returns:data_quality")
    client.force_login(org.sam)
    assert 'id="never-checked"' in client.get(url).content.decode()

    started = client.post(url)
    assert started.status_code == 302
    found = CensusValidation.objects.get(source=CensusValidation.Source.RECORD)
    assert found.checked and found.children == 2 and found.year == "2025-26"

    page = client.get(url).content.decode()  # sam sees only the child he may open
    assert child.full_name in page and "Olly" not in page
    assert "2 of the 2 children on the return had an issue when it was checked; 1 of them" in page
    assert reverse("returns:child_census", kwargs={"person_id": child.pk}) in page
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.sam, details__shown=[child.pk]).exists()

    client.force_login(org.fran)  # the front door may open every child: all of them, by team and worker
    page = client.get(url).content.decode()
    assert child.full_name in page and "Olly Hartley" in page
    assert "Sam Worker" in page and org.ola.get_full_name() in page
    only = client.get(url, {"worker": org.ola.get_full_name()}).content.decode()
    assert "Olly Hartley" in only and reverse("returns:child_census", kwargs={"person_id": child.pk}) not in only
    assert "Rule 2887Q" in page  # the return as a whole: fewer than 8 disability codes


def test_the_data_quality_page_is_refused_to_those_who_do_not_handle_cases(client, org):
    for user in (org.petra, org.chris):
        client.force_login(user)
        assert client.get(reverse("returns:data_quality")).status_code == 403
        assert client.post(reverse("returns:data_quality")).status_code == 403
    assert not CensusValidation.objects.exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_queries_however_many_children_and_episodes(client, org, child):
    client.force_login(org.fran)
    client.post(reverse("returns:data_quality"))
    few = _queries(client, reverse("returns:data_quality"))
    one_episode = _queries(client, reverse("returns:child_census", kwargs={"person_id": child.pk}))
    for number in range(4):
        extra = make_child(first_name=f"Extra{number}", upn=builder.upn_for(f"E{number}"), ethnicity="WBRI")
        allocate(extra, org.ola)
        cw.Episode.objects.create(child=extra, referral_date=D(2025, 9, 1), referral_source="2A", primary_need="N1",
                                  referral_nfa=False, recorded_by=org.ola)
        cw.Episode.objects.create(child=child, referral_date=D(2025, 10, number + 1), referral_source="2A",
                                  primary_need="N1", referral_nfa=True, closure_date=D(2025, 10, number + 1),
                                  closure_reason="RC8", recorded_by=org.sam)
    client.post(reverse("returns:data_quality"))
    assert _queries(client, reverse("returns:data_quality")) == few
    assert _queries(client, reverse("returns:child_census", kwargs={"person_id": child.pk})) == one_episode


def test_the_page_reads_its_children_in_batches_with_the_same_answer(org, child, monkeypatch):
    """SQLite refuses more than 32,766 parameters in a query: long lists of children are read in batches."""
    from casefile.core import batches

    other = make_child(first_name="Olly", upn=builder.upn_for("OT"), ethnicity="WBRI")
    allocate(other, org.ola)
    cw.Episode.objects.create(child=other, referral_date=D(2025, 9, 1), referral_source="2A", primary_need="N1",
                              referral_nfa=False, recorded_by=org.ola)
    data_quality.start_check(actor=org.ada)
    found = data_quality.latest_check()
    whole = data_quality.problems(org.ada, found)
    monkeypatch.setattr(batches, "BATCH", 1)
    one_by_one = data_quality.problems(org.ada, found)
    assert [(c.person.pk, c.team, c.worker, c.codes) for c in one_by_one.children] == \
        [(c.person.pk, c.team, c.worker, c.codes) for c in whole.children]
    assert {c.person.pk for c in whole.children} == {child.pk, other.pk}
