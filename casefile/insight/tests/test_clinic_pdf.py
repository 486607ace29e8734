"""The performance clinic as a tagged PDF: the same choice as the page, made by a background task, each indicator
with its definition, source, England figure and trend (an SVG chart tagged as a figure, beside its table); only for
those who may see the figures; each download audited as the export."""

from __future__ import annotations

import datetime
import decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.audit.models import Action, AuditEvent
from casefile.core.models import Job
from casefile.insight import clinic, figures
from casefile.insight.models import NeighbourFigure
from casefile.insight.tests.pdf_checks import assert_tagged, figure_alts, structure_tags, text
from casefile.insight.tests.test_clinic import SEE, YEAR, with_journey
from casefile.rules.indicators.published import latest

PDF = reverse("insight:clinic_pdf")


@pytest.fixture
def june(time_machine):
    """The clinic tests' day: the latest complete census year is 2023-24."""
    time_machine.move_to(datetime.datetime(2024, 6, 14, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def ask(client, user, **params):
    client.force_login(user)
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return client.post(f"{PDF}?{query}" if query else PDF)


def test_the_pdf_holds_every_indicator_with_its_definition_source_england_figure_and_trend(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    NeighbourFigure.objects.create(indicator="re_referrals", year=2024, value=decimal.Decimal("21.4"), group="NFER",
                                   source="DfE tool", entered_by=org.pat, entered_at=timezone.now())
    response = ask(client, org.pat, team=org.sam.team.pk, year=YEAR)
    job = Job.objects.get(kind="clinic_pdf")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert (job.status, job.done, job.total, job.stage, job.error) == ("done", 3, 3, "Ready", "")
    assert job.result_url == reverse("insight:clinic_pdf_download", args=[job.pk])
    assert "Lily" not in job.description and org.sam.team.name in job.description

    file = client.get(job.result_url)
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["Cache-Control"] == "no-store" and "performance-clinic-2024-03-31" in file["Content-Disposition"]
    title = f"Performance clinic: {org.sam.team.name}, 1 April 2023 to 31 March 2024"
    read = assert_tagged(file.content, title)
    root = read.trailer["/Root"]["/StructTreeRoot"]
    tags = structure_tags(root["/K"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"} <= set(tags)
    # One chart per indicator, each a figure whose alternative text reads out every period's figure.
    alts = figure_alts(root["/K"])
    assert len(alts) == len(clinic.CLINIC_INDICATORS)
    assert all(alt.startswith(f"{indicator.title}, by period. Bar chart. 2020-21: ")
               for alt, indicator in zip(alts, clinic.CLINIC_INDICATORS, strict=True))
    words = text(file.content)
    for indicator in clinic.CLINIC_INDICATORS:
        assert indicator.title in words
    re_referrals = latest("re_referrals")
    assert f"England {re_referrals.year}: {re_referrals.value}%" in words
    assert "Statistical neighbours" in words and "Lily" not in words and "Hartley" not in words
    flat = " ".join(words.split())
    assert "Statistical neighbours 2024: 21.4%, the average of NFER. Source: DfE tool." in flat
    assert "Statistical neighbours: Not entered for 2024 or any year before." in flat
    # Each trend table (its head repeated where it breaks over a page) has the neighbours' figure for each
    # period's year: re-referrals' only for 2023-24.
    assert flat.count("Period Figure Statistical neighbours Counted") >= len(clinic.CLINIC_INDICATORS)
    assert "2022-23 No figure: no referrals in the period Not entered 0 of 0 2023-24 0% 21.4% (2024) 0 of 1" in flat
    assert "Counted: 1" in words  # one referral, as the page counts it


def test_each_download_is_audited_as_the_export(client, org, june):
    with_journey(org, org.sam, "Lily", "Hartley")
    ask(client, org.tess, worker=org.sam.pk, year=YEAR)
    job = Job.objects.get(kind="clinic_pdf")
    before = AuditEvent.objects.count()
    assert client.get(job.result_url).status_code == 200
    event = AuditEvent.objects.get(pk__gt=AuditEvent.objects.order_by("pk")[before - 1].pk)
    assert (event.action, event.actor, event.subject_id) == (Action.EXPORT, org.tess, str(job.pk))
    assert event.details["what"] == "performance clinic" and event.details["worker_id"] == org.sam.pk
    assert event.details["periods"][-1] == ["2023-04-01", "2024-03-31"]


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_only_those_who_see_the_clinic_may_ask_for_its_pdf(client, org, june, who):
    response = ask(client, getattr(org, who), year=YEAR)
    assert response.status_code == (302 if who in SEE else 403)
    assert Job.objects.filter(kind="clinic_pdf").count() == (1 if who in SEE else 0)


def test_a_manager_cannot_ask_for_another_teams_pdf_and_nobody_else_downloads_it(client, org, june):
    assert ask(client, org.tess, team=org.other_team.pk, year=YEAR).status_code == 404
    assert ask(client, org.tess, worker=org.ola.pk, year=YEAR).status_code == 404
    assert not Job.objects.exists()
    ask(client, org.tess, year=YEAR)
    job = Job.objects.get(kind="clinic_pdf")
    for someone in (org.simon, org.pat, org.ada):  # may see clinics, but did not ask for this one
        client.force_login(someone)
        assert client.get(job.result_url).status_code == 404
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404


def test_the_pdf_is_refused_once_the_person_may_no_longer_see_the_figures(client, org, june):
    ask(client, org.tess, year=YEAR)
    job = Job.objects.get(kind="clinic_pdf")
    org.tess.role = "social_worker"
    org.tess.save()
    client.force_login(org.tess)
    assert client.get(job.result_url).status_code == 403


def test_a_period_that_cannot_be_sends_the_person_back_to_the_clinic_and_only_post_is_served(client, org, june):
    response = ask(client, org.pat, period="twelve_months")  # no end date
    assert response.status_code == 302 and response["Location"].startswith(reverse("insight:clinic"))
    assert not Job.objects.exists()
    client.force_login(org.pat)
    assert client.get(PDF).status_code == 405


def test_the_clinic_page_offers_the_pdf_for_the_same_choice(client, org, june):
    client.force_login(org.pat)
    html = client.get(reverse("insight:clinic"), {"team": org.sam.team.pk, "year": YEAR}).content.decode()
    assert f'action="{PDF}?team={org.sam.team.pk}&amp;year={YEAR}"' in html and "Download as PDF" in html


def test_the_pdf_reads_the_kept_figures_when_every_period_is_kept_and_says_when_they_were_computed(client, org,
                                                                                                   june):
    with_journey(org, org.sam, "Lily", "Hartley")
    ask(client, org.pat, team=org.sam.team.pk, year=YEAR)
    live = Job.objects.get(kind="clinic_pdf")
    assert "Figures computed from the record while this PDF was made" in text(client.get(live.result_url).content)

    figures.refresh(timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        ask(client, org.pat, team=org.sam.team.pk, year=YEAR)
    assert not any("frontdoor_contact" in query["sql"] for query in queries.captured_queries)  # the record unread
    kept = Job.objects.filter(kind="clinic_pdf").exclude(pk=live.pk).get()
    assert (kept.status, kept.stage) == ("done", "Ready")
    words = text(client.get(kept.result_url).content)
    assert "Figures computed from the record at " in words
    # The same figures either way: every line from the first indicator on.
    first = clinic.CLINIC_INDICATORS[0].title
    live_words = text(client.get(live.result_url).content)
    assert words[words.index(first):] == live_words[live_words.index(first):]
