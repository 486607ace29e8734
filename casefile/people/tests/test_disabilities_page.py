"""The disabilities page saves whatever is ticked, nothing included."""

from django.urls import reverse

from casefile.people.models import Disability


def test_unticking_every_disability_saves_and_returns_to_the_record(client, org, child):
    """All unticked means not known: it used to answer 500, because the service's empty answer read as a refusal
    (found by the URL sweep posting to every page)."""
    client.force_login(org.sam)
    url = reverse("people:disabilities", args=[child.pk])
    assert client.post(url, {"disabilities": ["NONE"]}).status_code == 302
    response = client.post(url, {"csrfmiddlewaretoken": "sent by every browser"})  # nothing ticked
    assert response.status_code == 302 and response["Location"] == reverse("people:record", args=[child.pk])
    assert not Disability.objects.filter(person=child).exists()
