"""The episode pages: reachable from the child's record, open to the allocated worker, closed to outsiders,
showing everything in the episode with the next step, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.casework.views.episodes import urlpatterns
from casefile.people.models import Relationship
from casefile.testing import make_adult

D = datetime.date


def date_fields(name: str, value: datetime.date) -> dict:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def episode_urls(child, journey) -> list[str]:
    """Every page in this area, filled with the child's own journey."""
    ids = journey.ids()
    urls = []
    for pattern in urlpatterns:
        names = [name for name in pattern.pattern.converters]
        urls.append(reverse(f"casework:{pattern.name}", kwargs={"person_id": child.pk,
                                                                **{n: ids[n] for n in names if n != "person_id"}}))
    return urls


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)


def test_every_page_opens_for_the_allocated_worker(client, org, child, journey):
    client.force_login(org.sam)
    for url in episode_urls(child, journey):
        if url.endswith("/adults/record/"):
            dawn = make_adult(first_name="Dawn", last_name="Reid")
            Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
            url += f"?person={dawn.pk}"
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "Lily Hartley" in response.content.decode(), url


def test_every_page_is_not_found_for_someone_with_no_link_to_the_child(client, org, child, journey):
    client.force_login(org.ola)
    for url in episode_urls(child, journey):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert cw.Episode.objects.count() == 1


def test_a_record_of_another_child_cannot_be_reached_through_this_childs_url(client, org, child, journey):
    from casefile.testing import allocate, make_child

    other = make_child("Tom", "Other")
    allocate(other, org.sam)
    client.force_login(org.sam)
    url = reverse("casework:episode", kwargs={"person_id": other.pk, "episode_id": journey.episode.pk})
    assert client.get(url).status_code == 404
    url = reverse("casework:assessment", kwargs={"person_id": other.pk, "assessment_id": journey.assessment.pk})
    assert client.get(url).status_code == 404


def test_the_childs_record_links_to_the_episode_and_to_recording_a_referral(client, org, child):
    client.force_login(org.sam)
    record = reverse("people:record", kwargs={"person_id": child.pk})
    page = client.get(record).content.decode()
    assert "Casework" in page and reverse("casework:record_referral", kwargs={"person_id": child.pk}) in page
    episode = cw.Episode.objects.create(child=child, referral_date=D(2024, 3, 1), referral_source="6",
                                        recorded_by=org.sam)
    page = client.get(record).content.decode()
    assert reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}) in page
    assert reverse("casework:record_referral", kwargs={"person_id": child.pk}) not in page


def test_recording_a_referral_through_the_page_opens_the_episode_and_audits_it(client, org, child):
    client.force_login(org.sam)
    response = client.post(reverse("casework:record_referral", kwargs={"person_id": child.pk}), {
        **date_fields("referral_date", D(2024, 3, 1)), "referral_source": "2A", "referrer_name": "Ms Khan",
        "referral_summary": "Bruise on arm"})
    episode = cw.Episode.objects.get(child=child)
    assert response.status_code == 302 and response.url == reverse(
        "casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_id=str(episode.pk), actor=org.sam).exists()
    page = client.get(response.url).content.decode()
    assert "Record the referral decision" in page and "Schools (2A)" in page


def test_a_refused_form_shows_the_error_summary_and_saves_nothing(client, org, child):
    client.force_login(org.sam)
    response = client.post(reverse("casework:record_referral", kwargs={"person_id": child.pk}), {
        **date_fields("referral_date", D(2024, 3, 1)), "referral_source": "5D"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter why early help is stepping the child up" in page
    assert not cw.Episode.objects.exists() and not cw.EarlyHelpTransfer.objects.exists()


def test_the_episode_page_shows_everything_in_date_order_with_links(client, org, child, journey):
    client.force_login(org.sam)
    page = client.get(reverse("casework:episode", kwargs={"person_id": child.pk,
                                                         "episode_id": journey.episode.pk})).content.decode()
    order = ["Referral received", "Single assessment started", "Strategy discussion", "Section 47 enquiry outcome",
             "Initial child protection conference", "Case note: Call from school", "Step down to early help"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    for name, key, value in (("assessment", "assessment_id", journey.assessment.pk),
                             ("strategy_discussion", "strategy_discussion_id", journey.strategy_discussion.pk),
                             ("enquiry", "enquiry_id", journey.enquiry.pk),
                             ("case_note", "case_note_id", journey.case_note.pk)):
        assert reverse(f"casework:{name}", kwargs={"person_id": child.pk, key: value}) in page


def test_the_episode_page_names_the_next_step(client, org, child):
    episode = cw.Episode.objects.create(child=child, referral_date=D(2024, 3, 1), referral_source="6",
                                        referral_decision_date=D(2024, 3, 1), referral_decided_by=org.tess,
                                        referral_nfa=False, primary_need="N1", recorded_by=org.sam)
    client.force_login(org.sam)
    url = reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    page = client.get(url).content.decode()
    assert "Next step" in page and "Start the single assessment" in page
    assert reverse("casework:start_assessment", kwargs={"person_id": child.pk, "episode_id": episode.pk}) in page


def _grow(episode, org, child, number: int) -> None:
    """Add one more of each kind of record to the episode."""
    day = D(2024, 2, 1) + datetime.timedelta(days=number)
    by = {"recorded_by": org.sam}
    assessment = cw.Assessment.objects.create(episode=episode, start_date=day, authorised_on=day,
                                              authorised_by=org.tess, **by)
    cw.AssessmentFactor.objects.create(assessment=assessment, code="16A")
    discussion = cw.StrategyDiscussion.objects.create(episode=episode, date=day, chaired_by=org.tess, reason="r",
                                                      decision="s47", decision_rationale="r", **by)
    cw.Section47Enquiry.objects.create(episode=episode, strategy_discussion=discussion, **by)
    cw.Conference.objects.create(child=child, episode=episode, kind="review", date=day, chair=org.chris,
                                 recorded_by=org.chris)
    cw.Plan.objects.create(child=child, episode=episode, kind="cin", start_date=day, end_date=day,
                           contingency="c", **by)
    cw.Visit.objects.create(child=child, episode=episode, kind="cin", date=day, worker=org.sam, child_seen=True,
                            **by)
    cw.CaseNote.objects.create(child=child, episode=episode, date=day, subject=f"Note {number}", body="b", **by)
    cw.EarlyHelpTransfer.objects.create(child=child, episode=episode, direction="down", date=day, reason="r", **by)


def test_the_episode_page_runs_the_same_number_of_queries_however_much_the_episode_holds(client, org, child,
                                                                                        journey):
    client.force_login(org.sam)
    url = reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": journey.episode.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(5):
        _grow(journey.episode, org, child, number)
    assert count() == before
