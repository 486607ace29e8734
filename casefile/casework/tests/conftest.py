"""Fixtures several casework test modules share."""

from casefile.casework.tests.plan_fixtures import plan, vague_plan  # noqa: F401 (fixtures)
