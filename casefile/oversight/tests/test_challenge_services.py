"""Chair and IRO challenge: raising a practice concern, the response at each stage, moving it on (never skipping a
stage without a reason), its resolution, a chair's feedback on conference reports, and who sees what is open."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Agency, Conference, ConferenceReport
from casefile.oversight import escalations as reads
from casefile.oversight.models import Escalation, ReportFeedback
from casefile.oversight.services import challenge as services
from casefile.people.models import Person
from casefile.testing import allocate, make_child

LONDON = ZoneInfo("Europe/London")
# Thursday 28 March 2024, the day before Good Friday: the informal stage is due on Monday 8 April.
RAISED = datetime.date(2024, 3, 28)


def at(day: datetime.date, time_machine) -> None:
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


def chaired(child, chair, day=datetime.date(2024, 3, 1)) -> Conference:
    return Conference.objects.create(child=child, kind=Conference.Kind.INITIAL, date=day, chair=chair,
                                     recorded_by=chair)


@pytest.fixture
def concern(org, child, time_machine):
    at(RAISED, time_machine)
    chaired(child, org.chris)
    return services.raise_concern(actor=org.chris, child=child, concern="No core group since the plan started",
                                  asked_for="A core group within 10 working days")


def messages_of(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


# Raising a concern --------------------------------------------------------------------------------------


def test_a_chair_raises_a_concern_at_the_informal_stage_with_its_history_and_audit(org, child, concern):
    assert concern.stage == "informal" and concern.stage_started_on == RAISED and concern.raised_by == org.chris
    assert [row.stage for row in concern.stages.all()] == ["informal"]
    assert concern.history.count() == 1
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(concern.pk))
    assert event.child == child and event.actor == org.chris


def test_a_concern_needs_what_worries_the_chair_and_what_they_ask_for(org, child, time_machine):
    chaired(child, org.chris)
    with pytest.raises(ValidationError) as error:
        services.raise_concern(actor=org.chris, child=child, concern=" ", asked_for="")
    assert set(messages_of(error)) == {"concern", "asked_for"}
    assert "worried about" in messages_of(error)["concern"][0]
    assert not Escalation.objects.exists()


def test_only_a_chair_of_the_childs_conferences_raises_a_concern(org, child):
    with pytest.raises(PermissionDenied):
        services.raise_concern(actor=org.chris, child=child, concern="Drift", asked_for="A review")
    with pytest.raises(PermissionDenied):
        services.raise_concern(actor=org.sam, child=child, concern="Drift", asked_for="A review")
    assert not Escalation.objects.exists()


# Responses ----------------------------------------------------------------------------------------------


def test_the_allocated_worker_answers_the_informal_stage(org, concern):
    row = services.respond_to_concern(actor=org.sam, escalation=concern, response="Core group booked for 9 April",
                                      responded_on=datetime.date(2024, 3, 28))
    assert (row.responded_by, row.responded_on) == (org.sam, RAISED)
    assert AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(concern.pk)).exists()
    with pytest.raises(ValidationError) as error:
        services.respond_to_concern(actor=org.tess, escalation=concern, response="Again", responded_on=RAISED)
    assert "was answered on 28 March 2024" in messages_of(error)["response"][0]


def test_someone_outside_the_line_of_the_team_holding_the_child_may_not_answer(org, concern):
    for outsider in (org.ola, org.mel, org.quinn):
        with pytest.raises(PermissionDenied):
            services.respond_to_concern(actor=outsider, escalation=concern, response="Noted", responded_on=RAISED)


def test_a_response_needs_its_words_and_a_date_neither_in_the_future_nor_before_the_stage(org, concern):
    with pytest.raises(ValidationError) as error:
        services.respond_to_concern(actor=org.sam, escalation=concern, response="", responded_on=None)
    assert set(messages_of(error)) == {"response", "responded_on"}
    with pytest.raises(ValidationError) as error:
        services.respond_to_concern(actor=org.sam, escalation=concern, response="Done",
                                    responded_on=datetime.date(2024, 3, 27))
    assert "on or after 28 March 2024" in messages_of(error)["responded_on"][0]
    with pytest.raises(ValidationError) as error:
        services.respond_to_concern(actor=org.sam, escalation=concern, response="Done",
                                    responded_on=datetime.date(2024, 3, 29))
    assert "today or in the past" in messages_of(error)["responded_on"][0]


# Moving on ----------------------------------------------------------------------------------------------


def test_a_stage_neither_answered_nor_overdue_cannot_move_on(org, concern):
    with pytest.raises(ValidationError) as error:
        services.escalate_concern(actor=org.chris, escalation=concern, stage="team_manager")
    assert "answered or its deadline has passed" in messages_of(error)["stage"][0]
    concern.refresh_from_db()
    assert concern.stage == "informal"


def test_an_overdue_stage_moves_on_and_the_next_is_answered_by_the_team_manager(org, concern, time_machine):
    at(datetime.date(2024, 4, 9), time_machine)  # the informal stage was due on 8 April
    services.escalate_concern(actor=org.chris, escalation=concern, stage="team_manager")
    concern = Escalation.objects.get(pk=concern.pk)
    assert concern.stage == "team_manager" and concern.stage_started_on == datetime.date(2024, 4, 9)
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(concern.pk)).latest("pk")
    assert event.details["stage"] == ["informal", "team_manager"] and event.details["overdue"] is True
    for not_them in (org.sam, org.simon, org.hana):
        with pytest.raises(PermissionDenied):
            services.respond_to_concern(actor=not_them, escalation=concern, response="Noted",
                                        responded_on=datetime.date(2024, 4, 9))
    services.respond_to_concern(actor=org.tess, escalation=concern, response="Agreed",
                                responded_on=datetime.date(2024, 4, 9))


def test_an_escalation_cannot_skip_a_stage_without_a_reason(org, concern):
    services.respond_to_concern(actor=org.sam, escalation=concern, response="We disagree", responded_on=RAISED)
    with pytest.raises(ValidationError) as error:
        services.escalate_concern(actor=org.chris, escalation=concern, stage="service_manager", skip_reason=" ")
    assert messages_of(error)["skip_reason"][0].startswith("An escalation cannot skip a stage without a reason")
    services.escalate_concern(actor=org.chris, escalation=concern, stage="service_manager",
                              skip_reason="The team manager chaired the strategy discussion")
    row = Escalation.objects.get(pk=concern.pk).stages.get(stage="service_manager")
    assert row.skip_reason == "The team manager chaired the strategy discussion"
    concern = Escalation.objects.get(pk=concern.pk)
    with pytest.raises(PermissionDenied):
        services.respond_to_concern(actor=org.tess, escalation=concern, response="x", responded_on=RAISED)
    services.respond_to_concern(actor=org.simon, escalation=concern, response="Plan reviewed", responded_on=RAISED)


def test_only_the_chair_who_raised_it_moves_it_on(org, concern):
    services.respond_to_concern(actor=org.sam, escalation=concern, response="Booked", responded_on=RAISED)
    for other in (org.tess, org.sam):
        with pytest.raises(PermissionDenied):
            services.escalate_concern(actor=other, escalation=concern, stage="team_manager")


# Resolution ---------------------------------------------------------------------------------------------


def test_the_chair_records_the_resolution_which_closes_the_concern(org, concern):
    with pytest.raises(ValidationError) as error:
        services.resolve_concern(actor=org.chris, escalation=concern, resolution="")
    assert set(messages_of(error)) == {"resolution"}
    services.resolve_concern(actor=org.chris, escalation=concern, resolution="Core group met on 9 April")
    concern = Escalation.objects.get(pk=concern.pk)
    assert concern.resolved_on == RAISED and concern.resolved_by == org.chris and not concern.is_open
    with pytest.raises(PermissionDenied):
        services.respond_to_concern(actor=org.sam, escalation=concern, response="Late", responded_on=RAISED)
    with pytest.raises(PermissionDenied):
        services.resolve_concern(actor=org.chris, escalation=concern, resolution="Again")


# Who sees what is open, and the counts per team --------------------------------------------------------


def test_open_escalations_are_listed_for_the_chair_and_the_line_above_the_team(org, concern):
    other_child = make_child("Mia", "Other")
    allocate(other_child, org.ola)
    chaired(other_child, org.chris)
    services.raise_concern(actor=org.chris, child=other_child, concern="Drift", asked_for="A review")
    listed = {name: {row.child.first_name for row in reads.open_escalations_for(user)}
              for name, user in org.everyone().items()}
    assert listed["chris"] == {"Lily", "Mia"}
    assert listed["tess"] == listed["simon"] == listed["hana"] == {"Lily"}
    assert all(not listed[name] for name in ("sam", "ola", "mel", "fran", "quinn", "petra", "ada"))
    services.resolve_concern(actor=org.chris, escalation=concern, resolution="Sorted")
    assert not reads.open_escalations_for(org.tess).exists()


def test_an_open_escalation_on_a_record_the_user_may_not_open_is_not_listed(org, concern):
    concern.child.restriction = Person.Restriction.ADOPTION
    concern.child.save()
    assert not reads.open_escalations_for(org.tess).exists()
    assert not reads.open_escalations_for(org.chris).exists()


def test_with_nothing_open_the_list_is_one_query_that_builds_no_access_filter(org):
    # The access filter runs over the children with an open escalation only: built over everyone a manager may
    # see, it cost 60 ms on every manager's my work on the medium authority.
    with CaptureQueriesContext(connection) as queries:
        assert list(reads.open_escalations_for(org.tess)) == []
    assert len(queries.captured_queries) == 1
    assert "people_person" not in queries.captured_queries[0]["sql"]


def test_the_counts_per_team_say_how_many_are_open_and_overdue(org, concern, time_machine):
    chaired(make_child("Unallocated", "Child"), org.chris)
    later = make_child("Ben", "Hartley")
    allocate(later, org.sam)
    chaired(later, org.chris)
    at(datetime.date(2024, 4, 9), time_machine)  # Lily's is overdue now; Ben's is raised today
    services.raise_concern(actor=org.chris, child=later, concern="Drift", asked_for="A review")
    counts = reads.open_counts_by_team([org.assessment.pk, org.other_team.pk])
    assert counts[org.assessment.pk] == reads.TeamEscalations(open=2, overdue=1)
    assert counts[org.other_team.pk] == reads.TeamEscalations(open=0, overdue=0)
    assert reads.open_summary_for(org.chris) == reads.TeamEscalations(open=2, overdue=1)
    assert reads.open_summary_for(org.ola) == reads.TeamEscalations(open=0, overdue=0)


# Feedback on conference reports ------------------------------------------------------------------------


def test_the_chair_grades_a_report_and_may_change_the_grade_later(org, child):
    conference = chaired(child, org.chris)
    report = ConferenceReport.objects.create(conference=conference, agency=Agency.POLICE, received=True)
    feedback = services.give_report_feedback(actor=org.chris, report=report, grade="poor",
                                             comment="Arrived the morning of the conference")
    services.give_report_feedback(actor=org.chris, report=report, grade="adequate", comment="Addendum helped")
    feedback = ReportFeedback.objects.get(pk=feedback.pk)
    assert (feedback.grade, feedback.comment) == ("adequate", "Addendum helped") and feedback.history.count() == 2
    actions = list(AuditEvent.objects.filter(subject_id=str(feedback.pk), subject_type="oversight.reportfeedback")
                   .values_list("action", flat=True))
    assert actions == [Action.CREATE, Action.UPDATE]


def test_feedback_needs_a_grade_and_a_comment_and_comes_only_from_the_chair(org, child):
    conference = chaired(child, org.chris)
    report = ConferenceReport.objects.create(conference=conference, agency=Agency.HEALTH)
    with pytest.raises(ValidationError) as error:
        services.give_report_feedback(actor=org.chris, report=report, grade="excellent", comment="")
    assert set(messages_of(error)) == {"grade", "comment"} and "Health report" in messages_of(error)["grade"][0]
    with pytest.raises(PermissionDenied):
        services.give_report_feedback(actor=org.tess, report=report, grade="good", comment="Clear")
    assert not ReportFeedback.objects.exists()
