"""Every oversight page a person opens (each URL in oversight/urls.py that serves GET) costs the same number of
queries however much is recorded: more decisions with more evidence and disagreements, more practice concerns with
more stages and responses, more conference reports graded, more supervision records with more actions, more
children and more staff. The pages are found from the URL configuration, so a page added later is counted too."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefile.access.tests import test_url_sweep as url_sweep
from casefile.access.tests.test_url_sweep import _argument_values, _path_for, all_patterns
from casefile.accounts.models import Role
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.oversight.models import (
    DecisionEvidence,
    Escalation,
    EscalationStage,
    ReportFeedback,
    SupervisionAction,
)
from casefile.oversight.testing import (
    make_case_supervision,
    make_decision,
    make_escalation,
    make_staff_supervision,
)
from casefile.rules.escalation import Stage
from casefile.testing import allocate, make_child, make_user

secret_child, journey, front_door = url_sweep.secret_child, url_sweep.journey, url_sweep.front_door

# Who opens each page: the first of these it answers 200 (the manager, her manager, the head of service who raised
# the concern, the chair of her initial conference, her worker, an administrator).
OPENERS = ("tess", "simon", "hana", "chris", "sam", "ada")


# Pages that show something only with a query string: what they are opened with.
QUERIES = {"oversight:childs_voice_records": "?kind=visit"}


def _oversight_pages(values: dict) -> dict[str, str]:
    return {name: _path_for(route, values) + QUERIES.get(name, "") for route, name, pattern in all_patterns()
            if name.startswith("oversight:") and "GET" in (getattr(pattern.callback, "allowed_methods", None) or ())}


def _count(client, path: str) -> int:
    client.get(path)  # the first view after signing in also stamps the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _more_of_everything(org, child, journey, round_: int, times: int = 3) -> None:
    """More of every oversight record about the child, on the records they point to, and more children and staff."""
    conference, day = journey.conference, journey.conference.date
    escalation = Escalation.objects.filter(child=child).order_by("pk").first()
    stage = (Stage.TEAM_MANAGER, Stage.SERVICE_MANAGER)[round_]
    EscalationStage.objects.create(escalation=escalation, stage=stage, started_on=day, started_by=org.hana,
                                   responded_by=org.tess, responded_on=day, response="A core group is booked")
    for number in range(round_ * times, (round_ + 1) * times):
        cw.Visit.objects.create(child=child, episode=journey.episode, date=day,
                                kind=cw.Visit.Kind.CHILD_PROTECTION, worker=org.sam, child_seen=True,
                                recorded_by=org.sam)
        cw.CaseNote.objects.create(child=child, episode=journey.episode, date=day, subject=f"Call {number}",
                                   body="Phoned school", recorded_by=org.sam)
        decision = make_decision(child, org.tess, decision=f"Decision {number}")
        for weighed_as, kind, record in (("risk", "visit", journey.visit), ("strength", "plan", journey.plan),
                                         ("option", "case_note", journey.case_note)):
            DecisionEvidence.objects.create(decision=decision, weighed_as=weighed_as, kind=kind, record_id=record.pk)
        decision.dissents.create(raised_by="DC Reid, police", text="Too soon", recorded_by=org.tess)
        for first in child.management_decisions.order_by("pk")[:1]:
            first.dissents.create(raised_by=f"Head teacher {number}", text="Too late", recorded_by=org.tess)
        make_escalation(child, org.hana, day, stage=Stage.TEAM_MANAGER)
        supervision = make_case_supervision(child, org.sam, org.tess, held_on=day)
        for target in (supervision, *child.case_supervisions.order_by("pk")[:1]):
            SupervisionAction.objects.create(supervision=target, description=f"Visit {number}", owner="Sam Worker",
                                             due_date=day, measure="Seen alone")
        make_staff_supervision(org.sam, org.tess, held_on=day - datetime.timedelta(days=number))
        worker = make_user(f"worker{number}", Role.SOCIAL_WORKER, team=org.assessment, manager=org.tess,
                           name=f"Worker {number}")
        other = make_child(f"Child{number}", "Many")
        allocate(other, worker, allocated_by=org.tess)
        make_journey(other, worker, org.tess, org.hana)
        make_escalation(other, org.hana, day)
        make_case_supervision(other, worker, org.tess, held_on=day)
    for agency in ((cw.Agency.POLICE, cw.Agency.EDUCATION), (cw.Agency.HOUSING, cw.Agency.PROBATION))[round_]:
        report = cw.ConferenceReport.objects.create(conference=conference, agency=agency, received=True,
                                                    received_on=day, shared_with_parents=False)
        ReportFeedback.objects.create(report=report, grade=ReportFeedback.Grade.GOOD, comment="Clear analysis",
                                      given_by=org.hana, given_on=day)


def test_every_oversight_page_costs_the_same_queries_however_much_is_recorded(client, org, secret_child, journey,
                                                                              front_door):
    child = secret_child
    cw.Conference.objects.filter(pk=journey.conference.pk).update(chair=org.chris)  # a chair, to raise concerns
    pages = _oversight_pages(_argument_values(child, org.assessment, journey, front_door))
    people = org.everyone()
    opener = {}
    for name, path in pages.items():
        for username in OPENERS:
            client.force_login(people[username])
            if client.get(path).status_code == 200:
                opener[name] = username
                break
    assert set(opener) == set(pages), f"nobody could open {set(pages) - set(opener)}"
    assert len(pages) >= 25, sorted(pages)

    # Counted with some of everything, then with more: the first of a kind may add a query (a stage's deadline
    # reads the bank holidays once), the tenth must not.
    counts = []
    for round_ in (0, 1):
        _more_of_everything(org, child, journey, round_)
        counts.append({})
        for name, path in pages.items():
            client.force_login(people[opener[name]])
            counts[-1][name] = _count(client, path)
    grew = {name: f"{few} queries, then {counts[1][name]} (as {opener[name]})"
            for name, few in counts[0].items() if counts[1][name] != few}
    assert not grew, "Pages whose queries grew:\n" + "\n".join(f"{name}: {said}" for name, said in grew.items())
