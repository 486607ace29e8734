"""The manager's queue with every kind of work in it, a step-down's page and its sign-off, return and send-again
forms, and the closure sign-off with the child's history, as the people who use them see them, meet WCAG 2.2 AA
according to axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.oversight.models import DecisionKind
from casefile.oversight.testing import make_case_supervision, make_decision
from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_queue_and_the_step_down_and_closure_sign_off_pages_meet_wcag_22_aa(page, live_server, org, child):
    today = timezone.localdate()
    step_down = services.record_step_down(actor=org.sam, child=child, date=today,
                                          early_help_provider="Family Hub North", reason="Parenting support")
    returned = services.record_step_down(actor=org.sam, child=child, date=today,
                                         early_help_provider="Family Hub South", reason="Routines")
    services.return_step_down(actor=org.tess, transfer=returned, reason="Name the family hub worker")
    episode = cw.Episode.objects.create(child=child, referral_date=today - datetime.timedelta(days=40),
                                        referral_source="2A", recorded_by=org.sam, closure_reason="RC7",
                                        closure_rationale="Needs met", childs_views_at_closure="Happy at school",
                                        closure_proposed_by=org.sam, closure_proposed_on=today)
    make_decision(child, org.sam, kind=DecisionKind.CONFERENCE_REQUEST)
    make_case_supervision(child, org.sam, org.tess)

    def url(name, **ids):
        return reverse(f"casework:{name}", kwargs={"person_id": child.pk, **ids})

    one = {"early_help_transfer_id": step_down.pk}
    pages = Pages(page)
    sign_in(page, "tess")
    pages.visit("Waiting for you, every kind", reverse("oversight:queue"))
    pages.visit("A step-down waiting for sign-off", url("early_help_transfer", **one))
    pages.visit("Sign off a step-down", url("sign_off_step_down", **one))
    pages.visit("Return a step-down", url("return_step_down", **one))
    pages.visit("Sign off a closure, with the child's history", url("sign_off_closure", episode_id=episode.pk))
    page.context.clear_cookies()
    sign_in(page, "sam")
    pages.visit("My work, with supervision to sign", reverse("core:my_work"))
    pages.visit("Send a returned step-down again", url("send_step_down_again", early_help_transfer_id=returned.pk))
    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 7
