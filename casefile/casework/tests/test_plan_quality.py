"""A saved plan's quality flags (casework/plan_quality.py) and how the plan page shows them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.casework.models import Plan, PlanOutcome
from casefile.casework.plan_quality import plan_is_clean, plan_quality
from casefile.casework.services import plans
from casefile.casework.tests.test_protection_conferences import CONTINGENCY, add_smart_action, make_episode

START = datetime.date(2024, 3, 1)


@pytest.fixture
def cin_plan(org, child) -> Plan:
    make_episode(child, org.sam)
    return plans.start_cin_plan(actor=org.sam, child=child, start_date=START, visit_interval_working_days=20,
                                contingency=CONTINGENCY)


def fresh(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def test_a_smart_plan_is_clean(cin_plan):
    add_smart_action(cin_plan)
    assert plan_quality(fresh(cin_plan)) == [] and plan_is_clean(fresh(cin_plan))


def test_each_flag_comes_with_the_action_and_outcome_it_belongs_to(cin_plan):
    good = add_smart_action(cin_plan)
    vague = add_smart_action(cin_plan, outcome=good.outcome, description="Monitor", owner="Professionals",
                             measure="Ongoing")
    empty = PlanOutcome.objects.create(plan=cin_plan, description="Lily sleeps in her own bed", position=2)
    flags = plan_quality(fresh(cin_plan))
    assert [(flag.outcome, flag.action, flag.warning.code) for flag in flags] == [
        (good.outcome, vague, "PQ2"), (good.outcome, vague, "PQ4"), (good.outcome, vague, "PQ7"),
        (empty, None, "PQ11")]
    assert not plan_is_clean(fresh(cin_plan))


def test_a_thin_contingency_is_flagged_on_the_plan(cin_plan):
    add_smart_action(cin_plan)
    Plan.objects.filter(pk=cin_plan.pk).update(contingency="We will consider what to do next with the family")
    [flag] = plan_quality(fresh(cin_plan))
    assert (flag.outcome, flag.action, flag.warning.label) == (None, None, "PQ10 contingency-thin")


def _queries(plan: Plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        plan_quality(plan)
    return len(queries)


def test_it_reads_a_plan_in_two_queries_whatever_its_size(cin_plan):
    add_smart_action(cin_plan)
    assert _queries(fresh(cin_plan)) == 2
    for number in range(3):
        outcome = PlanOutcome.objects.create(plan=cin_plan, description=f"Outcome {number}", position=number + 2)
        for _ in range(3):
            add_smart_action(cin_plan, outcome=outcome, owner="Mum")
    assert _queries(fresh(cin_plan)) == 2


def test_it_reads_nothing_more_when_the_outcomes_are_prefetched(cin_plan):
    add_smart_action(cin_plan, owner="Mum")
    plan = Plan.objects.prefetch_related("outcomes__actions").get(pk=cin_plan.pk)
    assert _queries(plan) == 0 and len(plan_quality(plan)) == 1


def test_the_plan_page_shows_the_rule_the_reason_and_a_suggested_rewrite(client, org, cin_plan):
    vague = add_smart_action(cin_plan, description="Mum to engage with parenting course", owner="Mum",
                             measure="Improved parenting")
    Plan.objects.filter(pk=cin_plan.pk).update(contingency="Social worker to consider next steps with manager")
    client.force_login(org.sam)
    page = client.get(reverse("casework:plan", kwargs={"person_id": cin_plan.child_id, "plan_id": cin_plan.pk}))
    flags = page.content.decode().split('id="plan-warnings"', 1)[1].split("</ul>", 1)[0]
    assert flags.count("<li") == 4  # PQ2, PQ4 and PQ7 on the action, PQ10 on the plan
    assert '<strong class="plan-quality-rule">PQ4 vague-wording</strong>. ‘engage with’ does not say' in flags
    assert ("Suggested rewrite: Say what will be attended and how often, for example: ‘&lt;name&gt; (mother) "
            "attends all &lt;number&gt; sessions of parenting course by 31 May 2024") in flags
    assert 'class="govuk-inset-text' in flags
    change_action = reverse("casework:change_action", kwargs={"person_id": cin_plan.child_id,
                                                              "plan_id": cin_plan.pk, "action_id": vague.pk})
    change_plan = reverse("casework:change_plan", kwargs={"person_id": cin_plan.child_id, "plan_id": cin_plan.pk})
    assert f'href="{change_action}"' in flags
    assert f'<a class="govuk-link" href="{change_plan}">The contingency</a>:' in flags
    assert "PQ10 contingency-thin" in flags


def test_the_simulators_smart_actions_pass_and_its_planted_vague_ones_are_flagged():
    """simulate_la plants vague owners, measures and descriptions (demo/simulate/vocabulary.py): written by
    someone else, they are a check on the rules that the corpus cannot be."""
    from casefile.demo.simulate import vocabulary
    from casefile.rules.plan_checks import check_action, contingency_warnings

    smart = [(description, measure) for outcomes in vocabulary.OUTCOMES.values() for _, actions in outcomes
             for description, measure in actions]
    for description, measure in smart:
        assert check_action(description.format(name="Lily"), "Dawn Hartley (mother)",
                            measure.format(name="Lily")) == [], description
    assert all(contingency_warnings(text) == [] for text in vocabulary.CONTINGENCIES)
    assert all(check_action(smart[0][0], owner, smart[0][1]) for owner in vocabulary.VAGUE_OWNERS)
    assert all(check_action(smart[0][0], "Dawn", measure) for measure in vocabulary.VAGUE_MEASURES)
    assert all(check_action(description, "Dawn", "Ongoing") for description in vocabulary.VAGUE_DESCRIPTIONS)
