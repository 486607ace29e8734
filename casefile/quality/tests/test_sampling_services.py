"""Drawing a round of case file audits, assigning its auditors and closing it, through the services: who may, what
is refused (by field, nothing half-saved), what is kept, and how a sample opens and closes a child's record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casefile.access import policy
from casefile.accounts.models import Agency
from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.people.models import Person
from casefile.quality import sampling, services
from casefile.quality.models import AuditRound, CaseFileAudit, CaseSample, SampledChild
from casefile.quality.testing import template
from casefile.testing import allocate, make_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org, child):
    """Lily (Sam's) and six more open cases: three more of Sam's, three of Ola's in another team."""
    children = [child]
    for number in range(3):
        other = make_child("Sam", f"Case{number}")
        allocate(other, org.sam, allocated_by=org.tess)
        children.append(other)
    for number in range(3):
        other = make_child("Ola", f"Case{number}", date_of_birth=timezone.localdate() - datetime.timedelta(days=400))
        allocate(other, org.ola, allocated_by=org.ola)
        children.append(other)
    return children


def _draw(actor, **changes):
    values = {"name": "Spring round", "method": "random", "filters": sampling.Filters(), "size": 3,
              "template": template(), "due_by": timezone.localdate() + datetime.timedelta(days=28), "seed": 4711}
    return services.draw_round(actor=actor, **{**values, **changes})


def test_a_random_round_is_kept_with_its_seed_and_drawn_again_the_same(org, cases):
    first = _draw(org.quinn)
    chosen = list(first.children.values_list("child_id", flat=True))
    assert len(chosen) == 3 and (first.seed, first.size, first.candidates) == (4711, 3, 7)
    assert set(first.children.values_list("reason", flat=True)) == {"Chosen at random (seed 4711)."}
    again = _draw(org.ada, name="The same again")
    assert list(again.children.values_list("child_id", flat=True)) == chosen
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(first.pk), subject_type="quality.auditround")
    assert event.details["seed"] == 4711 and event.details["children"] == chosen


def test_with_no_seed_one_is_chosen_and_kept(org, cases):
    drawn = _draw(org.quinn, seed=None)
    assert 0 < drawn.seed < 1_000_000
    assert drawn.children.first().reason == f"Chosen at random (seed {drawn.seed})."


def test_a_thematic_round_draws_only_from_the_cohort_and_names_it(org, cases):
    drawn = _draw(org.quinn, method="thematic", filters=sampling.Filters(team=org.ola.team, age_band="under_5"))
    children = Person.objects.filter(pk__in=drawn.children.values("child_id"))
    assert {person.last_name for person in children} == {"Case0", "Case1", "Case2"}
    assert all(child.allocations.get().worker == org.ola for child in children)
    assert drawn.filters_text == f"team {org.ola.team.name}, aged under 5" and drawn.candidates == 3
    assert drawn.children.first().reason.endswith(f"from children matching: team {org.ola.team.name}, aged under 5.")


def test_a_risk_based_round_takes_the_children_with_quality_signals(org, cases):
    journey_child = make_child("Jake", "Hutchinson")
    make_journey(journey_child, worker=org.sam, manager=org.tess, chair=org.hana)

    signalled = [row for row in sampling.candidates(sampling.open_cases(sampling.Filters(), timezone.localdate()),
                                                    "risk", timezone.localdate()) if row.signals]
    assert signalled, "the journey leaves at least one quality signal"
    drawn = _draw(org.quinn, method="risk", size=1)
    top = drawn.children.get()
    assert top.score > 0 and top.reason.startswith("Chosen because: ")
    assert top.child_id in {row.child_id for row in signalled}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"size": 0}, "size", "1 or more"),
    ({"size": 8}, "size", "There are only 7 children matching these filters: enter 7 or fewer"),
    ({"size": None}, "size", "Enter how many children"),
    ({"name": " "}, "name", "Enter a name for the round"),
    ({"method": "lottery"}, "method", "Select how to choose"),
    ({"method": "thematic"}, "filters", "Choose at least one filter"),
    ({"template": None}, "template", "Select the audit tool"),
    ({"due_by": None}, "due_by", "Enter the date"),
    ({"due_by": datetime.date(2000, 1, 1)}, "due_by", "today or in the future"),
    ({"seed": -1}, "seed", "Enter the seed as a whole number"),
    ({"partner_agency": "fire"}, "partner_agency", "Select the partner agency"),
    ({"method": "thematic", "filters": sampling.Filters(plan_type="cp")}, "filters", "No open cases match"),
])
def test_a_round_that_cannot_be_drawn_names_the_field_and_saves_nothing(org, cases, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        _draw(org.quinn, **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert not AuditRound.objects.exists() and not SampledChild.objects.exists()


def test_no_open_cases_at_all_is_refused_on_the_filters(org):
    with pytest.raises(ValidationError) as refused:
        _draw(org.quinn)
    assert "No open cases match" in refused.value.message_dict["filters"][0]


def test_restricted_records_are_never_drawn(org, cases):
    Person.objects.filter(pk__in=[child.pk for child in cases[1:]]).update(restriction=Person.Restriction.ADOPTION)
    drawn = _draw(org.quinn, size=1)
    assert list(drawn.children.values_list("child_id", flat=True)) == [cases[0].pk]


@pytest.mark.parametrize("who", ["sam", "tess", "pat", "petra", "chris"])
def test_only_quality_assurance_and_administrators_draw_samples(org, cases, who):
    with pytest.raises(PermissionDenied, match="quality-assurance officers and administrators"):
        _draw(getattr(org, who))


def test_assigning_a_qa_officer_opens_the_record_until_the_round_closes(org, cases):
    drawn = _draw(org.ada, size=2)
    first, second = drawn.children.order_by("position")
    assert not policy.can_view(org.quinn, first.child)
    services.assign_auditors(actor=org.ada, audit_round=drawn, auditors={first.pk: org.quinn, second.pk: org.tess})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.auditor == org.quinn and first.sample.officer == org.quinn and first.sample.closed_on is None
    assert policy.can_view(org.quinn, first.child)
    assert second.auditor == org.tess and second.sample is None  # a manager opens what she may already
    audit = services.start_sampled_audit(actor=org.quinn, sampled=first)
    assert (audit.template, audit.sample, audit.auditor) == (drawn.template, first.sample, org.quinn)
    first.refresh_from_db()
    assert first.audit == audit
    services.close_round(actor=org.quinn, audit_round=drawn)
    assert drawn.closed_on == timezone.localdate()
    assert not policy.can_view(org.quinn, first.child)
    assert not CaseSample.objects.filter(closed_on__isnull=True).exists()


def test_choosing_another_auditor_closes_the_first_ones_sample(org, cases):
    drawn = _draw(org.ada, size=1)
    sampled = drawn.children.get()
    services.assign_auditors(actor=org.ada, audit_round=drawn, auditors={sampled.pk: org.quinn})
    services.assign_auditors(actor=org.ada, audit_round=drawn, auditors={sampled.pk: org.ada})
    sampled.refresh_from_db()
    assert sampled.auditor == org.ada and sampled.sample is None
    assert not policy.can_view(org.quinn, sampled.child)


def test_an_auditor_who_may_not_audit_is_refused_by_their_row_and_nothing_is_saved(org, cases):
    drawn = _draw(org.quinn, size=2)
    first, second = drawn.children.order_by("position")
    with pytest.raises(ValidationError) as refused:
        services.assign_auditors(actor=org.quinn, audit_round=drawn,
                                 auditors={first.pk: org.quinn, second.pk: org.sam})
    assert set(refused.value.message_dict) == {services.auditor_field(second.pk)}
    assert "Sam" in refused.value.message_dict[services.auditor_field(second.pk)][0]
    assert not SampledChild.objects.filter(auditor__isnull=False).exists() and not CaseSample.objects.exists()
    # A partner may audit only in a multi-agency round, and only of the agency it names.
    with pytest.raises(ValidationError):
        services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={first.pk: org.petra})


def test_a_partner_auditor_audits_only_the_children_sampled_to_them(org, cases):
    drawn = _draw(org.quinn, size=2, partner_agency=Agency.POLICE)
    first, second = drawn.children.order_by("position")
    services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={first.pk: org.petra})
    assert policy.can_view(org.petra, first.child) and not policy.can_view(org.petra, second.child)
    assert set(policy.viewable_people(org.petra)) == {first.child}
    first.refresh_from_db()
    audit = services.start_sampled_audit(actor=org.petra, sampled=first)
    with pytest.raises(PermissionDenied):
        services.start_sampled_audit(actor=org.quinn, sampled=second)
    assert audit.auditor == org.petra and CaseFileAudit.objects.count() == 1
    services.close_round(actor=org.quinn, audit_round=drawn)
    assert not policy.can_view(org.petra, first.child)


def test_a_closed_round_is_changed_no_more(org, cases):
    drawn = _draw(org.quinn, size=1)
    services.close_round(actor=org.quinn, audit_round=drawn)
    sampled = drawn.children.get()
    with pytest.raises(ValidationError, match="closed on"):
        services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={sampled.pk: org.quinn})
    with pytest.raises(ValidationError, match="closed on"):
        services.close_round(actor=org.quinn, audit_round=drawn)
