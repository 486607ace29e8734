"""The CIN census export: the XSD check, the pages and who may use them, the background job run by a real worker,
the audited download, and the command line."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from lxml import etree

from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.core.models import Job
from casefile.core.presenters import plural
from casefile.returns import census, census_tasks, validation
from casefile.returns.models import CensusValidation
from casefile.rules.cin.census import Census
from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests import builder
from casefile.rules.cin.write import write
from casefile.testing import make_child

D = datetime.date
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = pytest.mark.django_db


@pytest.fixture
def record(org):
    """A child with a referral, an assessment, an enquiry with its conference and a child protection plan."""
    child = make_child(upn=builder.upn_for("X"), ethnicity="WBRI")
    ep = cw.Episode.objects.create(child=child, referral_date=D(2025, 6, 2), referral_source="2A",
                                   primary_need="N1", referral_nfa=False, recorded_by=org.sam)
    assessment = cw.Assessment.objects.create(episode=ep, start_date=D(2025, 6, 3), authorised_on=D(2025, 7, 1),
                                              recorded_by=org.sam)
    cw.AssessmentFactor.objects.create(assessment=assessment, code="3A")
    discussion = cw.StrategyDiscussion.objects.create(episode=ep, date=D(2025, 7, 7), chaired_by=org.tess,
                                                      reason="Concern", decision="s47", decision_rationale="Risk",
                                                      recorded_by=org.sam)
    enquiry = cw.Section47Enquiry.objects.create(episode=ep, strategy_discussion=discussion, recorded_by=org.sam)
    icpc = cw.Conference.objects.create(child=child, episode=ep, enquiry=enquiry, kind="initial",
                                        date=D(2025, 7, 25), chair=org.chris, recorded_by=org.sam)
    cw.Plan.objects.create(child=child, episode=ep, kind="cp", start_date=D(2025, 7, 25), contingency="C",
                           started_by_conference=icpc, initial_category="NEG", latest_category="NEG",
                           recorded_by=org.sam)
    return child


# The schema ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", census.YEARS)
def test_an_export_matches_the_years_schema(record, year):
    xml = census.export_and_validate(year).xml
    census.check_against_schema(xml, year)  # export checked it already; and the file parses as the schema says
    assert etree.fromstring(xml).findtext("Header/CollectionDetails/Year") == str(int(year[:4]) + 1)


def test_the_schema_allows_no_previous_plans_and_the_2026_27_pre_proceedings_block(record):
    xml = census.export_and_validate("2025-26").xml
    assert b"<NumberOfPreviousCPP>0</NumberOfPreviousCPP>" in xml
    with_block = xml.replace(b"</CINdetails>", b"<PreProceedingsandFGDM><PPStartDate>2025-08-01</PPStartDate>"
                                               b"<PPOutcome>A</PPOutcome></PreProceedingsandFGDM></CINdetails>")
    census.check_against_schema(with_block, "2026-27")
    with pytest.raises(census.SchemaProblem):
        census.check_against_schema(with_block, "2025-26")


@pytest.mark.parametrize("plant, where", [
    ({"Sex": "X"}, "Sex"),
    ({"UPN": "not a upn"}, "UPN"),
    ({"LAchildID": "CF-1"}, "LAchildID"),
])
def test_a_bad_file_fails_the_schema_with_a_plain_message(plant, where):
    child = builder.clean_child("A1")
    child.update(plant)
    with pytest.raises(census.SchemaProblem, match=f"does not match the 2025-26 census schema: line 1: .*{where}"):
        census.check_against_schema(builder.census_xml([child]), "2025-26")


def test_elements_out_of_order_or_not_xml_fail_the_schema():
    xml = builder.census_xml([builder.clean_child("A1")])
    swapped = xml.replace(b"<ReferralSource>2A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>",
                          b"<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralSource>2A</ReferralSource>")
    assert swapped != xml
    with pytest.raises(census.SchemaProblem):
        census.check_against_schema(swapped, "2025-26")
    with pytest.raises(census.SchemaProblem, match="not well-formed XML"):
        census.check_against_schema(xml[:200], "2025-26")


def test_an_export_that_fails_its_schema_fails_the_job_and_keeps_nothing(org, record, monkeypatch):
    def planted(year, *, progress=None, now=None) -> Census:
        built = census_for_year(year, progress=progress, now=now)
        built.tables["ChildIdentifiers"][0]["Sex"] = "X"
        return built

    census_for_year = census.census_for_year
    monkeypatch.setattr(census, "census_for_year", planted)
    job = census_tasks.export_in_background(actor=org.pat, year="2025-26")
    job.refresh_from_db()
    assert job.status == "failed" and job.result_file is None
    assert "does not match the 2025-26 census schema" in job.error and "Sex" in job.error


# Pages and access ----------------------------------------------------------------------------------------


REFUSED = ("sam", "tess", "simon", "hana", "ola", "fran", "mo", "mel", "chris", "quinn", "petra")


@pytest.mark.parametrize("name", REFUSED)
def test_everyone_else_is_refused_before_filling_anything_in(client, org, name):
    user = getattr(org, name)
    assert user.role not in (Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR)
    client.force_login(user)
    for url in (reverse("returns:home"), reverse("returns:census")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only performance analysts and administrators make statutory returns" in response.content.decode()
    assert client.post(reverse("returns:census"), {"year": "2025-26"}).status_code == 403
    assert not Job.objects.exists()
    assert f'href="{reverse("returns:home")}"' not in client.get(reverse("core:my_work")).content.decode()


def test_an_analyst_finds_returns_from_my_work_and_the_census_from_returns(client, org):
    client.force_login(org.pat)
    assert f'href="{reverse("returns:home")}"' in client.get(reverse("core:my_work")).content.decode()
    home = client.get(reverse("returns:home")).content.decode()
    assert reverse("returns:census") in home and "Children in need census" in home


@time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False)
def test_the_year_defaults_to_the_latest_complete_one(client, org):
    client.force_login(org.ada)
    page = client.get(reverse("returns:census")).content.decode()
    assert 'value="2025-26" checked' in page and 'value="2026-27"' in page


def test_an_unknown_year_is_refused_on_the_form(client, org):
    client.force_login(org.pat)
    response = client.post(reverse("returns:census"), {"year": "2019-20"})
    assert response.status_code == 200 and "Select a census year from the list" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_file_and_the_download_is_audited(client, org, record, settings):
    settings.TASKS = DATABASE_BACKEND
    client.force_login(org.pat)
    response = client.post(reverse("returns:census"), {"year": "2025-26"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == "queued" and DBTaskResult.objects.get().status == "READY"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == ("done", census.STAGES, census.STAGES, "")
    page = client.get(response["Location"]).content.decode()
    results = reverse("returns:validation_results", args=[job.pk])
    assert results in page and "See the checks and download the file" in page
    # The file was checked against the year's rules as it was made: the results page offers it.
    page = client.get(results).content.decode()
    download = reverse("returns:census_download", args=[job.pk])
    assert download in page and "Download the census file" in page and "Back to the census export" in page
    before = AuditEvent.objects.filter(action=Action.EXPORT).count()
    file = client.get(download)
    assert file.status_code == 200 and file["Content-Type"] == "application/xml"
    assert 'filename="CIN_census_2025_26.xml"' in file["Content-Disposition"]
    assert record.reference.encode() in file.content
    census.check_against_schema(file.content, "2025-26")
    # The results kept are those of validating the file itself, issue for issue.
    kept = CensusValidation.objects.get(job=job)
    read_back = pack("2025-26").validate(parse(file.content))
    assert (kept.source, kept.checked, kept.children) == ("export", True, 1)
    assert (kept.errors, kept.queries) == (sum(i.is_error for i in read_back), sum(not i.is_error for i in read_back))
    assert kept.errors > 0  # the record's child has no disability recorded (8540)
    assert [row.cells()[:5] for row in validation.issues_of(kept)] == [
        [i.child or "", i.table, ", ".join(i.fields), i.value, i.code] for i in read_back]
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == before + 1
    assert (event.actor, event.details["year"], event.details["job"]) == (org.pat, "2025-26", str(job.pk))


def test_only_the_person_who_asked_may_download_and_only_while_allowed(client, org, record):
    job = census_tasks.export_in_background(actor=org.pat, year="2025-26")
    download = reverse("returns:census_download", args=[job.pk])
    client.force_login(org.ada)
    assert client.get(download).status_code == 404  # another analyst or administrator: not theirs
    client.force_login(org.pat)
    assert client.get(download).status_code == 200
    org.pat.role = Role.SOCIAL_WORKER
    org.pat.save()
    exports = AuditEvent.objects.filter(action=Action.EXPORT).count()
    assert client.get(download).status_code == 403
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == exports


def test_a_job_whose_starter_may_no_longer_make_returns_fails(org, record, settings):
    settings.TASKS = DATABASE_BACKEND
    job = census_tasks.export_in_background(actor=org.pat, year="2025-26")
    org.pat.role = Role.SOCIAL_WORKER
    org.pat.save()
    census_tasks.cin_census_task.call(job_id=str(job.pk), year="2025-26")
    job.refresh_from_db()
    assert job.status == "failed" and "no longer make statutory returns" in job.error


# The command line ----------------------------------------------------------------------------------------


def test_the_command_writes_a_checked_file_and_audits_a_system_export(record, tmp_path):
    output, said = tmp_path / "cin.xml", io.StringIO()
    call_command("export_cin", "--year", "2025-26", "--output", str(output), stdout=said)
    xml = output.read_bytes()
    census.check_against_schema(xml, "2025-26")
    assert record.reference.encode() in xml
    # The rules' counts, as validating the file would give them.
    found = pack("2025-26").validate(parse(xml))
    errors = sum(issue.is_error for issue in found)
    assert errors > 0
    queries = len(found) - errors
    assert (f"Checked against the 2025-26 rules: {plural(errors, 'error')} and {plural(queries, 'query', 'queries')} "
            f"(manage.py validate_cin {output} --year 2025-26 lists them).") in said.getvalue()
    assert "Building the return for 1 child…" in said.getvalue()
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert event.actor is None and event.details["command"] == "export_cin" and event.details["year"] == "2025-26"


@pytest.mark.parametrize("year, message", [
    ("2019-20", "no census schema for 2019-20. Census years it exports: 2025-26, 2026-27"),
    ("2025", "not a census year: write it as 2025-26"),
])
def test_the_command_refuses_an_unknown_year(tmp_path, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_cin", "--year", year, "--output", str(tmp_path / "cin.xml"))
    assert not (tmp_path / "cin.xml").exists()


def test_a_file_that_fails_the_schema_is_not_written(record, tmp_path, monkeypatch):
    def bad(census_data):
        return write(census_data).replace(b"<Sex>", b"<Sex>X", 1)

    monkeypatch.setattr(census, "write", bad)
    with pytest.raises(CommandError, match="does not match the 2025-26 census schema.*No file was written"):
        call_command("export_cin", "--year", "2025-26", "--output", str(tmp_path / "cin.xml"))
    assert not (tmp_path / "cin.xml").exists()


def test_an_analysts_my_work_lists_their_recent_returns_each_leading_to_its_job(client, org, record):
    job = census_tasks.export_in_background(actor=org.pat, year="2025-26")
    census_tasks.export_in_background(actor=org.ada, year="2025-26")  # someone else's: not listed
    client.force_login(org.pat)
    page = client.get(reverse("core:my_work")).content.decode()
    assert "Your recent returns and checks" in page and "CIN census 2025-26" in page
    assert page.count(reverse("core:job", args=[job.pk])) == 1
    assert page.count("CIN census 2025-26") == 2  # the description, and the link's hidden words
