"""Plans to submit for authorisation, shared by the authorisation tests (through conftest.py)."""

from __future__ import annotations

import datetime

import pytest

from casefile.casework.models import PlanOutcome
from casefile.casework.services import plans
from casefile.casework.tests.test_protection_conferences import CONTINGENCY, add_smart_action, make_episode

START = datetime.date(2024, 3, 1)
VAGUE = {"description": "Mum to engage with services", "owner": "mum", "measure": "ongoing"}


@pytest.fixture
def plan(org, child):
    """Lily's child in need plan with one SMART action: no quality flag."""
    make_episode(child, org.sam)
    plan = plans.start_cin_plan(actor=org.sam, child=child, start_date=START, visit_interval_working_days=20,
                                contingency=CONTINGENCY)
    add_smart_action(plan)
    return plan


@pytest.fixture
def vague_plan(plan):
    """The same plan with a vague action as well ("Mum to engage with services", owner "mum")."""
    add_smart_action(plan, outcome=PlanOutcome.objects.get(plan=plan), **VAGUE)
    return plan
