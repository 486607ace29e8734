"""The Standard Safeguarding Dataset export: CSV files with the SSD's table and column names in a zip, with a data
dictionary, made in the background for analysts and administrators, every asking and download audited."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.core.models import Job
from casefile.people.models import Address, Disability
from casefile.returns import ssd
from casefile.rules import ssd as spec
from casefile.testing import make_adult, make_child

START = reverse("returns:ssd")


@pytest.fixture
def journey(org, child):
    cw.Allocation.objects.filter(child=child).update(start_date=datetime.date(2024, 1, 8))
    Disability.objects.create(person=child, code="LD")
    Address.objects.create(person=child, line_1="1 Mill Lane", town="Leeds", postcode="LS1 4AB")
    Address.objects.create(person=make_adult(), line_1="1 Mill Lane", postcode="LS1 4AB")
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


def export(client):
    asked = client.post(START)
    assert asked.status_code == 302 and asked.url.startswith("/jobs/"), asked
    job = Job.objects.get(pk=asked.url.split("/")[2])
    assert job.status == Job.Status.DONE, job.error
    assert "Download the zip file" in client.get(asked.url).content.decode()
    return job, client.get(job.result_url)


def tables(response) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    read = {}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        read[name] = list(csv.DictReader(io.StringIO(text)))
    return read


def test_the_zip_has_a_csv_per_table_with_the_ssd_names_and_a_data_dictionary(client, org, child, journey):
    client.force_login(org.pat)
    job, response = export(client)
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "no-store"
    read = tables(response)
    assert set(read) == {f"{name}.csv" for name in spec.TABLES} | {"data_dictionary.csv"}
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    for name, columns in spec.TABLES.items():
        header = next(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8-sig"))))
        assert header == [column.name for column in columns], name
    dictionary = read["data_dictionary.csv"]
    assert {"table": "ssd_cp_plans", "column": "cppl_cp_plan_initial_category",
            "description": "Initial category of abuse (NEG, PHY, EMO, SAB, MUL)", "item_ref": "CPPL009A",
            "casefile_source": "casework.Plan.initial_category"} in dictionary
    assert len(dictionary) == sum(len(columns) for columns in spec.TABLES.values())
    ref = child.reference
    assert read["ssd_person.csv"] == [{"pers_person_id": ref, "pers_sex": "F", "pers_ethnicity": "",
                                       "pers_dob": "2016-05-14", "pers_upn_unknown": "", "pers_expected_dob": "",
                                       "pers_death_date": ""}]
    episode, plan = journey.episode, journey.plan
    assert read["ssd_cin_episodes.csv"] == [{
        "cine_referral_id": str(episode.pk), "cine_person_id": ref, "cine_referral_date": "2024-01-08",
        "cine_cin_primary_need_code": "N1", "cine_referral_source_code": "2A", "cine_referral_nfa": "N",
        "cine_close_reason": "", "cine_close_date": "", "cine_referral_team": str(org.assessment.pk),
        "cine_referral_worker_id": str(org.sam.pk)}]
    assert read["ssd_cp_plans.csv"][0]["cppl_icpc_id"] == str(journey.conference.pk)
    assert read["ssd_initial_cp_conference.csv"][0]["icpc_cp_plan_id"] == str(plan.pk)
    assert read["ssd_initial_cp_conference.csv"][0]["icpc_icpc_outcome_cp_flag"] == "Y"
    assert read["ssd_cp_reviews.csv"][0]["cppr_cp_review_outcome_continue_cp"] == "Y"
    assert read["ssd_cp_visits.csv"][0]["cppv_cp_visit_seen_alone"] == "Y"
    assert read["ssd_assessment_factors.csv"][0]["cinf_assessment_factors_json"] == '["16A"]'
    assert read["ssd_early_help_episodes.csv"][0]["earl_episode_organisation"] == "Family Hub North"
    assert read["ssd_disability.csv"][0]["disa_disability_code"] == "LD"
    # The child's address only (not the adult's), and only its postcode.
    assert read["ssd_address.csv"] == [{"addr_table_id": str(child.addresses.get().pk), "addr_person_id": ref,
                                        "addr_address_start_date": "", "addr_address_end_date": "",
                                        "addr_address_postcode": "LS1 4AB"}]
    assert read["ssd_involvements.csv"][0]["invo_professional_id"] == str(org.sam.pk)
    assert read["ssd_professionals.csv"][0]["prof_professional_name"] == "Sam Worker"
    assert read["ssd_department.csv"] == [{"dept_team_id": str(org.assessment.pk), "dept_team_name": "Assessment Team"}]
    assert job.details["rows"]["ssd_cp_plans"] == 1


def test_the_export_holds_no_names_case_notes_or_free_text(client, org, child, journey):
    client.force_login(org.ada)
    _, response = export(client)
    content = "".join(zipfile.ZipFile(io.BytesIO(response.content)).read(name).decode("utf-8-sig")
                      for name in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
                      if name != "data_dictionary.csv")
    for private in ("Lily", "Hartley", "Mill Lane", "cereal", "Attendance improving", "Plan goals met",
                    "Bruising", "Allocated for assessment"):
        assert private not in content, private


def test_cells_are_made_safe_for_spreadsheets(client, org, child, journey):
    cw.EarlyHelpTransfer.objects.update(early_help_provider="=cmd|'/c calc'!A1")
    client.force_login(org.pat)
    _, response = export(client)
    assert tables(response)["ssd_early_help_episodes.csv"][0]["earl_episode_organisation"] == "'=cmd|'/c calc'!A1"


def test_asking_and_each_download_are_audited(client, org, child, journey):
    client.force_login(org.pat)
    job, _ = export(client)
    asked, downloaded = AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk")
    assert asked.details == {"return": "ssd_export", "step": "asked", "job": str(job.pk)}
    assert downloaded.details["step"] == "downloaded" and downloaded.details["shown"] == [child.pk]
    assert downloaded.actor == org.pat and downloaded.subject_id == str(job.pk)


@pytest.mark.parametrize("name", ["sam", "tess", "simon", "hana", "ola", "fran", "mo", "mel", "chris", "quinn",
                                  "petra"])
def test_everyone_else_is_refused(client, org, child, journey, name):
    client.force_login(org.pat)
    job, _ = export(client)
    client.force_login(getattr(org, name))
    assert client.get(START).status_code == 403
    assert client.post(START).status_code == 403
    assert client.get(job.result_url).status_code == 403
    assert Job.objects.count() == 1


def test_an_administrator_cannot_download_an_analysts_export(client, org, child, journey):
    client.force_login(org.pat)
    job, _ = export(client)
    client.force_login(org.ada)
    assert client.get(job.result_url).status_code == 404
    assert reverse("returns:annex_a") in client.get(START).content.decode()


def test_loading_costs_the_same_queries_however_much_is_recorded(org, child, journey):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            ssd.load()
        return len(captured)

    before = queries()
    for number in range(3):
        make_journey(make_child(f"Child{number}", "Other"), worker=org.sam, manager=org.tess, chair=org.hana)
    assert queries() == before
