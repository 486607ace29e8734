"""The person pages ask access/permissions.py what a user may do, and say so before any form."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casefile.access.models import AgencyShare
from casefile.accounts.models import Agency, Role
from casefile.people import services
from casefile.people.models import Person
from casefile.people.tests.helpers import date_fields
from casefile.testing import allocate, make_child, make_user

CREATE = reverse("people:create")


def test_a_partner_viewer_is_refused_a_new_person_before_the_form_and_by_the_service(client, org):
    client.force_login(org.petra)
    assert client.get(CREATE).status_code == 403
    assert "Record a new person" not in client.get(reverse("people:search")).content.decode()
    with pytest.raises(PermissionDenied):
        services.create_person(actor=org.petra, kind="child", first_name="Maisie", last_name="Okafor", sex="F",
                               date_of_birth=datetime.date(2016, 5, 14))
    assert not Person.objects.filter(last_name="Okafor").exists()


def test_staff_are_offered_a_new_person(client, org):
    client.force_login(org.sam)
    assert client.get(CREATE).status_code == 200
    assert "Record a new person" in client.get(reverse("people:search")).content.decode()
    response = client.post(CREATE, {"kind": "child", "first_name": "Maisie", "last_name": "Okafor", "sex": "F",
                                    **date_fields("date_of_birth", datetime.date(2016, 5, 14)),
                                    **date_fields("expected_date_of_birth", None)})
    assert response.status_code == 302 and Person.objects.filter(last_name="Okafor").exists()


@pytest.mark.parametrize(("who", "offered"), [("fran", True), ("mel", True), ("ada", True), ("sam", False),
                                              ("tess", False), ("fd_partner", False)])
def test_record_a_contact_is_offered_to_whoever_may_use_the_front_door(client, org, who, offered):
    """The template used to decide this from the role itself, and disagreed with the front door's own gate: it
    offered the link to a partner viewer placed in the front-door team (whom the front door then refused with a
    404) and hid it from administrators (whom the front door lets in)."""
    partner = make_user("fd_partner", Role.PARTNER_VIEWER, team=org.front_door_team, agency=Agency.POLICE)
    child = make_child("Lily", "Hartley")
    allocate(child, org.sam, allocated_by=org.tess)
    AgencyShare.objects.create(child=child, agency=Agency.POLICE, purpose="Joint s47", shared_by=org.tess,
                               expires_on=timezone.localdate() + datetime.timedelta(days=30))
    client.force_login((org.everyone() | {"fd_partner": partner})[who])
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk}))
    assert page.status_code == 200
    assert ('id="record-contact"' in page.content.decode()) == offered
    assert client.get(reverse("frontdoor:contact_new")).status_code == (200 if offered else 404)
