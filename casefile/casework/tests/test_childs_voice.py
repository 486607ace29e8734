"""The child's voice at visits and assessments (how they were heard, their words or what was observed, what
difference it made to the plan), the father's views at closure, and the chronology that shows them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.casework import models as cw
from casefile.casework.chronology import chronology
from casefile.casework.services import episodes, plans
from casefile.casework.testing import make_journey
from casefile.testing import make_child

D = datetime.date
pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


@pytest.fixture
def episode(org, child):
    return cw.Episode.objects.create(child=child, referral_date=D(2024, 3, 1), referral_source="2A",
                                     referral_decision_date=D(2024, 3, 1), referral_decided_by=org.tess,
                                     referral_nfa=False, primary_need="N1", recorded_by=org.sam)


def record_visit(org, child, **changes):
    values = {"date": D(2024, 3, 27), "kind": cw.Visit.Kind.CHILD_IN_NEED, "child_seen": True, "seen_alone": True,
              "childs_words": "I like my new bed.", "heard_how": "direct_work",
              "difference_made": "Her bedtime worries are now an action in the plan."} | changes
    return plans.record_visit(actor=org.sam, child=child, **values)


# Visits ------------------------------------------------------------------------------------------------------


def test_a_visit_keeps_how_the_child_was_heard_and_what_difference_it_made(org, child, episode):
    visit = record_visit(org, child)
    assert visit.heard_how == cw.HeardHow.DIRECT_WORK
    assert visit.difference_made == "Her bedtime worries are now an action in the plan."


def test_a_child_seen_must_be_heard_somehow_and_seen_alone_or_not(org, child, episode):
    errors = refused(record_visit, org=org, child=child, heard_how="", seen_alone=None)
    assert errors["heard_how"] == ["Select how you heard Lily: talking with them, direct work or observation"]
    assert errors["seen_alone"] == ["Select whether you saw Lily alone"]
    errors = refused(record_visit, org=org, child=child, heard_how="not_seen")
    assert errors["heard_how"] == ["Lily was seen: select how you heard them, or answer no to whether they were seen"]
    errors = refused(record_visit, org=org, child=child, heard_how="telepathy")
    assert errors["heard_how"] == ["Select how you heard Lily: one of the options listed"]


def test_a_child_not_seen_cannot_have_been_talked_with(org, child, episode):
    errors = refused(record_visit, org=org, child=child, child_seen=False, not_seen_reason="Out", heard_how="talked")
    assert errors["heard_how"] == ["Lily was not seen, so ‘Talked with the child’ cannot be how you heard them: "
                                   "select ‘The child was not seen’"]
    visit = record_visit(org, child, child_seen=False, not_seen_reason="Out at nursery", heard_how="")
    assert visit.heard_how == cw.HeardHow.NOT_SEEN and visit.seen_alone is None


def test_a_child_who_does_not_talk_can_be_heard_by_observation_whatever_their_age(org, child, episode):
    errors = refused(record_visit, org=org, child=child, childs_words="", heard_how="talked")
    assert errors["childs_words"] == ["Enter what Lily said, in their own words: they are 4 or older"]
    errors = refused(record_visit, org=org, child=child, childs_words="", heard_how="observation")
    assert errors["observations"][0].startswith("Enter what you observed of Lily")
    visit = record_visit(org, child, childs_words="", heard_how="observation",
                         observations="Lily used her picture cards to show she felt happy at home")
    assert visit.heard_how == cw.HeardHow.OBSERVATION


def test_the_visit_form_names_the_field_at_fault_and_the_page_shows_the_answers(client, org, child, episode):
    client.force_login(org.sam)
    url = reverse("casework:record_visit", kwargs={"person_id": child.pk})
    form = {"date_day": "27", "date_month": "3", "date_year": "2024", "kind": "cin", "child_seen": "yes",
            "seen_alone": "yes", "childs_words": "I like my new bed."}
    page = client.post(url, form).content.decode()
    assert "Select how you heard Lily: talking with them, direct work or observation" in page
    assert 'href="#id_heard_how' in page  # the error summary links to the field
    response = client.post(url, {**form, "heard_how": "talked", "difference_made": "Bedtime added to the plan"})
    visit = cw.Visit.objects.get()
    assert response.status_code == 302 and visit.heard_how == "talked"
    shown = client.get(reverse("casework:visit", kwargs={"person_id": child.pk, "visit_id": visit.pk}))
    assert "Talked with the child" in shown.content.decode() and "Bedtime added to the plan" in shown.content.decode()


# Assessments -------------------------------------------------------------------------------------------------


@pytest.fixture
def assessment(org, episode):
    return episodes.start_assessment(actor=org.sam, episode=episode, start_date=D(2024, 3, 4))


def test_an_assessment_cannot_say_the_child_was_heard_if_they_were_not_seen(org, assessment):
    episodes.update_assessment(actor=org.sam, assessment=assessment, child_seen=False)
    errors = refused(episodes.update_assessment, actor=org.sam, assessment=assessment, heard_how="direct_work")
    assert errors["heard_how"] == ["The child was not seen, so ‘Direct work (for example drawings, three houses, "
                                   "wishes and feelings tools)’ cannot be how you heard them: select ‘The child was "
                                   "not seen’"]


def test_the_childs_views_section_is_complete_only_with_how_a_child_seen_was_heard(org, assessment):
    episodes.update_assessment(actor=org.sam, assessment=assessment, child_seen=True, child_seen_on=D(2024, 3, 5),
                               childs_views="I want Mum to stop shouting")
    missing = {s.key for s in episodes.missing_sections(assessment, [], [])}
    assert "views" in missing
    episodes.update_assessment(actor=org.sam, assessment=assessment, heard_how="talked",
                               difference_made="  Contact moved to the family centre  ")
    assert "views" not in {s.key for s in episodes.missing_sections(assessment, [], [])}
    assert assessment.difference_made == "Contact moved to the family centre"


def test_the_views_page_asks_how_the_child_was_heard(client, org, child, assessment):
    client.force_login(org.sam)
    url = reverse("casework:assessment_views", kwargs={"person_id": child.pk, "assessment_id": assessment.pk})
    assert "How did you hear the child?" in client.get(url).content.decode()
    response = client.post(url, {"heard_how": "observation", "observations_of_child": "Settled with Nan",
                                 "difference_made": "Nan is in the plan"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.heard_how == "observation" and assessment.difference_made == "Nan is in the plan"
    page = client.get(reverse("casework:assessment", kwargs={"person_id": child.pk,
                                                             "assessment_id": assessment.pk})).content.decode()
    assert "Observation (for babies and children who do not talk)" in page


# The father's views at closure ---------------------------------------------------------------------------


def propose(org, episode, **changes):
    values = {"reason": "RC7", "rationale": "Needs met", "childs_views": "I’m happy now"} | changes
    return episodes.propose_closure(actor=org.sam, episode=episode, **values)


def test_a_closure_records_the_fathers_views_or_why_they_were_not_sought(org, episode):
    propose(org, episode, fathers_views="He agrees the case can close")
    episode.refresh_from_db()
    assert episode.fathers_views_at_closure == "He agrees the case can close" and episode.fathers_views_not_sought == ""
    episodes.return_closure(actor=org.tess, episode=episode, reason="Ask the school")
    episode.refresh_from_db()
    assert episode.fathers_views_at_closure == ""
    propose(org, episode, fathers_views_not_sought="whereabouts_unknown", answer="School asked")
    episode.refresh_from_db()
    assert episode.fathers_views_shown == "Not sought: The father’s whereabouts are unknown"


def test_the_fathers_views_and_a_reason_for_not_seeking_them_are_not_both_given(org, episode):
    errors = refused(propose, org=org, episode=episode, fathers_views="Fine", fathers_views_not_sought="risk")
    assert errors["fathers_views_not_sought"] == ["You entered the father’s views: leave ‘why not sought’ empty, or "
                                                  "remove his views"]
    errors = refused(propose, org=org, episode=episode, fathers_views_not_sought="busy")
    assert errors["fathers_views_not_sought"] == ["Select why the father’s views were not sought from the list"]


def test_the_closure_form_asks_for_the_fathers_views_and_the_episode_shows_them(client, org, child, episode):
    client.force_login(org.sam)
    url = reverse("casework:propose_closure", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    assert "The father’s views about the case closing" in client.get(url).content.decode()
    assert client.post(url, {"reason": "RC7", "rationale": "Needs met", "childs_views": "Fine",
                             "fathers_views_not_sought": "not_involved"}).status_code == 302
    page = client.get(reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}))
    assert "Not sought: The father is not involved in the child’s life" in page.content.decode()


# The chronology ----------------------------------------------------------------------------------------------


def test_the_chronology_shows_how_the_child_was_heard_their_words_and_the_difference(org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    journey.visit.heard_how, journey.visit.difference_made = "direct_work", "Walking to school added to the plan"
    journey.visit.save()
    journey.assessment.heard_how = "talked"
    journey.assessment.save()
    events = {event.key: event for event in chronology(child)}
    visit = events[f"visit:{journey.visit.pk}"].description
    assert ("The child was seen alone. How the child was heard: direct work. In their words: “I had cereal for "
            "breakfast.” Difference to the plan: Walking to school added to the plan.") in visit
    authorised = events[f"assessment-authorised:{journey.assessment.pk}"].description
    assert ("How the child was heard: talking with them. In their words: “I don't like it when they shout.”"
            in authorised)


def test_the_chronology_shows_what_was_observed_of_a_baby_at_the_assessment(org):
    baby = make_child("Noah", "Hartley", date_of_birth=D(2023, 6, 1))
    episode = cw.Episode.objects.create(child=baby, referral_date=D(2024, 1, 2), referral_source="1A",
                                        recorded_by=org.sam)
    assessment = cw.Assessment.objects.create(
        episode=episode, start_date=D(2024, 1, 3), child_seen=True, child_seen_on=D(2024, 1, 4),
        heard_how="observation", observations_of_child="Noah reached for his mum and settled",
        authorised_on=D(2024, 2, 1), authorised_by=org.tess, recorded_by=org.sam)
    [authorised] = [e for e in chronology(baby) if e.key == f"assessment-authorised:{assessment.pk}"]
    assert "How the child was heard: observation. Seen: Noah reached for his mum and settled." in authorised.description
