"""Strategy discussions, the section 47 enquiries they start, and the initial conference due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services

D = datetime.date
Decision = cw.StrategyDiscussion.Decision
Outcome = cw.Section47Enquiry.Outcome


@pytest.fixture
def episode(org, child):
    return cw.Episode.objects.create(child=child, referral_date=D(2023, 5, 2), referral_source="2A",
                                     referral_decision_date=D(2023, 5, 2), referral_decided_by=org.tess,
                                     referral_nfa=False, primary_need="N1", recorded_by=org.sam)


AGENCIES = [
    {"agency": "social_care", "name": "Sam Worker", "role": "Social worker", "information_shared": "Two referrals"},
    {"agency": "police", "name": "DC Reid", "information_shared": "Call-out last month"},
    {"agency": "health", "absence_reason": "GP unavailable; health visitor report requested"},
]


def discuss(org, episode, **changes) -> cw.StrategyDiscussion:
    values = {"kind": "discussion", "date": D(2023, 5, 3), "chaired_by": org.tess,
              "reason": "Bruising seen by school", "participants": AGENCIES, "decision": Decision.SECTION_47,
              "decision_rationale": "Reasonable cause to suspect significant harm"} | changes
    return services.record_strategy_discussion(actor=org.sam, episode=episode, **values)


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def test_deciding_on_section_47_starts_the_enquiry_from_the_discussion(org, episode):
    discussion = discuss(org, episode)
    enquiry = cw.Section47Enquiry.objects.get()
    assert enquiry.strategy_discussion == discussion and enquiry.episode == episode
    assert enquiry.start_date == D(2023, 5, 3) and enquiry.outcome == ""
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="casework.section47enquiry").exists()


def test_agencies_are_recorded_with_what_they_shared_or_why_they_were_absent(org, episode):
    discussion = discuss(org, episode)
    rows = {p.agency: p for p in discussion.participants.all()}
    assert rows["police"].name == "DC Reid" and rows["police"].information_shared == "Call-out last month"
    assert rows["health"].absence_reason.startswith("GP unavailable") and rows["health"].name == ""


def test_other_decisions_start_no_enquiry(org, episode):
    discuss(org, episode, decision=Decision.SINGLE_ASSESSMENT)
    assert not cw.Section47Enquiry.objects.exists()


@pytest.mark.parametrize("missing", ["social_care", "police", "health"])
def test_each_required_agency_must_be_recorded_or_its_absence_explained(org, episode, missing):
    participants = [p for p in AGENCIES if p["agency"] != missing]
    errors = refused(discuss, org=org, episode=episode, participants=participants)
    label = cw.Agency(missing).label
    assert errors[f"{missing}_name"] == [f"Enter who took part for {label}, or why {label} did not take part"]
    assert not cw.StrategyDiscussion.objects.exists() and not cw.StrategyParticipant.objects.exists()


def test_an_agency_is_either_present_or_absent_not_both(org, episode):
    participants = [*AGENCIES[:2], {"agency": "health", "name": "Dr Shah", "absence_reason": "Away"}]
    errors = refused(discuss, org=org, episode=episode, participants=participants)
    assert "not both" in errors["health_absence_reason"][0]


def test_a_decision_and_its_reasons_are_required(org, episode):
    errors = refused(discuss, org=org, episode=episode, decision="", decision_rationale=" ", reason="")
    assert errors["decision"] == ["Select what was decided"]
    assert errors["decision_rationale"] == ["Enter the reasons for the decision"]
    assert errors["reason"] == ["Enter why a strategy discussion was needed"]


def test_the_chair_must_be_a_social_worker_or_manager(org, episode):
    errors = refused(discuss, org=org, episode=episode, chaired_by=org.pat)
    assert "Select who chaired it" in errors["chaired_by"][0]


def test_a_second_enquiry_waits_for_the_first_ones_outcome(org, episode):
    discuss(org, episode)
    errors = refused(discuss, org=org, episode=episode, date=D(2023, 5, 10))
    assert errors["decision"] == ["The section 47 enquiry started on 3 May 2023 has no outcome yet: record its "
                                  "outcome before starting another"]
    assert discuss(org, episode, date=D(2023, 5, 10), decision=Decision.FURTHER_DISCUSSION)


def test_actions_have_a_named_owner_and_a_due_date(org, episode):
    discussion = discuss(org, episode)
    action = services.add_strategy_action(actor=org.sam, discussion=discussion, description="Joint visit",
                                          owner="DC Reid (police)", due_date=D(2023, 5, 4))
    assert action.strategy_discussion == discussion and action.owner == "DC Reid (police)"
    errors = refused(services.add_strategy_action, actor=org.sam, discussion=discussion, description="",
                     owner="", due_date=D(2023, 5, 1))
    assert set(errors) == {"description", "owner", "due_date"}
    assert "on or after the discussion (3 May 2023)" in errors["due_date"][0]


def test_another_agency_can_be_added_later(org, episode):
    discussion = discuss(org, episode)
    services.add_strategy_participant(actor=org.sam, discussion=discussion, agency="education", name="Ms Khan",
                                      information_shared="Attendance 70%")
    assert discussion.participants.filter(agency="education").exists()


def test_the_strategy_form_records_the_discussion_and_the_enquiry(client, org, child, episode):
    client.force_login(org.sam)
    url = reverse("casework:record_strategy_discussion", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    data = {"kind": "meeting", "date_day": "3", "date_month": "5", "date_year": "2023", "chaired_by": org.tess.pk,
            "reason": "Disclosure at school", "social_care_name": "Sam Worker", "police_name": "DC Reid",
            "health_absence_reason": "No response from GP", "decision": "s47", "decision_rationale": "Threshold met"}
    response = client.post(url, data)
    discussion = cw.StrategyDiscussion.objects.get()
    assert response.status_code == 302 and discussion.enquiry.start_date == D(2023, 5, 3)
    assert discussion.participants.count() == 3


def test_the_strategy_form_shows_a_missing_agency_and_saves_nothing(client, org, child, episode):
    client.force_login(org.sam)
    url = reverse("casework:record_strategy_discussion", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    page = client.post(url, {"kind": "meeting", "date_day": "3", "date_month": "5", "date_year": "2023",
                             "chaired_by": org.tess.pk, "reason": "r", "social_care_name": "Sam",
                             "decision": "s47", "decision_rationale": "r"}).content.decode()
    assert "Enter who took part for Police, or why Police did not take part" in page
    assert 'href="#id_police_name"' in page
    assert not cw.StrategyDiscussion.objects.exists()


# The enquiry's outcome ----------------------------------------------------------------------------------


def outcome(org, enquiry, **changes):
    values = {"outcome": Outcome.SUBSTANTIATED_AT_RISK, "outcome_date": D(2023, 5, 15),
              "outcome_rationale": "Continuing risk of physical harm"} | changes
    return services.record_section47_outcome(actor=org.sam, enquiry=enquiry, **values)


def test_recording_the_enquirys_outcome(org, episode):
    discuss(org, episode)
    enquiry = outcome(org, cw.Section47Enquiry.objects.get())
    enquiry.refresh_from_db()
    assert enquiry.outcome == Outcome.SUBSTANTIATED_AT_RISK and enquiry.outcome_date == D(2023, 5, 15)


def test_the_outcome_needs_a_date_not_before_the_discussion_and_reasons(org, episode):
    discuss(org, episode)
    errors = refused(outcome, org=org, enquiry=cw.Section47Enquiry.objects.get(), outcome="",
                     outcome_date=D(2023, 5, 1), outcome_rationale="")
    assert errors["outcome"] == ["Select the outcome of the section 47 enquiry"]
    assert errors["outcome_date"] == ["The date of the outcome must be on or after the strategy discussion "
                                      "(3 May 2023)"]
    assert errors["outcome_rationale"] == ["Enter the reasons for the outcome"]


@pytest.mark.parametrize("result", [Outcome.NOT_SUBSTANTIATED, Outcome.SUBSTANTIATED_NOT_AT_RISK])
def test_icpc_not_required_only_applies_to_substantiated_continuing_risk(org, episode, result):
    discuss(org, episode)
    enquiry = cw.Section47Enquiry.objects.get()
    errors = refused(outcome, org=org, enquiry=enquiry, outcome=result, icpc_not_required=True,
                     icpc_not_required_reason="Family moved away")
    assert errors["icpc_not_required"] == ["‘Initial conference not required’ only applies when concerns are "
                                           "substantiated and the child is at continuing risk: untick it, or "
                                           "change the outcome"]
    enquiry.refresh_from_db()
    assert enquiry.outcome == "" and enquiry.icpc_not_required is False


def test_icpc_not_required_needs_its_reason(org, episode):
    discuss(org, episode)
    enquiry = cw.Section47Enquiry.objects.get()
    errors = refused(outcome, org=org, enquiry=enquiry, icpc_not_required=True)
    assert errors["icpc_not_required_reason"] == ["Enter why an initial child protection conference is not "
                                                  "required"]
    outcome(org, enquiry, icpc_not_required=True, icpc_not_required_reason="Child now in care under s20")
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required and not services.icpc_due(enquiry)


def test_the_icpc_due_date_counts_15_working_days_across_the_coronation_bank_holiday(client, org, child, episode):
    discuss(org, episode)  # Wednesday 3 May 2023; Monday 8 May 2023 was the Coronation bank holiday
    enquiry = cw.Section47Enquiry.objects.get()
    assert services.icpc_due_date(enquiry) == D(2023, 5, 25)  # 24 May without the Coronation
    client.force_login(org.sam)
    page = client.get(reverse("casework:enquiry", kwargs={"person_id": child.pk,
                                                         "enquiry_id": enquiry.pk})).content.decode()
    assert "Initial child protection conference due by 25 May 2023" in page
    page = client.get(reverse("casework:episode", kwargs={"person_id": child.pk,
                                                         "episode_id": episode.pk})).content.decode()
    assert "Due by 25 May 2023" in page


def test_the_icpc_due_date_also_skips_a_day_the_council_closed(org, episode):
    discuss(org, episode)
    cw.NonWorkingDay.objects.create(date=D(2023, 5, 10), description="Council closure", added_by=org.ada)
    assert services.icpc_due_date(cw.Section47Enquiry.objects.get()) == D(2023, 5, 26)


def test_no_due_date_is_shown_once_no_conference_is_needed(client, org, child, episode):
    discuss(org, episode)
    enquiry = outcome(org, cw.Section47Enquiry.objects.get(), outcome=Outcome.NOT_SUBSTANTIATED)
    client.force_login(org.sam)
    page = client.get(reverse("casework:enquiry", kwargs={"person_id": child.pk,
                                                         "enquiry_id": enquiry.pk})).content.decode()
    assert "conference due by" not in page
