"""Supervision records for tests, built with the models directly (as casework/testing.py's journey is), so any
test, the URL sweep included, has one of each in a few milliseconds."""

from __future__ import annotations

import datetime

from casefile.accounts.models import User
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.people.models import Person

REFLECTIVE = {"happening": "Lily is attending school most days", "worries": "Bruising seen twice this term",
              "working_well": "Grandmother collects Lily every Friday", "hypotheses": "Stress since the move",
              "next_steps": "Joint visit with the health visitor"}
STAFF = {"wellbeing": "Tired after a court week", "caseload": "18 children, two in proceedings",
         "learning": "Booked on the ASYE reflective practice day"}


def make_case_supervision(child: Person, worker: User, supervisor: User,
                          held_on: datetime.date = datetime.date(2024, 3, 4), **fields) -> CaseSupervision:
    return CaseSupervision.objects.create(child=child, worker=worker, supervisor=supervisor, held_on=held_on,
                                          recorded_by=supervisor, **{**REFLECTIVE, **fields})


def make_staff_supervision(worker: User, supervisor: User, held_on: datetime.date = datetime.date(2024, 3, 4),
                           **fields) -> StaffSupervision:
    return StaffSupervision.objects.create(worker=worker, supervisor=supervisor, held_on=held_on,
                                           recorded_by=supervisor, **{**STAFF, **fields})


def supervision_ids(child: Person, worker: User, supervisor: User) -> dict[str, int]:
    """URL arguments for every supervision page, filled with records about the child and her worker."""
    supervision = make_case_supervision(child, worker, supervisor)
    action = SupervisionAction.objects.create(supervision=supervision, description="Visit Lily at school",
                                              owner="Sam Worker (social worker)", due_date=datetime.date(2024, 3, 18),
                                              measure="Lily's words recorded on the visit")
    staff = make_staff_supervision(worker, supervisor)
    return {"supervision_id": supervision.pk, "supervision_action_id": action.pk, "staff_supervision_id": staff.pk,
            "worker_id": worker.pk}
