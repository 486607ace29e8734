"""A partner agency sees who a shared child is and only the items shared with it, never every case note.

Every page of the child's record is tried (the URL sweep's walk), so a page added later is closed to partners
until access/policy.py's PARTNER_PAGES names the item it shows.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casefile.access.models import AgencyShare
from casefile.access.tests import test_url_sweep as url_sweep
from casefile.access.tests.test_url_sweep import _argument_values, _path_for, all_patterns
from casefile.audit.models import Action, AuditEvent

secret_child, journey, front_door = url_sweep.secret_child, url_sweep.journey, url_sweep.front_door


def _share(org, child, items):
    return AgencyShare.objects.create(child=child, agency=org.petra.agency, purpose="Joint s47", shared_by=org.tess,
                                      expires_on=timezone.localdate() + datetime.timedelta(days=30), items=items)


def _record_pages(org, child, journey, front_door):
    values = _argument_values(child, org.assessment, journey, front_door)
    return {name: _path_for(route, values) for route, name, _ in all_patterns()
            if "person_id" in route and name != "access:restricted_reason"}


def test_with_nothing_but_the_child_shared_a_partner_opens_only_the_record_page(
        client, org, secret_child, journey, front_door):
    _share(org, secret_child, [])
    client.force_login(org.petra)
    opened = {name for name, path in _record_pages(org, secret_child, journey, front_door).items()
              if client.get(path).status_code == 200}
    assert opened == {"people:record"}
    page = client.get(_record_pages(org, secret_child, journey, front_door)["people:record"]).content.decode()
    assert secret_child.last_name in page
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, details__not_shared="casework:case_notes").exists()


def test_case_notes_shared_open_the_notes_and_nothing_else(client, org, secret_child, journey, front_door):
    _share(org, secret_child, ["case_notes"])
    client.force_login(org.petra)
    opened = {name for name, path in _record_pages(org, secret_child, journey, front_door).items()
              if client.get(path).status_code == 200}
    assert opened == {"people:record", "casework:case_notes", "casework:case_note"}


def test_an_expired_share_of_an_item_opens_nothing(client, org, secret_child, journey, front_door):
    share = _share(org, secret_child, ["case_notes", "plans"])
    share.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    share.save()
    client.force_login(org.petra)
    pages = _record_pages(org, secret_child, journey, front_door)
    assert client.get(pages["casework:case_notes"]).status_code == 404
    assert client.get(pages["people:record"]).status_code == 404


@pytest.mark.parametrize("persona", ["sam", "fran", "quinn"])
def test_staff_who_may_see_the_record_open_its_case_notes(client, org, secret_child, journey, front_door, persona):
    from casefile.quality.models import CaseSample

    CaseSample.objects.create(child=secret_child, officer=org.quinn)
    client.force_login(org.everyone()[persona])
    assert client.get(_record_pages(org, secret_child, journey, front_door)["casework:case_notes"]).status_code == 200


def test_the_record_page_links_a_partner_only_to_what_is_shared(client, org, secret_child, journey, front_door):
    from django.urls import reverse

    _share(org, secret_child, ["plans"])
    client.force_login(org.petra)
    page = client.get(reverse("people:record", kwargs={"person_id": secret_child.pk})).content.decode()
    assert reverse("casework:plans", kwargs={"person_id": secret_child.pk}) in page
    for hidden in ("casework:case_notes", "casework:episodes", "people:chronology"):
        assert reverse(hidden, kwargs={"person_id": secret_child.pk}) not in page, hidden
    assert "The chronology has not been shared with you." in page
