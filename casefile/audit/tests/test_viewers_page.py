from django.urls import reverse

from casefile.audit.models import Action, AuditEvent


def _viewers_url(child):
    return reverse("audit:viewers", kwargs={"person_id": child.pk})


def test_a_manager_sees_who_viewed_the_record_and_why(client, org, child):
    client.force_login(org.sam)
    client.get(reverse("people:record", kwargs={"person_id": child.pk}))
    client.logout()
    client.force_login(org.tess)
    response = client.get(_viewers_url(child))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sam Worker" in page
    assert "Viewed" in page


def test_a_social_worker_cannot_see_who_viewed(client, org, child):
    client.force_login(org.sam)
    assert client.get(_viewers_url(child)).status_code == 404


def test_someone_with_no_link_to_the_child_cannot_see_who_viewed(client, org, child):
    other_team_manager = org.ola
    other_team_manager.role = "team_manager"
    other_team_manager.save()
    client.force_login(other_team_manager)
    assert client.get(_viewers_url(child)).status_code == 404
    assert AuditEvent.objects.filter(actor=other_team_manager, action=Action.ACCESS_DENIED, child=child).exists()
