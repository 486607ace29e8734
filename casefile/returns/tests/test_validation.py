"""The CIN census validator page, its background job, its results and downloads, and the CLI: a real census file
read by the real parser and checked by the real rules, through the job layer (the test backend runs the task
at once), as each role."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casefile.access import policy
from casefile.audit.models import Action, AuditEvent
from casefile.core import jobs
from casefile.core.models import Job
from casefile.returns import validation
from casefile.returns.models import CensusValidation
from casefile.rules.cin.tests.builder import HEADER, census_xml, clean_child, clean_return

UPLOAD = "/returns/validate/"


def _flawed() -> bytes:
    """A return with a wrong reference date (rule 100) and a child with no LA child ID (rule 8500)."""
    nameless = clean_child("X")
    nameless["LAchildID"] = ""
    return clean_return([clean_child("A1"), nameless, clean_child("B2")],
                        header={**HEADER, "ReferenceDate": "2026-03-30"})


def _upload(client, data: bytes, year: str = "", name: str = "census.xml"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "application/xml"), "year": year})


def _job_from(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_an_analyst_uploads_a_census_follows_the_job_and_reads_the_results(client, org):
    client.force_login(org.pat)
    job = _job_from(_upload(client, _flawed()))
    assert (job.status, job.kind, job.error) == ("done", "cin_validation", "")
    assert (job.done, job.total) == (job.total, len(validation.packs.pack("2025-26").rules))
    found = CensusValidation.objects.get(job=job)
    assert (found.checked, found.children, found.errors, found.queries, found.year) == (True, 3, 2, 0, "2025-26")
    assert found.upload is None, "the file is not kept once read"
    assert job.result_url == reverse("returns:validation_results", kwargs={"job_id": job.pk})
    assert AuditEvent.objects.filter(action=Action.IMPORT, actor=org.pat, subject_id=str(found.pk),
                                     details__filename="census.xml", details__year="2025-26").exists()

    page = client.get(job.result_url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Reference Date is incorrect" in text and "LA Child ID missing" in text
    assert 'id="count-errors">2<' in text, text
    assert "Showing 2 issues" in text, text
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.pat, subject_type="returns.censusvalidation",
                                     subject_id=str(found.pk)).exists()

    only = client.get(job.result_url, {"rule": "8500"}).content.decode()
    assert "LA Child ID missing" in only and "Showing 1 issue" in only
    queries = client.get(job.result_url, {"kind": "query"}).content.decode()
    assert "No issues match the filters" in queries


def test_the_year_is_the_one_chosen_else_the_files_own(client, org):
    client.force_login(org.ada)
    _upload(client, census_xml([clean_child("A1")]), year="2024-25")
    _upload(client, census_xml([clean_child("A1")]))
    assert list(CensusValidation.objects.order_by("pk").values_list("year", "checked")) == [
        ("2024-25", True), ("2025-26", True)]


def test_a_clean_file_says_it_breaks_nothing(client, org):
    client.force_login(org.pat)
    job = _job_from(_upload(client, clean_return([clean_child("A1")])))
    text = client.get(job.result_url).content.decode()
    assert 'id="no-issues"' in text and "issues.csv" not in text


def _truncated() -> bytes:
    return census_xml([clean_child(f"A{n}") for n in range(20)])[:-300]


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><Message><Header>&lol3;</Header></Message>')


@pytest.mark.parametrize(("data", "year", "says"), [
    (b"LAchildID,UPN\nA1,A123\n", "", "is not well-formed XML"),
    (b"", "", "Select the census file"),
    (b"<Other><Children/></Other>", "", "starts with <Other>, not <Message>"),
    (BOMB, "", "declares a document type or entities"),
    (census_xml([clean_child("A1")], header={**HEADER, "ReferenceDate": "2019-03-31", "Year": "2019"}), "",
     "There are no census rules for '2018-19'"),
    (census_xml([clean_child("A1")], header={**HEADER, "ReferenceDate": None, "Year": None}), "",
     "names no census year: choose the year"),
    (census_xml([clean_child("A1")]), "1999-00", "Select a valid choice"),
])
def test_what_is_not_a_census_is_refused_on_the_page_and_nothing_is_kept(client, org, data, year, says):
    client.force_login(org.pat)
    response = _upload(client, data, year=year) if data else client.post(UPLOAD, {"year": year})
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert says in text, text[:3000]
    assert "The file was not checked" in text
    assert not CensusValidation.objects.exists() and not Job.objects.exists()
    if data:
        assert AuditEvent.objects.filter(action=Action.IMPORT, actor=org.pat, details__filename="census.xml",
                                         details__refused__isnull=False).exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(client, org, settings):
    settings.CASEFILE_CIN_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(org.pat)
    data = census_xml([clean_child(f"A{n}") for n in range(2_500)])
    assert len(data) > 1024 * 1024
    text = html.unescape(_upload(client, data).content.decode())
    assert "The file is larger than 1 MB, the most the validator accepts" in text, \
        re.findall(r"govuk-error-message.*", text)
    assert not CensusValidation.objects.exists()


def test_a_file_cut_short_fails_its_job_in_plain_words_and_keeps_nothing(client, org):
    client.force_login(org.pat)
    job = _job_from(_upload(client, _truncated()))
    assert job.status == "failed"
    assert "census.xml was not checked" in job.error and "cut short" in job.error
    found = CensusValidation.objects.get(job=job)
    assert (found.checked, found.issues, found.upload) == (False, None, None)
    page = client.get(reverse("core:job", kwargs={"job_id": job.pk})).content.decode()
    assert "cut short" in page
    assert client.get(reverse("returns:validation_results", kwargs={"job_id": job.pk})).status_code == 404


def test_reading_reports_progress_as_it_goes():
    seen = []
    reading = validation._Reading(b"x" * 1000, seen.append)
    while reading.read(100):
        pass
    assert seen == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]


# Who may use it -------------------------------------------------------------------------------------------


def test_only_analysts_and_administrators_may_validate_and_only_their_own_results(client, org):
    client.force_login(org.pat)
    job = _job_from(_upload(client, _flawed()))
    results = reverse("returns:validation_results", kwargs={"job_id": job.pk})
    for user in org.everyone().values():
        client.force_login(user)
        allowed = user in (org.pat, org.ada)
        assert client.get(UPLOAD).status_code == (200 if allowed else 403), user
        assert _upload(client, _flawed()).status_code == (302 if allowed else 403), user
        for path in (results, f"{results}issues.csv", f"{results}issues.xlsx"):
            expected = 200 if user == org.pat else 404 if allowed else 403
            assert client.get(path).status_code == expected, (user, path)
    assert CensusValidation.objects.filter(started_by=org.ada).count() == 1
    assert CensusValidation.objects.exclude(started_by__in=[org.pat, org.ada]).count() == 0


# Links to children ----------------------------------------------------------------------------------------


def _stored(user, rows: list[list[str]]) -> CensusValidation:
    """Results as the job keeps them (code, kind, LAchildID, table, field, value)."""
    job = Job.objects.create(kind=validation.KIND, description="Checking", started_by=user, status="done")
    by_rule = {row[0]: {"kind": row[1], "message": f"Message of {row[0]}", "count": 1} for row in rows}
    return CensusValidation.objects.create(
        job=job, started_by=user, filename="ours.xml", year="2025-26", checked=True, children=len(rows),
        errors=len(rows), by_rule=by_rule, issues=zlib.compress(json.dumps(rows).encode()))


@pytest.mark.parametrize("username", ["pat", "ada"])
def test_a_child_is_linked_only_when_ours_and_the_user_may_see_them(client, org, child, username):
    user = getattr(org, username)
    found = _stored(user, [["8610", "error", child.reference, "CINdetails", "ReferralSource", "99"],
                           ["8610", "error", "CF99999999", "CINdetails", "ReferralSource", "98"],
                           ["8610", "error", f"{child.reference}X", "CINdetails", "ReferralSource", "97"]])
    client.force_login(user)
    text = client.get(reverse("returns:validation_results", kwargs={"job_id": found.job_id})).content.decode()
    record_link = f'href="{reverse("people:record", kwargs={"person_id": child.pk})}"'
    may_see = policy.can_view(user, child)
    assert (record_link in text) is may_see
    assert child.reference in text and "CF99999999" in text
    assert child.last_name not in text, "the page names no child beyond the file's own ids"
    event = AuditEvent.objects.filter(action=Action.VIEW, actor=user, subject_id=str(found.pk)).get()
    assert event.details["shown"] == ([child.pk] if may_see else [])


def test_an_administrator_who_may_see_the_child_gets_a_link(org, child):
    # The parametrized test above checks the link follows the policy either way; this pins that one case links.
    assert policy.can_view(org.ada, child) or policy.can_view(org.pat, child)


def test_the_results_page_costs_the_same_queries_however_many_issues_and_children(client, org, child):
    client.force_login(org.ada)
    few = _stored(org.ada, [["8610", "error", child.reference, "CINdetails", "ReferralSource", "99"]])
    many = _stored(org.ada, [["8610", "error", child.reference, "CINdetails", "ReferralSource", "99"]]
                   + [[code, "query" if code.endswith("Q") else "error", f"CF{n:08d}", "CINdetails", "X", str(n)]
                      for n in range(200) for code in ("8525Q", "8610")])
    counts = []
    for found in (few, many):
        path = reverse("returns:validation_results", kwargs={"job_id": found.job_id})
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Downloads ------------------------------------------------------------------------------------------------


def test_the_issues_download_as_csv_and_xlsx_each_audited(client, org):
    client.force_login(org.pat)
    found = _stored(org.pat, [["8610", "error", "A1", "CINdetails", "ReferralSource", "=HYPERLINK(1)"],
                              ["8525Q", "query", "B2", "CINdetails", "CINreferralDate", "2025-06-02"]])
    base = reverse("returns:validation_results", kwargs={"job_id": found.job_id})

    response = client.get(f"{base}issues.csv", {"kind": "error"})
    assert response["Content-Disposition"] == 'attachment; filename="ours-issues.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [list(validation.COLUMNS),
                    ["A1", "CINdetails", "ReferralSource", "'=HYPERLINK(1)", "8610", "Error", "Message of 8610"]]

    response = client.get(f"{base}issues.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(validation.COLUMNS)
    assert values[1:] == [["A1", "CINdetails", "ReferralSource", "'=HYPERLINK(1)", "8610", "Error", "Message of 8610"],
                          ["B2", "CINdetails", "CINreferralDate", "2025-06-02", "8525Q", "Query", "Message of 8525Q"]]

    events = AuditEvent.objects.filter(action=Action.EXPORT, actor=org.pat, subject_id=str(found.pk))
    assert sorted((event.details["format"], event.details["rows"], event.details["filters"]) for event in events) == [
        ("csv", 1, {"kind": "error"}), ("xlsx", 2, {})]


# Our own export -------------------------------------------------------------------------------------------


def test_our_own_export_is_validated_from_its_job(client, org):
    export = Job.objects.create(kind="cin_export", description="Census", started_by=org.pat, status="done",
                                result_file=census_xml([clean_child("A1")]), result_filename="cin-2025-26.xml")
    client.force_login(org.pat)
    form_page = client.get(UPLOAD)  # the token a form carries comes with the page
    assert form_page.status_code == 200
    job = _job_from(client.post(reverse("returns:validate_export", kwargs={"job_id": export.pk}), {"year": ""}))
    found = CensusValidation.objects.get(job=job)
    assert (found.source, found.filename, found.checked, found.errors) == ("export", "cin-2025-26.xml", True, 0)
    client.force_login(org.ada)  # someone else's export is not theirs to validate
    response = client.post(reverse("returns:validate_export", kwargs={"job_id": export.pk}), {"year": ""})
    assert response.status_code == 404


def test_a_validation_goes_with_its_job(org):
    found = _stored(org.pat, [])
    Job.objects.filter(pk=found.job_id).delete()
    assert not CensusValidation.objects.exists()


def test_the_job_refuses_someone_who_may_no_longer_validate(org):
    kept = validation.keep_upload(actor=org.pat, request=None, data=census_xml([clean_child("A1")]),
                                  filename="a.xml", year="2025-26", source="upload")
    job = Job.objects.create(kind=validation.KIND, description="Checking", started_by=org.sam)
    jobs.run(job.pk, lambda job: validation.check(job, kept.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "no longer validate" in job.error
    kept.refresh_from_db()
    assert (kept.checked, kept.upload) == (False, None)


# The command line -----------------------------------------------------------------------------------------


def test_the_command_prints_a_summary_and_the_issues_and_exits_1_on_errors(tmp_path):
    flawed, clean = tmp_path / "flawed.xml", tmp_path / "clean.xml"
    flawed.write_bytes(_flawed())
    clean.write_bytes(clean_return([clean_child("A1")]))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("validate_cin", str(flawed), "--year", "2025-26", "--csv", str(tmp_path / "out.csv"), stdout=out)
    assert exit_.value.code == 1
    printed = out.getvalue()
    assert "3 children checked" in printed and "2 errors, 0 queries" in printed
    assert "rule 100: 1" in printed and "LA Child ID missing" in printed
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(validation.COLUMNS) and {row[4] for row in rows[1:]} == {"100", "8500"}

    out = io.StringIO()
    call_command("validate_cin", str(clean), stdout=out)  # the year from the header; no errors, no exit
    assert "0 errors, 0 queries" in out.getvalue()


@pytest.mark.parametrize(("content", "says"), [(b"not xml", "not well-formed XML"),
                                               (b"<Message><Header/></Message>", "names no census year")])
def test_the_command_refuses_what_is_not_a_census(tmp_path, content, says):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match=says):
        call_command("validate_cin", str(path))
