"""The self-evaluation pack end to end: asked for on its page, made by a background task (through a real worker
too), kept with its figures, downloaded as a tagged PDF (audited), compared with the last pack; only for analysts,
senior managers and administrators; a period that cannot be is refused naming the field, with nothing saved."""

from __future__ import annotations

import datetime
import decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.audit.models import Action, AuditEvent
from casefile.core.models import Job
from casefile.core.pdf import render_pdf
from casefile.insight import clinic, cohort, tasks
from casefile.insight import pack_presenters as present
from casefile.insight.models import NeighbourFigure, SelfEvaluationPack
from casefile.insight.tests.pdf_checks import assert_tagged, figure_alts, structure_tags, text
from casefile.insight.tests.test_clinic import with_journey
from casefile.oversight import signals as oversight
from casefile.quality.models import CaseFileAudit, CaseFileAuditAction, SectionGrade
from casefile.quality.testing import make_audit
from casefile.rules.audit_grades import GOOD, REQUIRES_IMPROVEMENT
from casefile.rules.indicators import INDICATORS, Period

PACKS, ASK = reverse("insight:packs"), reverse("insight:pack_request")
MAKERS = {"pat", "simon", "hana", "ada"}
START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def summer(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def period(start=START, end=END) -> dict:
    return {"period_start_day": start.day, "period_start_month": start.month, "period_start_year": start.year,
            "period_end_day": end.day, "period_end_month": end.month, "period_end_year": end.year}


def ask(client, user, **dates):
    client.force_login(user)
    return client.post(ASK, period(**dates))


def audit(child, auditor, completed_on: datetime.date, grade: str) -> CaseFileAudit:
    """A completed audit with every section graded `grade`, overall the same, completed on the day given."""
    made = make_audit(child, auditor, completed=True)
    SectionGrade.objects.filter(audit=made).update(grade=grade)
    CaseFileAudit.objects.filter(pk=made.pk).update(completed_on=completed_on, overall_grade=grade)
    made.refresh_from_db()
    return made


def action(made: CaseFileAudit, due: datetime.date, done: datetime.date | None) -> CaseFileAuditAction:
    return CaseFileAuditAction.objects.create(audit=made, assignee=made.auditor, set_by=made.auditor, due_date=due,
                                              completed_on=done, description="Update the plan")


def re_audit(earlier: CaseFileAudit, completed_on: datetime.date, grade: str) -> CaseFileAudit:
    made = audit(earlier.child, earlier.auditor, completed_on, grade)
    CaseFileAudit.objects.filter(pk=made.pk).update(re_audit_of=earlier)
    return made


@pytest.fixture
def audited(org, summer):
    """Two audits completed in the period (one all good, one all requiring improvement, re-audited good in the
    period), one before it and one in progress, with an action done on time, one overdue and one from the audit
    before the period."""
    lily = with_journey(org, org.sam, "Lily", "Hartley")
    good = audit(lily, org.tess, datetime.date(2025, 6, 1), GOOD)
    weak = audit(lily, org.tess, datetime.date(2026, 1, 10), REQUIRES_IMPROVEMENT)
    before = audit(lily, org.tess, datetime.date(2024, 12, 1), GOOD)
    make_audit(lily, org.tess)  # in progress
    # The audit that required improvement is re-audited good once its action is done; the earlier audit's
    # re-audit was completed before the period and is not counted.
    re_audit(weak, datetime.date(2026, 3, 1), GOOD)
    re_audit(before, datetime.date(2025, 2, 1), GOOD)
    action(good, datetime.date(2025, 7, 1), datetime.date(2025, 6, 20))
    action(weak, datetime.date(2026, 2, 7), None)
    action(before, datetime.date(2025, 1, 1), None)
    return good.grades.count()


def test_a_pack_is_made_in_the_background_and_keeps_its_figures(client, org, audited):
    response = ask(client, org.pat)
    made = SelfEvaluationPack.objects.get()
    job = Job.objects.get(kind="self_evaluation_pack")
    assert response["Location"] == reverse("core:job", args=[job.pk]) and made.job == job
    assert (made.status, made.requested_by, made.period_start, made.period_end) == ("done", org.pat, START, END)
    assert (job.status, job.done, job.total, job.stage) == ("done", 5, 5, "Ready")
    assert job.result_url == reverse("insight:pack_download", args=[made.pk])
    figures = made.figures
    # Audits: the two completed in the period, each section graded once in each.
    audits = figures["audits"]
    assert (audits["completed"], audits["sections_graded"]) == (3, 3 * audited)  # the re-audit is an audit too
    assert audits["overall"] == {"outstanding": 0, "good": 2, "requires_improvement": 1, "inadequate": 0}
    assert audits["sections_good_or_better_percent"] == 66.7
    assert all(row["graded"] == 3 and row["good_or_better"] == 2 for row in audits["by_area"])
    assert len(audits["by_area"]) == audited
    # Actions: the one from the audit before the period is not counted.
    actions = figures["actions"]
    assert (actions["set"], actions["on_time"], actions["late"], actions["overdue"], actions["not_yet_due"]) == (
        2, 1, 0, 1, 0)
    assert actions["on_time_percent"] == 50.0
    # Re-audits: the one completed in the period, one step better overall and in every section.
    re_audits = figures["re_audits"]
    assert (re_audits["re_audits"], re_audits["improved"], re_audits["improved_percent"]) == (1, 1, 100.0)
    assert re_audits["mean_steps"] == 1.0
    assert len(re_audits["by_area"]) == audited and all(row["improved"] == 1 for row in re_audits["by_area"])
    # Indicators equal the clinic's for the whole authority; signals equal the practice-quality page's count.
    year = Period(START, END)
    record = cohort.load(END)
    for row in figures["indicators"]:
        indicator = INDICATORS[row["code"]]
        value = clinic.result(record, year, clinic.Scope(), indicator).value
        assert row["value"] == (None if value is None else round(value, 1)), row["code"]
    ctx = oversight.context(today=END, since=START)
    tally = oversight.overall(oversight.signals_for_children(oversight.holders(ctx), ctx))
    assert tally.children == 1
    assert (figures["signals"]["children"], figures["signals"]["with_signals"]) == (tally.children,
                                                                                      tally.with_signals)
    assert {row["code"]: row["children"] for row in figures["signals"]["by_signal"] if row["children"]} == dict(
        tally.by_signal)


def test_the_pack_downloads_as_a_tagged_pdf_and_each_download_is_audited(client, org, audited):
    ask(client, org.simon)
    made = SelfEvaluationPack.objects.get()
    created = AuditEvent.objects.get(action=Action.CREATE, subject_type="insight.selfevaluationpack")
    assert created.subject_id == str(made.pk)
    assert created.actor == org.simon and created.details["period_end"] == "2026-03-31"
    client.force_login(org.ada)  # anyone who makes packs may download one
    file = client.get(reverse("insight:pack_download", args=[made.pk]))
    assert file.status_code == 200 and file["Cache-Control"] == "no-store"
    assert 'filename="self-evaluation-pack-2025-04-01-to-2026-03-31.pdf"' in file["Content-Disposition"]
    read = assert_tagged(file.content, "Self-evaluation pack: 1 April 2025 to 31 March 2026")
    root = read.trailer["/Root"]["/StructTreeRoot"]["/K"]
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= set(structure_tags(root))
    assert figure_alts(root) == ["Overall grades of the case file audits completed. Bar chart. Outstanding: 0; "
                                 "Good: 2; Requires improvement: 1; Inadequate: 0."]
    words = text(file.content)
    for heading in ("Key indicators against England and statistical neighbours",
                    "Case file audit findings by practice area", "The audits’ measured impact", "Quality signals",
                    "What has changed since the last pack", "This is the first pack"):
        assert heading in words
    assert "3 case file audits completed in the period" in words and "66.7% were graded good or outstanding" in words
    assert "1 re-audit completed in the period: 100% gave a better overall grade than the audit before" in words
    assert "Overall grade at re-audit, against the audit before" in words
    assert "Lily" not in words and "Hartley" not in words
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("pk")
    assert (event.actor, event.subject_id, event.details["what"]) == (org.ada, str(made.pk), "self-evaluation pack")


def test_the_next_pack_says_what_has_changed_since_the_last(client, org, audited, time_machine):
    ask(client, org.pat)
    first = SelfEvaluationPack.objects.get()
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    lily = CaseFileAudit.objects.first().child
    audit(lily, org.tess, datetime.date(2026, 6, 20), GOOD)
    ask(client, org.hana, start=datetime.date(2025, 7, 1), end=datetime.date(2026, 6, 30))
    second = SelfEvaluationPack.objects.exclude(pk=first.pk).get()
    assert second.previous == first and second.status == "done"
    # The June 2025 audit is now before the period; the re-audit of March 2026 is still in it.
    assert second.figures["audits"]["completed"] == 3
    assert second.figures["audits"]["sections_good_or_better_percent"] == 66.7
    client.force_login(org.hana)
    words = text(client.get(reverse("insight:pack_download", args=[second.pk])).content)
    assert "Compared with the pack for 1 April 2025 to 31 March 2026, made on 15 June 2026" in words
    assert "Case file audits completed 3 3 No change" in words
    assert "Re-audits with a better overall grade 100% 100% No change" in words
    assert "This is the first pack" not in words


def neighbours(org, indicator: str, year: int, value: str) -> NeighbourFigure:
    return NeighbourFigure.objects.create(
        indicator=indicator, year=year, value=decimal.Decimal(value), group="NFER model, 10 neighbours",
        source=f"DfE tool, sent May {year + 1}", entered_by=org.pat,
        entered_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))


def test_the_pack_sets_each_indicator_against_the_neighbours_figure_for_its_year(client, org, audited):
    """Children seen alone is 100% and visits in time 0% (higher is better for both); the period's year is 2026."""
    neighbours(org, "children_seen_alone", 2026, "85.46")
    neighbours(org, "children_seen_alone", 2025, "99")  # an earlier year: not the one shown
    neighbours(org, "cp_visits_in_time", 2024, "90")  # none for 2026: the latest before it, saying which
    neighbours(org, "re_referrals", 2027, "20")  # after the period's year: never shown beside it
    ask(client, org.pat)
    made = SelfEvaluationPack.objects.get()
    rows = {row["code"]: row for row in made.figures["indicators"]}
    assert rows["children_seen_alone"]["neighbours"] == {
        "value": 85.5, "year": 2026, "wanted": 2026, "group": "NFER model, 10 neighbours",
        "source": "DfE tool, sent May 2027", "difference": 14.5, "compared": "better"}
    visits = rows["cp_visits_in_time"]["neighbours"]
    assert (visits["value"], visits["year"], visits["wanted"], visits["difference"], visits["compared"]) == (
        90.0, 2024, 2026, -90.0, "worse")
    assert rows["re_referrals"]["neighbours"] is None and rows["open_cases"]["neighbours"] is None
    words = " ".join(text(client.get(reverse("insight:pack_download", args=[made.pk])).content).split())
    assert "Statistical neighbours (year) Compared with neighbours" in words
    assert "Children seen alone 100% None published Cannot be compared Cannot be compared 85.5% (2026) " \
           "Better than neighbours" in words
    assert "90% (2024; none entered for 2026) Worse than neighbours" in words
    assert "Not entered Cannot be compared" in words  # the indicators with none entered
    assert ("Children seen alone: statistical neighbours’ figure for 2026, the average of NFER model, 10 "
            "neighbours, from DfE tool, sent May 2027") in words
    assert "Child protection visits in time: statistical neighbours’ figure for 2024" in words
    assert "Re-referrals within 12 months: statistical neighbours’" not in words


def test_a_pack_made_before_the_neighbours_were_read_still_reads(client, org, audited):
    """Older packs keep "neighbours": None for every indicator, as the pack said "Not loaded" then."""
    neighbours(org, "children_seen_alone", 2026, "85.5")
    ask(client, org.pat)
    figures = SelfEvaluationPack.objects.get().figures
    old = {**figures, "indicators": [{**row, "neighbours": None} for row in figures["indicators"]]}
    table = present.indicators_table(old)
    assert {tuple(cell["text"] for cell in row[-2:]) for row in table["rows"]} == {
        ("Not entered", "Cannot be compared")}
    assert not [line for line in present.indicator_sources(old) if "neighbours" in line]
    pdf = render_pdf("insight/pack_pdf.html", {**present.pdf_context(old, [], None), "produced_by": org.pat,
                                               "produced_at": timezone.now()}, stylesheets=[tasks.PACK_CSS])
    words = " ".join(text(pdf).split())
    assert "Children seen alone 100% None published Cannot be compared Cannot be compared Not entered Cannot be " \
           "compared" in words and "85.5" not in words


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_only_analysts_senior_managers_and_administrators_make_and_see_packs(client, org, summer, who):
    user = getattr(org, who)
    client.force_login(org.pat)
    client.post(ASK, period())
    made = SelfEvaluationPack.objects.get()
    client.force_login(user)
    expected = 200 if who in MAKERS else 403
    assert client.get(PACKS).status_code == expected
    assert client.get(ASK).status_code == expected
    assert client.get(reverse("insight:pack_download", args=[made.pk])).status_code == expected
    assert client.post(ASK, period()).status_code == (302 if who in MAKERS else 403)
    assert SelfEvaluationPack.objects.count() == (2 if who in MAKERS else 1)


@pytest.mark.parametrize(("dates", "field", "message"), [
    ({"end": datetime.date(2025, 3, 31)}, "period_end",
     "The date the period ends must be on or after the date it starts (1 April 2025)"),
    ({"end": datetime.date(2026, 7, 1)}, "period_end", "The date the period ends must be today or in the past"),
    ({"start": datetime.date(2026, 7, 1), "end": datetime.date(2026, 7, 2)}, "period_start",
     "The date the period starts must be today or in the past"),
])
def test_a_period_that_cannot_be_is_refused_naming_the_field_with_nothing_saved(client, org, summer, dates, field,
                                                                                message):
    response = ask(client, org.pat, **dates)
    assert response.status_code == 200
    assert message in response.content.decode() and f'href="#id_{field}_day"' in response.content.decode()
    assert not SelfEvaluationPack.objects.exists() and not Job.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_a_date_left_out_or_impossible_is_refused_naming_it(client, org, summer):
    client.force_login(org.pat)
    html = client.post(ASK, {**period(), "period_end_day": "", "period_start_month": "13"}).content.decode()
    assert 'href="#id_period_end_day">The period ends on must include a day<' in html
    assert 'href="#id_period_start_day">The period starts on must be a real date<' in html
    assert not SelfEvaluationPack.objects.exists()


def test_a_pack_is_not_made_for_someone_who_may_no_longer_make_packs(org, summer):
    """The role changed while the pack waited for a worker: the work checks again, and the pack says why."""
    made = SelfEvaluationPack.objects.create(period_start=START, period_end=END, requested_by=org.pat)
    org.pat.role = "social_worker"
    org.pat.save()
    job = tasks.start_pack(actor=org.pat, pack=made)  # the immediate backend runs it at once
    job.refresh_from_db()
    made.refresh_from_db()
    assert (job.status, job.error) == ("failed", tasks.PACK_REFUSED)
    assert (made.status, made.error, made.pdf, made.figures) == ("failed", tasks.PACK_REFUSED, None, {})


def test_the_list_shows_each_pack_with_its_download_or_progress_in_a_fixed_number_of_queries(client, org, summer):
    client.force_login(org.pat)
    client.post(ASK, period())
    client.force_login(org.simon)
    with CaptureQueriesContext(connection) as one:
        client.get(PACKS)
    for _ in range(3):
        SelfEvaluationPack.objects.create(period_start=START, period_end=END, requested_by=org.simon)
    mine = SelfEvaluationPack.objects.create(period_start=START, period_end=END, requested_by=org.simon,
                                             job=Job.objects.create(kind="self_evaluation_pack", description="x",
                                                                    started_by=org.simon))
    with CaptureQueriesContext(connection) as five:
        html = client.get(PACKS).content.decode()
    assert len(five) == len(one)
    assert html.count(">Download<") == 1 and reverse("core:job", args=[mine.job_id]) in html
    assert "Showing 5 packs" in html


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_pack_queued_by_the_page(client, org, settings):
    settings.TASKS = DATABASE_BACKEND
    client.force_login(org.pat)
    response = client.post(ASK, period(START, datetime.date(2025, 9, 30)))
    made = SelfEvaluationPack.objects.get()
    assert response["Location"] == reverse("core:job", args=[made.job_id])
    assert made.status == "queued" and DBTaskResult.objects.get().status == "READY"
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in waiting and 'data-finished="false"' in waiting

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)

    made.refresh_from_db()
    assert made.status == "done" and DBTaskResult.objects.get().status == "SUCCESSFUL"
    finished = client.get(response["Location"]).content.decode()
    assert "Download the pack" in finished and reverse("insight:pack_download", args=[made.pk]) in finished
    assert client.get(reverse("insight:pack_download", args=[made.pk]))["Content-Type"] == "application/pdf"
