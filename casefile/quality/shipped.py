"""The audit tools Casefile ships (migration quality/0004 holds their words) are there whenever the database is:
migrate puts them in once, and after anything that empties every table (`manage.py flush`, which the test suite's
transactional tests run after each such test) they are put back, since the pages assume at least one tool."""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

SHIPPED = importlib.import_module("casefile.quality.migrations.0004_shipped_audit_templates")


def ensure_shipped_tools(sender=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """A post_migrate receiver: the shipped tools, if the database has no audit tool at all (an authority that
    removed some keeps its choice; one with none gets them back)."""
    try:
        template = apps.get_model("quality", "AuditTemplate")
    except LookupError:  # migrating backwards, before the tools' tables
        return
    if not template.objects.using(using).exists():
        SHIPPED.ship(apps, None)
