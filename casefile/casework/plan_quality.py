"""A saved plan's quality flags: the rules in casefile/rules/plan_checks.py run over its outcomes and actions.

`plan_quality(plan)` is what the plan page shows and what a manager's queue runs before a plan is authorised
(docs/plan-quality.md). It reads the plan's outcomes and their actions in two queries, or none when the page
has already prefetched them (views/plans.py PLAN_PREFETCHES), whatever the plan's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from casefile.casework.models import Plan, PlanAction, PlanOutcome
from casefile.rules.plan_checks import ActionData, PlanWarning, check_plan

OUTCOMES_AND_ACTIONS = Prefetch(
    "outcomes", queryset=PlanOutcome.objects.order_by("position", "pk").prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("due_date", "pk"))))


@dataclass(frozen=True)
class QualityFlag:
    """One flag and what it is about: an action (with its outcome), an outcome with no actions, or the plan
    itself (outcome and action None: the contingency)."""

    outcome: PlanOutcome | None
    action: PlanAction | None
    warning: PlanWarning


def plan_quality(plan: Plan) -> list[QualityFlag]:
    """Every flag on the plan: each action's in the order the plan page lists them, then the plan's own."""
    if "outcomes" not in getattr(plan, "_prefetched_objects_cache", {}):
        prefetch_related_objects([plan], OUTCOMES_AND_ACTIONS)
    outcomes = list(plan.outcomes.all())
    actions = [(outcome, action) for outcome in outcomes for action in outcome.actions.all()]
    empty = [outcome for outcome in outcomes if not outcome.actions.all()]
    flags = check_plan([ActionData(action.description, action.owner, action.due_date, action.measure)
                        for _, action in actions], plan.contingency,
                       outcomes_without_actions=[outcome.description for outcome in empty])
    plan_level = [flag.warning for flag in flags if flag.action is None]
    found = [QualityFlag(*actions[flag.action], flag.warning) for flag in flags if flag.action is not None]
    found += [QualityFlag(outcome, None, warning) for outcome, warning in
              zip(empty, (w for w in plan_level if w.code == "PQ11"), strict=True)]
    return found + [QualityFlag(None, None, warning) for warning in plan_level if warning.code != "PQ11"]


def plan_is_clean(plan: Plan) -> bool:
    """True when no quality rule fires: what a manager's queue may treat as ready to authorise."""
    return not plan_quality(plan)
