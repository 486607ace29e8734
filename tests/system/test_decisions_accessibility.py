"""Every page of a child's decisions, as the people who use them see them, meets WCAG 2.2 AA according to axe-core:
the list, a management decision with its evidence and disagreement, the front door's threshold decision, the form
(empty and with its errors), the sign-off, a disagreement, and the refusal a worker sees instead of the form."""

import pytest
from django.urls import reverse

from casefile.casework.testing import make_journey
from casefile.frontdoor.testing import front_door_ids
from casefile.oversight.models import DecisionKind
from casefile.oversight.testing import make_decision
from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_every_decisions_page_meets_wcag_22_aa(page, live_server, org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    threshold = front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)["decision_id"]
    decision = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST, shareable_with_family=True,
                             family_summary="We have asked for a child protection conference.")
    decision.evidence.create(weighed_as="risk", kind="visit", record_id=journey.visit.pk)
    decision.dissents.create(raised_by="DC Reid, police", text="Too soon", recorded_by=org.tess)

    def url(name, **ids):
        return reverse(f"oversight:{name}", kwargs={"person_id": child.pk, **ids})

    one = {"management_decision_id": decision.pk}
    pages = Pages(page)
    sign_in(page, "tess")
    pages.visit("Decisions", url("decisions"))
    pages.visit("A management decision", url("decision", **one))
    pages.visit("A threshold decision", url("threshold_decision", threshold_decision_id=threshold))
    pages.visit("Record a management decision", url("record_decision"))
    pages.submit_empty("Record a management decision, with errors", url("record_decision"), "Record the decision")
    pages.visit("Record a disagreement", url("record_dissent", **one))
    page.context.clear_cookies()
    sign_in(page, "simon")
    pages.visit("Sign off a conference request", url("sign_off_decision", **one))
    page.context.clear_cookies()
    sign_in(page, "sam")
    pages.visit("Refused: a worker may not record a decision", url("record_decision"))
    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 8
