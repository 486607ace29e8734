"""The journeys page: who may open it, counts equal to rules/journeys.py on the same cohort, the clinic's choice of
children, queries that do not grow with the record, and each stage a chart with its table."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.insight import clinic, cohort
from casefile.insight.tests.test_clinic import PERIOD, SEE, YEAR, _count, get, june, with_journey  # noqa: F401
from casefile.rules.journeys import journey

JOURNEYS = reverse("insight:journeys")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_journeys_open_for_those_who_see_the_clinic(client, org, june, who):  # noqa: F811
    assert get(client, getattr(org, who), JOURNEYS).status_code == (200 if who in SEE else 403)


def _shown(html: str, stage: str) -> dict[str, str]:
    section = re.search(rf'<section[^>]*id="stage-{stage}".*?</section>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>\s*<td[^>]*>([^<]*)</td>', section)
    if not rows:
        rows = [(label.strip(), count.strip()) for label, count in re.findall(
            r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]*)</td>\s*'
            r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', section)]
    return {unescape(label): count for label, count in rows}


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
