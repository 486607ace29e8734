"""Every quality page that serves GET (found from the URL configuration, so a page added later is counted too)
costs the same number of queries however many audits, answers and actions are recorded: more audits of the child
and of other children, each completed with every section graded and with actions."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefile.access.tests.test_url_sweep import _path_for, all_patterns
from casefile.casework.testing import make_journey
from casefile.quality import services, views_sampling
from casefile.quality.models import AuditTemplate
from casefile.quality.testing import complete_every_action, graded, make_audit, make_moderation
from casefile.testing import allocate, make_child

# Sampling's pages are counted as those who draw samples see them (test_sampling_pages.py).
SAMPLING = {f"quality:{pattern.name}" for pattern in views_sampling.urlpatterns}


def _pages(values: dict, in_progress: int) -> dict[str, str]:
    pages = {}
    for route, name, pattern in all_patterns():
        if name in SAMPLING:
            continue
        if name.startswith("quality:") and "GET" in (getattr(pattern.callback, "allowed_methods", None) or ()):
            pages[name] = _path_for(route, {**values, "audit_id": in_progress} if name == "quality:grade_audit"
                                    else values)
    return pages


def _count(client, path: str) -> int:
    client.get(path)  # the first view after signing in also stamps the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _more_audits(org, child, times: int = 3) -> None:
    for _ in range(times):
        for kind in (AuditTemplate.Kind.WHOLE_FILE, AuditTemplate.Kind.MONTHLY):
            audit = make_audit(child, org.tess, kind=kind, completed=True)
            for assignee in (org.sam, org.tess):
                services.add_audit_action(actor=org.tess, audit=audit, assignee=assignee, description="Visit")
        other = make_child("Noah", "Fenwick")
        allocate(other, org.sam, allocated_by=org.tess)
        earlier = make_audit(other, org.tess, completed=True)
        make_audit(other, org.tess)
        # Moderated, by a QA officer and by a manager, and re-audited once its actions were done.
        make_moderation(earlier, org.quinn, outcome="agreed")
        make_moderation(earlier, org.simon)
        services.add_audit_action(actor=org.tess, audit=earlier, assignee=org.sam, description="Visit")
        complete_every_action(earlier)
        re_audit = services.start_re_audit(actor=org.tess, audit=earlier)
        services.save_case_file_audit(actor=org.tess, audit=re_audit, complete=True, **graded(re_audit))
        # Audits by others, which the quality page offers tess to moderate.
        make_moderation(make_audit(other, org.simon, completed=True), org.hana)


def test_every_quality_page_costs_the_same_queries_however_many_audits(client, org, child):
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    audit = make_audit(child, org.tess, kind=AuditTemplate.Kind.WHOLE_FILE, completed=True)
    action = services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Visit")
    in_progress = make_audit(child, org.tess, kind=AuditTemplate.Kind.WHOLE_FILE)
    values = {"person_id": child.pk, "audit_id": audit.pk, "audit_action_id": action.pk}
    pages = _pages(values, in_progress.pk)
    assert {"quality:home", "quality:audit", "quality:grade_audit", "quality:child_audits", "quality:moderation",
            "quality:re_audit", "quality:agreement", "quality:impact", "quality:themes",
            "quality:auditors"} <= set(pages)
    make_moderation(audit, org.quinn)
    # One tess may moderate, re-audited once done: each page shows at least one of each before more are added.
    by_simon = make_audit(child, org.simon, completed=True)
    re_audit = services.start_re_audit(actor=org.simon, audit=by_simon)
    services.save_case_file_audit(actor=org.simon, audit=re_audit, complete=True, **graded(re_audit))
    client.force_login(org.tess)
    before = {name: _count(client, path) for name, path in pages.items()}
    _more_audits(org, child)
    after = {name: _count(client, path) for name, path in pages.items()}
    assert after == before


def test_my_work_costs_the_same_queries_however_many_actions_wait(client, org, child):
    audit = make_audit(child, org.tess, completed=True)
    services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Visit")
    client.force_login(org.sam)
    before = _count(client, "/")
    for _ in range(4):
        other = make_child("Noah", "Fenwick")
        allocate(other, org.sam, allocated_by=org.tess)
        more = make_audit(other, org.tess, completed=True)
        services.add_audit_action(actor=org.tess, audit=more, assignee=org.sam, description="Visit")
    assert _count(client, "/") == before
