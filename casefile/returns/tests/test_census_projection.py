"""The census projection, table by table, and its period rules, from records made here (2025-26: 1 April 2025 to
31 March 2026)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefile.casework import models as cw
from casefile.people.models import Disability
from casefile.returns.census import census_for_child, census_for_year, census_year
from casefile.rules import census_projection
from casefile.testing import make_child

D = datetime.date
JUNE = D(2025, 6, 2)
pytestmark = pytest.mark.django_db


def episode(child, org, referral=JUNE, **fields):
    fields.setdefault("referral_source", "2A")
    fields.setdefault("primary_need", "N1")
    fields.setdefault("referral_nfa", False)
    return cw.Episode.objects.create(child=child, referral_date=referral, recorded_by=org.sam, **fields)


def plan(ep, org, kind, start, end=None, **fields):
    return cw.Plan.objects.create(child=ep.child, episode=ep, kind=kind, start_date=start, end_date=end,
                                  contingency="Contingency", recorded_by=org.sam, **fields)


def enquiry(ep, org, day, **fields):
    discussion = cw.StrategyDiscussion.objects.create(
        episode=ep, date=day, chaired_by=org.tess, reason="Concern", decision="s47", decision_rationale="Risk",
        recorded_by=org.sam)
    return cw.Section47Enquiry.objects.create(episode=ep, strategy_discussion=discussion, recorded_by=org.sam,
                                              **fields)


def conference(ep, org, day, kind="initial", **fields):
    return cw.Conference.objects.create(child=ep.child, episode=ep, kind=kind, date=day, chair=org.chris,
                                        recorded_by=org.sam, **fields)


def rows(census, table, child):
    return [row for row in census.tables[table] if row["LAchildID"] == child.reference]


def test_a_child_with_an_episode_in_the_year_has_identifiers_characteristics_and_disabilities(org):
    child = make_child(upn="A001200212345", sex="M", ethnicity="WBRI", date_of_death=D(2026, 4, 10))
    Disability.objects.create(person=child, code="MOB")
    Disability.objects.create(person=child, code="HEAR")
    unborn = make_child("Baby", date_of_birth=None, expected_date_of_birth=D(2026, 5, 1), sex="F", ethnicity="")
    episode(child, org)
    episode(unborn, org)

    census = census_for_year("2025-26")

    [identifiers] = rows(census, "ChildIdentifiers", child)
    assert identifiers == {"LAchildID": child.reference, "UPN": "A001200212345", "FormerUPN": None,
                           "UPNunknown": None, "PersonBirthDate": D(2016, 5, 14), "ExpectedPersonBirthDate": None,
                           "GenderCurrent": None, "Sex": "M",
                           "PersonDeathDate": None}  # the death after 31 March is left out
    assert [row["Disability"] for row in rows(census, "Disabilities", child)] == ["MOB", "HEAR"]
    assert rows(census, "ChildCharacteristics", child)[0]["Ethnicity"] == "WBRI"
    [baby] = rows(census, "ChildIdentifiers", unborn)
    assert (baby["PersonBirthDate"], baby["ExpectedPersonBirthDate"], baby["Sex"]) == (None, D(2026, 5, 1), "U")
    assert rows(census, "ChildCharacteristics", unborn)[0]["Ethnicity"] == "NOBT"
    assert census.header["Year"] == "2026" and census.header["ReferenceDate"] == D(2026, 3, 31)


def test_who_is_in_the_year_and_a_closure_after_31_march_is_left_out(org):
    closed_before = make_child("Before")
    episode(closed_before, org, referral=D(2024, 9, 1), closure_date=D(2025, 3, 31), closure_reason="RC7")
    closed_after = make_child("After")
    episode(closed_after, org, referral=D(2025, 10, 1), closure_date=D(2026, 4, 2), closure_reason="RC8")
    referred_after = make_child("Later")
    episode(referred_after, org, referral=D(2026, 4, 1))
    closed_on_first_day = make_child("First")
    episode(closed_on_first_day, org, referral=D(2025, 2, 1), closure_date=D(2025, 4, 1), closure_reason="RC7")

    census = census_for_year("2025-26")

    assert set(census.children) == {closed_after.reference, closed_on_first_day.reference}
    [after] = rows(census, "CINdetails", closed_after)
    assert (after["CINclosureDate"], after["ReasonForClosure"]) == (None, None)
    [first] = rows(census, "CINdetails", closed_on_first_day)
    assert (first["CINclosureDate"], first["ReasonForClosure"], first["CINdetailsID"]) == (D(2025, 4, 1), "RC7", 1)


def test_episode_details_and_numbering_in_date_order(org):
    child = make_child()
    second = episode(child, org, referral=D(2025, 11, 3), referral_source="6", primary_need="")
    first = episode(child, org, referral=D(2025, 5, 1), closure_date=D(2025, 5, 1), closure_reason="RC7",
                    referral_nfa=True)
    census = census_for_year("2025-26")
    details = rows(census, "CINdetails", child)
    assert [(row["CINdetailsID"], row["CINreferralDate"], row["ReferralNFA"]) for row in details] == [
        (1, first.referral_date, "true"), (2, second.referral_date, "false")]
    assert (details[1]["ReferralSource"], details[1]["PrimaryNeedCode"]) == ("6", None)


def test_assessments_in_the_year_with_their_factors(org):
    child = make_child()
    ep = episode(child, org, referral=D(2025, 1, 6))
    done_before = cw.Assessment.objects.create(episode=ep, start_date=D(2025, 1, 7), authorised_on=D(2025, 3, 1),
                                               recorded_by=org.sam)
    done = cw.Assessment.objects.create(episode=ep, start_date=D(2025, 5, 1), authorised_on=D(2025, 6, 2),
                                        recorded_by=org.sam)
    cw.AssessmentFactor.objects.create(assessment=done, code="3A")
    cw.AssessmentFactor.objects.create(assessment=done, code="1B")
    late = cw.Assessment.objects.create(episode=ep, start_date=D(2026, 3, 2), authorised_on=D(2026, 4, 14),
                                        recorded_by=org.sam)
    cw.AssessmentFactor.objects.create(assessment=late, code="16A")
    cw.Assessment.objects.create(episode=ep, start_date=D(2026, 4, 2), recorded_by=org.sam)
    census = census_for_year("2025-26")
    assessments = rows(census, "Assessments", child)
    assert done_before.pk
    assert [(row["AssessmentID"], row["AssessmentActualStartDate"], row["AssessmentAuthorisationDate"],
             row["AssessmentFactors"]) for row in assessments] == [
        (1, D(2025, 5, 1), D(2025, 6, 2), ("1B", "3A")),
        (2, D(2026, 3, 2), None, ()),  # authorised after 31 March: open on the return, so no factors yet
    ]
    assert [row["AssessmentFactor"] for row in rows(census, "AssessmentFactorsList", child)] == ["1B", "3A"]


def test_section_47_with_its_target_and_conference_and_plans(org):
    child = make_child()
    ep = episode(child, org, referral=D(2025, 6, 2))
    old = episode(child, org, referral=D(2023, 1, 9), closure_date=D(2023, 12, 1), closure_reason="RC7")
    plan(old, org, "cp", D(2023, 2, 1), D(2023, 11, 30), initial_category="NEG", latest_category="NEG")
    s47 = enquiry(ep, org, D(2025, 6, 9))  # a Monday: 15 working days later is Monday 30 June
    icpc = conference(ep, org, D(2025, 6, 27), enquiry=s47, decision="plan", category="EMO")
    cp = plan(ep, org, "cp", D(2025, 6, 27), D(2026, 5, 1), started_by_conference=icpc, initial_category="EMO",
              latest_category="NEG")
    cw.PlanReview.objects.create(plan=cp, date=D(2025, 9, 26), recorded_by=org.sam)
    cw.PlanReview.objects.create(plan=cp, date=D(2026, 4, 20), recorded_by=org.sam)
    enquiry(ep, org, D(2026, 1, 5), outcome="not_substantiated", outcome_date=D(2026, 1, 20))
    plan(ep, org, "cin", D(2025, 6, 3), D(2025, 6, 26))
    plan(ep, org, "cin", D(2026, 4, 1))  # starts after 31 March: left out

    census = census_for_year("2025-26")

    assert [(row["S47ActualStartDate"], row["InitialCPCtarget"], row["DateOfInitialCPC"], row["ICPCnotRequired"])
            for row in rows(census, "Section47", child)] == [
        (D(2025, 6, 9), D(2025, 6, 30), D(2025, 6, 27), "false"),
        (D(2026, 1, 5), D(2026, 1, 26), None, "true"),
    ]
    assert rows(census, "CINdetails", child)[0]["DateOfInitialCPC"] is None  # recorded once, on the enquiry
    [cpp] = rows(census, "ChildProtectionPlans", child)
    assert {key: cpp[key] for key in ("CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                                      "LatestCategoryOfAbuse", "NumberOfPreviousCPP")} == {
        "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": D(2025, 6, 27), "CPPendDate": None,
        "InitialCategoryOfAbuse": "EMO", "LatestCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": "1"}
    assert [row["CPPreviewDate"] for row in rows(census, "Reviews", child)] == [D(2025, 9, 26)]
    assert [(row["CINPlanStartDate"], row["CINPlanEndDate"]) for row in rows(census, "CINplanDates", child)] == [
        (D(2025, 6, 3), D(2025, 6, 26))]


def test_an_enquiry_whose_conference_was_before_the_year_is_left_out(org):
    child = make_child()
    ep = episode(child, org, referral=D(2025, 1, 6))
    s47 = enquiry(ep, org, D(2025, 1, 13))
    conference(ep, org, D(2025, 2, 3), enquiry=s47)
    waiting = enquiry(ep, org, D(2025, 3, 3))
    census = census_for_year("2025-26")
    assert waiting.pk and [row["S47ActualStartDate"] for row in rows(census, "Section47", child)] == [D(2025, 3, 3)]


def test_previous_plans_are_counted_from_the_record():
    starts = [D(2020, 1, 1), D(2022, 5, 1), D(2025, 6, 1)]
    assert [census_projection.previous_plans(starts, day) for day in starts] == [0, 1, 2]


def test_the_census_year_is_parsed_and_unknown_years_are_refused():
    year = census_projection.CensusYear.parse("2025-26")
    assert (year.start, year.reference_date, year.name) == (D(2025, 4, 1), D(2026, 3, 31), "2025-26")
    for bad in ("2025", "2025-27", "25-26", ""):
        with pytest.raises(census_projection.UnknownYear):
            census_projection.CensusYear.parse(bad)
    with pytest.raises(census_projection.UnknownYear, match="2025-26, 2026-27"):
        census_for_year("2019-20")
    assert census_projection.latest_complete_year(D(2026, 12, 3)) == "2025-26"
    assert census_projection.latest_complete_year(D(2026, 3, 30)) == "2024-25"
    assert census_projection.latest_complete_year(D(2026, 3, 31)) == "2025-26"


def test_the_projection_takes_the_same_queries_for_one_child_or_many(org):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            census_for_year("2025-26")
        return len(captured)

    child = make_child()
    ep = episode(child, org)
    plan(ep, org, "cp", D(2025, 7, 1), initial_category="NEG", latest_category="NEG")
    one = queries()
    for number in range(5):
        other = make_child(f"Other{number}")
        ep = episode(other, org)
        cw.Assessment.objects.create(episode=ep, start_date=D(2025, 6, 3), recorded_by=org.sam)
        plan(ep, org, "cp", D(2025, 7, 1), initial_category="NEG", latest_category="NEG")
    assert queries() == one


def test_a_merged_records_episodes_and_disabilities_go_under_the_record_kept(org):
    kept = make_child("Kept")
    merged = make_child("Merged")
    merged.merged_into = kept
    merged.save()
    Disability.objects.create(person=merged, code="AUT")
    episode(merged, org, referral=D(2025, 5, 1), closure_date=D(2025, 5, 20), closure_reason="RC7")
    episode(kept, org, referral=D(2025, 9, 1))
    census = census_for_year("2025-26")
    assert census.children == [kept.reference]
    assert [row["CINreferralDate"] for row in rows(census, "CINdetails", kept)] == [D(2025, 5, 1), D(2025, 9, 1)]
    assert [row["Disability"] for row in rows(census, "Disabilities", kept)] == ["AUT"]


def _merged_and_kept(org):
    """Kept records with merged ones: episodes on either, on both, or on neither, and disabilities on each."""
    both, merged_only, kept_only, plain = (make_child(name) for name in ("Both", "MergedOnly", "KeptOnly", "Plain"))
    for kept, merged_has_episode, kept_has_episode in ((both, True, True), (merged_only, True, False),
                                                       (kept_only, False, True)):
        merged = make_child(f"{kept.last_name}Merged")
        merged.merged_into = kept
        merged.save()
        Disability.objects.create(person=merged, code="AUT")
        Disability.objects.create(person=kept, code="MOB")
        if merged_has_episode:
            ep = episode(merged, org, referral=D(2025, 5, 1), closure_date=D(2025, 5, 20), closure_reason="RC7")
            cw.Assessment.objects.create(episode=ep, start_date=D(2025, 5, 2), recorded_by=org.sam)
        if kept_has_episode:
            ep = episode(kept, org, referral=D(2025, 9, 1))
            plan(ep, org, "cp", D(2025, 10, 1), initial_category="NEG", latest_category="NEG")
    ep = episode(plain, org, referral=D(2025, 7, 1))
    enquiry(ep, org, D(2025, 7, 2))
    return [both, merged_only, kept_only, plain]


def test_one_childs_part_of_the_return_is_their_rows_of_the_whole_return(org):
    """The record page's data-quality check builds one child's part with queries of its own (by id, so the
    database reads that child's rows only): it must give exactly that child's rows of the whole return."""
    children = _merged_and_kept(org)
    whole = census_for_year("2025-26")
    year = census_year("2025-26")
    for child in children:
        part = census_for_child(child.pk, year)
        assert part.children == [child.reference]
        for table in whole.tables:
            assert part.tables[table] == rows(whole, table, child), (child.last_name, table)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_one_childs_part_is_read_by_the_indexes_not_by_reading_every_row(org):
    """On every record page: a query that scanned whole tables made the page three times slower on a real-sized
    authority, whatever this small database's timings say. No query may scan a table of the record."""
    child = _merged_and_kept(org)[0]
    with CaptureQueriesContext(connection) as captured:
        census_for_child(child.pk, census_year("2025-26"))
    scans = set()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            scans |= {row[-1] for row in cursor.fetchall() if row[-1].startswith("SCAN ")}
    # The calendar's closed days are read whole, on purpose (a few hundred rows, cached by the clocks).
    assert {scan for scan in scans if "nonworkingday" not in scan} == set()
