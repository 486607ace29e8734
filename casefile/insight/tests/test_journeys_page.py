"""The journeys page: who may open it, counts equal to rules/journeys.py on the same cohort, the clinic's choice of
children, queries that do not grow with the record, and each stage a chart with its table."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.audit.models import AuditEvent
from casefile.insight import clinic, cohort
from casefile.insight.tests.test_clinic import PERIOD, SEE, YEAR, _count, get, june, with_journey  # noqa: F401
from casefile.people.models import Person
from casefile.rules.journeys import STAGE_READS, journey

JOURNEYS, JOURNEY_CHILDREN = reverse("insight:journeys"), reverse("insight:journey_children")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_journeys_open_for_those_who_see_the_clinic(client, org, june, who):  # noqa: F811
    assert get(client, getattr(org, who), JOURNEYS).status_code == (200 if who in SEE else 403)
    assert get(client, getattr(org, who), JOURNEY_CHILDREN, stage="referrals",
               outcome="section_47").status_code == (200 if who in SEE else 403)


def _shown(html: str, stage: str) -> dict[str, str]:
    section = re.search(rf'<section[^>]*id="stage-{stage}".*?</section>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>\s*<td[^>]*>(.*?)</td>', section, re.S)
    if not rows:
        rows = re.findall(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]*)</td>\s*'
                          r'<td class="govuk-table__cell[^"]*">(.*?)</td>', section, re.S)
    return {unescape(label.strip()): re.sub(r"<[^>]+>", "", count).strip() for label, count in rows}


def test_each_stage_shows_the_rules_counts_for_the_whole_authority(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    with_journey(org, org.ola, "Noah", "Elsewhere")
    html = get(client, org.ada, JOURNEYS, year=YEAR).content.decode()
    found = journey(cohort.load(PERIOD.end), PERIOD)
    for stage in found.stages:
        assert f"{stage.label}: {stage.total:,}" in html
        assert _shown(html, stage.code) == {branch.label: f"{branch.count:,}" for branch in stage.branches}, \
            stage.code
    assert found.stage("referrals").total == 2  # the journeys are not empty


def test_a_team_sees_its_own_childrens_journeys(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    with_journey(org, org.ola, "Noah", "Elsewhere")
    html = get(client, org.ada, JOURNEYS, year=YEAR, team=org.sam.team_id).content.decode()
    part = clinic.Scope(team_ids=frozenset({org.sam.team_id})).part(cohort.load(PERIOD.end), PERIOD)
    assert f"Referrals received: {journey(part, PERIOD).stage('referrals').total}" in html
    assert journey(part, PERIOD).stage("referrals").total == 1


def test_queries_do_not_grow_with_the_number_of_children(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    client.force_login(org.tess)
    before = _count(client, JOURNEYS, {"year": YEAR})
    for number in range(4):
        with_journey(org, org.sam, f"Child{number}", f"Family{number}")
    assert _count(client, JOURNEYS, {"year": YEAR}) == before


def test_each_stage_is_a_chart_with_a_title_a_description_and_its_table(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    html = get(client, org.ada, JOURNEYS, year=YEAR).content.decode()
    assert html.count('role="img"') == 6  # the flow diagram and a chart for each of the five stages
    assert '<title id="journey-referrals-title">Referrals received: where they led</title>' in html
    assert 'id="journey-table-referrals"' in html
    assert JOURNEYS in get(client, org.ada, reverse("insight:clinic"), year=YEAR).content.decode()


def test_the_flow_diagram_carries_every_stages_numbers(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    html = get(client, org.ada, JOURNEYS, year=YEAR).content.decode()
    flow = re.search(r'<svg[^>]*aria-labelledby="journey-flow-title journey-flow-desc".*?</svg>', html, re.S).group(0)
    found = journey(cohort.load(PERIOD.end), PERIOD)
    description = unescape(re.search(r'<desc id="journey-flow-desc">([^<]*)</desc>', flow).group(1))
    for stage in found.stages:
        assert f"{stage.label} {stage.total:,}: " in description
        for branch in stage.branches:
            assert f"{branch.label} {branch.count:,}" in description
            assert f'<tspan font-weight="bold">{branch.count:,}</tspan> {branch.label}' in unescape(flow)
    assert flow.count('stroke-dasharray') == 3  # contacts to referrals, referrals to assessments, to enquiries


def _names(html: str) -> set[str]:
    """The children named on a page of children: the text of each link to a record."""
    links = re.findall(r'<a class="govuk-link" href="/people/\d+/">([^<]*)</a>', html)
    return {unescape(name).strip() for name in links}


@pytest.mark.parametrize("scope", ["authority", "team"])
def test_every_outcome_links_to_the_children_behind_it_and_they_are_the_rules_children(client, org, june, scope):  # noqa: F811, E501
    children = {with_journey(org, org.sam, "Lily", "Hartley").pk: "Hartley",
                with_journey(org, org.ola, "Noah", "Elsewhere").pk: "Elsewhere"}
    chosen = {"year": YEAR} | ({"team": org.sam.team_id} if scope == "team" else {})
    part = (clinic.Scope(team_ids=frozenset({org.sam.team_id})) if scope == "team" else clinic.Scope()).part(
        cohort.load(PERIOD.end), PERIOD)
    html = unescape(get(client, org.ada, JOURNEYS, **chosen).content.decode())
    links = [dict(parse_qsl(href)) for href in re.findall(rf'href="{JOURNEY_CHILDREN}\?([^"]*)"', html)]
    linked = 0
    for stage in journey(part, PERIOD).stages:
        assert set(STAGE_READS) >= {stage.code}
        for branch in stage.branches:
            href = {name: str(value) for name, value in chosen.items()} | {"stage": stage.code, "outcome": branch.code}
            assert (href in links) == bool(branch.count), (stage.code, branch.code)
            listed = get(client, org.ada, JOURNEY_CHILDREN, **chosen, stage=stage.code, outcome=branch.code)
            page = unescape(listed.content.decode())
            assert listed.status_code == 200
            assert {name.split()[-1] for name in _names(page)} == {children[pk] for pk in branch.children}, \
                (stage.code, branch.code)
            assert f"about {len(branch.children)} child" in page
            linked += bool(branch.count)
    assert linked >= 3  # the journeys reach a referral, an assessment and an enquiry outcome: not all empty


def test_the_children_behind_an_outcome_name_only_those_the_reader_may_open_and_are_audited(client, org, june):  # noqa: F811, E501
    lily = with_journey(org, org.sam, "Lily", "Hartley")
    hidden = with_journey(org, org.sam, "Rosa", "Sealed", restriction=Person.Restriction.ADOPTION)
    params = {"year": YEAR, "stage": "referrals", "outcome": "section_47"}
    page = unescape(get(client, org.tess, JOURNEY_CHILDREN, **params).content.decode())
    assert "2 referrals about 2 children" in page
    assert "Hartley" in page and "Sealed" not in page and hidden.reference not in page
    assert "and 1 child whose records you cannot open" in page
    assert AuditEvent.objects.filter(actor=org.tess).order_by("-pk").first().details["shown"] == [lily.pk]


def test_an_outcome_for_another_team_or_that_does_not_exist_is_not_found(client, org, june):  # noqa: F811
    assert get(client, org.tess, JOURNEY_CHILDREN, team=org.other_team.pk, stage="referrals",
               outcome="section_47").status_code == 404
    for stage, outcome in (("referrals", "sideways"), ("plans", "section_47"), ("", ""), ("referrals", "")):
        assert get(client, org.ada, JOURNEY_CHILDREN, stage=stage, outcome=outcome).status_code == 404


def test_the_children_behind_an_outcome_take_no_more_queries_as_children_are_added(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    client.force_login(org.tess)
    params = {"year": YEAR, "stage": "assessments", "outcome": "section_47"}
    before = _count(client, JOURNEY_CHILDREN, params)
    for number in range(4):
        with_journey(org, org.sam, f"Child{number}", f"Family{number}")
    assert _count(client, JOURNEY_CHILDREN, params) == before
