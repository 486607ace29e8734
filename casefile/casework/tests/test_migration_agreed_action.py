"""Migration 0003 renames casework.Action to AgreedAction without losing a row: the actions and their history
written before it are there after it (a rename written as delete-and-create would pass every other test)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casefile.casework import models as cw
from casefile.casework.testing import make_journey

BEFORE = [("casework", "0002_closure_proposal_and_absent_agencies")]
RENAMED = [("casework", "0003_rename_action_to_agreedaction")]


def migrate(targets):
    """Migrate to targets and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_afterwards():
    """Whatever happens, the schema is put back to the latest migrations for the tests after this one."""
    try:
        yield
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)  # SQLite alters tables only outside a transaction
def test_actions_and_their_history_written_before_the_rename_are_kept(org, child, back_to_the_latest_afterwards):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    old = migrate(BEFORE)  # the journey's agreed action goes back to casework_action, with its history
    Action, HistoricalAction = old.get_model("casework", "Action"), old.get_model("casework", "HistoricalAction")
    written = Action.objects.create(core_group_id=journey.core_group.pk, description="Health visitor to visit",
                                    owner="Jo Smith (health visitor)", due_date=datetime.date(2024, 2, 5),
                                    completed_on=datetime.date(2024, 2, 6))
    HistoricalAction.objects.create(
        id=written.pk, core_group_id=journey.core_group.pk, description=written.description, owner=written.owner,
        due_date=written.due_date, completed_on=written.completed_on, history_date=timezone.now(),
        history_type="~", history_user_id=org.sam.pk)

    migrate(RENAMED)

    kept = cw.AgreedAction.objects.get(pk=written.pk)
    assert (kept.core_group, kept.description, kept.owner, kept.completed_on) == (
        journey.core_group, "Health visitor to visit", "Jo Smith (health visitor)", datetime.date(2024, 2, 6))
    assert list(journey.core_group.agreed_actions.all()) == [kept]
    assert [(h.history_type, h.history_user) for h in kept.history.all()] == [("~", org.sam)]
    # The strategy discussion's action (and the history row make_journey wrote for it) survived the round trip.
    assert list(journey.strategy_discussion.agreed_actions.all()) == [journey.agreed_action]
    assert journey.agreed_action.history.filter(history_type="+").exists()
