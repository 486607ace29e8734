"""The object check and the queryset filter of every access rule agree, and say what we expect.

For each persona and each record we compare three things: `can_view` (Python over loaded rows), membership
of `viewable_people` (SQL), and the expectation written out below. Likewise for changing a record.
"""

import datetime

import pytest
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.models import AgencyShare, RestrictedAccessGrant
from casefile.accounts.models import Agency
from casefile.casework.models import Conference, Episode
from casefile.frontdoor.models import ContactAdult
from casefile.frontdoor.testing import make_contact
from casefile.people.models import Person, Relationship
from casefile.quality.models import CaseSample
from casefile.testing import allocate, make_adult, make_child


@pytest.fixture
def records(org):
    today = timezone.localdate()
    lily = make_child("Lily", "Hartley")
    allocate(lily, org.sam, allocated_by=org.tess)
    dawn = make_adult("Dawn", "Hartley")
    Relationship.objects.create(person=dawn, relative=lily, kind=Relationship.Kind.PARENT, parental_responsibility=True)
    make_child("Noah", "Unallocated")
    # Wendy has an open case and nobody holding it: every manager may pick her up.
    wendy = make_child("Wendy", "Waiting")
    Episode.objects.create(child=wendy, referral_date=today, referral_source="2A", recorded_by=org.fran)
    # Cleo's case was closed: no longer waiting for anyone.
    cleo = make_child("Cleo", "Closedcase")
    Episode.objects.create(child=cleo, referral_date=today - datetime.timedelta(days=90), referral_source="2A",
                           closure_date=today, closure_reason="RC8", recorded_by=org.fran)
    mia = make_child("Mia", "Conference")
    Conference.objects.create(child=mia, kind=Conference.Kind.INITIAL, date=today, chair=org.chris,
                              recorded_by=org.chris)
    leo = make_child("Leo", "Sampled")
    CaseSample.objects.create(child=leo, officer=org.quinn)
    closed_sample = make_child("Cara", "Closedsample")
    CaseSample.objects.create(child=closed_sample, officer=org.quinn, closed_on=today)
    # Pia is sampled to petra, the police's partner auditor in a multi-agency case file audit; Pip's sample closed.
    pia = make_child("Pia", "Partnersampled")
    CaseSample.objects.create(child=pia, officer=org.petra)
    pip = make_child("Pip", "Partnersampleclosed")
    CaseSample.objects.create(child=pip, officer=org.petra, closed_on=today)
    ava = make_child("Ava", "Shared")
    AgencyShare.objects.create(child=ava, agency=Agency.POLICE, purpose="Joint s47", shared_by=org.tess,
                               expires_on=today + datetime.timedelta(days=30))
    expired = make_child("Eli", "Expiredshare")
    AgencyShare.objects.create(child=expired, agency=Agency.POLICE, purpose="Old", shared_by=org.tess,
                               expires_on=today - datetime.timedelta(days=1))
    health_only = make_child("Hal", "Healthshare")
    AgencyShare.objects.create(child=health_only, agency=Agency.HEALTH, purpose="Health", shared_by=org.tess,
                               expires_on=today + datetime.timedelta(days=30))
    ruby = make_child("Ruby", "Restricted", restriction=Person.Restriction.ADOPTION)
    allocate(ruby, org.sam, allocated_by=org.tess)
    RestrictedAccessGrant.objects.create(child=ruby, user=org.tess, granted_by=org.ada)
    RestrictedAccessGrant.objects.create(child=ruby, user=org.simon, granted_by=org.ada, revoked_at=timezone.now())
    ruby_mum = make_adult("Rita", "Restricted")
    Relationship.objects.create(person=ruby_mum, relative=ruby, kind=Relationship.Kind.PARENT)
    make_adult("Stan", "Stranger")
    # Nia was recorded by Sam and nobody holds her yet; Otto was recorded by Sam and is now Ola's.
    make_child("Nia", "Newlyrecorded", created_by=org.sam)
    otto = make_child("Otto", "Recordedthenallocated", created_by=org.sam)
    allocate(otto, org.ola, allocated_by=org.tess)
    # At the front door now: Tia on an open contact with Amos, the adult on it. Cal's contact is concluded.
    tia = make_child("Tia", "Atthefrontdoor")
    amos = make_adult("Amos", "Onthecontact")
    contact = make_contact(tia, by=org.fran)
    ContactAdult.objects.create(contact=contact, person=amos, role="Father")
    cal = make_child("Cal", "Concludedcontact")
    concluded = make_contact(cal, by=org.fran)
    concluded.children.update(concluded_at=timezone.now())
    former = make_child("Finn", "Formerlyallocated")
    old = allocate(former, org.sam, allocated_by=org.tess)
    old.end_date = today
    old.save()
    return {p.first_name.lower(): p for p in Person.objects.all()}


# Rita is the birth mother of restricted Ruby; her own record is not restricted unless someone restricts it.
EVERYONE_UNRESTRICTED = {"lily", "dawn", "noah", "mia", "leo", "cara", "ava", "eli", "hal", "stan", "finn", "rita",
                         "wendy", "cleo", "nia", "otto", "tia", "amos", "cal", "pia", "pip"}
WAITING = {"wendy"}
FAMILY_OF_LILY = {"lily", "dawn"}

EXPECTED_VIEW = {
    "sam": FAMILY_OF_LILY | {"nia"},
    "tess": FAMILY_OF_LILY | {"ruby", "rita"} | WAITING,
    "simon": FAMILY_OF_LILY | WAITING,
    "hana": FAMILY_OF_LILY | WAITING,
    "ola": {"otto"},
    "fran": EVERYONE_UNRESTRICTED,
    "mo": EVERYONE_UNRESTRICTED,
    "mel": EVERYONE_UNRESTRICTED,
    "chris": {"mia"},
    "quinn": {"leo"},
    "pat": set(),
    "petra": {"ava", "pia"},
    "ada": EVERYONE_UNRESTRICTED,
}
# The front door reads everyone's history but changes only the people on the contacts it holds now.
AT_THE_FRONT_DOOR = {"tia", "amos"}
EXPECTED_EDIT = {**EXPECTED_VIEW, "quinn": set(), "petra": set(),
                 "fran": AT_THE_FRONT_DOOR, "mo": AT_THE_FRONT_DOOR, "mel": AT_THE_FRONT_DOOR | WAITING}


# Recording a visit: social workers and managers, on the children whose records they may change.
EXPECTED_RECORD_VISIT = {
    "sam": {"lily", "nia"},
    "tess": {"lily", "ruby"} | WAITING,
    "simon": {"lily"} | WAITING,
    "hana": {"lily"} | WAITING,
    "ola": {"otto"},
    "fran": set(),  # a front-door practitioner, not a social worker
    "mo": {"tia"},
    "mel": {"tia"} | WAITING,
    "chris": set(),
    "quinn": set(),
    "pat": set(),
    "petra": set(),
    "ada": set(),
}


def _agree(user, records, check, scope, expected):
    in_scope = set(scope(user).values_list("first_name", flat=True))
    for name, person in records.items():
        by_check = check(user, person)
        by_scope = person.first_name in in_scope
        assert by_check == by_scope, f"{user.username} / {name}: object check {by_check}, queryset {by_scope}"
        assert by_check == (name in expected), f"{user.username} / {name}: expected {name in expected}"


@pytest.mark.parametrize("persona", sorted(EXPECTED_VIEW))
def test_view_check_and_filter_agree(org, records, persona):
    user = org.everyone()[persona]
    _agree(user, records, policy.can_view, policy.viewable_people, EXPECTED_VIEW[persona])


@pytest.mark.parametrize("persona", sorted(EXPECTED_VIEW))
def test_viewable_ids_answers_as_the_view_check_for_the_ids_asked_about(org, records, persona):
    user = org.everyone()[persona]
    asked = [person.pk for name, person in records.items() if name != "lily"]  # one left out: not answered
    found = policy.viewable_ids(user, asked)
    assert found == set(policy.viewable_people(user).filter(pk__in=asked).values_list("pk", flat=True))
    assert {Person.objects.get(pk=pk).first_name.lower() for pk in found} == EXPECTED_VIEW[persona] - {"lily"}
    # children_only leaves out the adults' half of the filter: for children, the same answer.
    asked_children = set(Person.objects.filter(pk__in=asked, kind=Person.Kind.CHILD).values_list("pk", flat=True))
    assert policy.viewable_ids(user, asked_children, children_only=True) == found & asked_children


def test_viewable_ids_of_no_one_asks_the_database_nothing(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert policy.viewable_ids(org.tess, []) == set()


@pytest.mark.parametrize("persona", sorted(EXPECTED_EDIT))
def test_edit_check_and_filter_agree(org, records, persona):
    user = org.everyone()[persona]
    _agree(user, records, policy.can_edit, policy.editable_people, EXPECTED_EDIT[persona])


@pytest.mark.parametrize("persona", sorted(EXPECTED_RECORD_VISIT))
def test_who_may_record_a_visit(org, records, persona):
    user = org.everyone()[persona]
    allowed = {name for name, person in records.items() if permissions.may_record_visit(user, person)}
    assert allowed == EXPECTED_RECORD_VISIT[persona]


def test_a_new_worker_gains_and_the_old_one_loses_access_on_reallocation(org, records):
    lily = records["lily"]
    lily.allocations.update(end_date=timezone.localdate())
    allocate(lily, org.ola, allocated_by=org.tess)
    fresh = Person.objects.get(pk=lily.pk)  # the object check caches the open allocation per instance
    assert policy.can_view(org.ola, fresh)
    assert not policy.can_view(org.sam, fresh)
    assert lily in policy.viewable_people(org.ola)
    assert lily not in policy.viewable_people(org.sam)


def test_an_inactive_account_sees_nothing(org, records):
    org.fran.is_active = False
    org.fran.save()
    assert not policy.can_view(org.fran, records["noah"])
    assert not policy.viewable_people(org.fran).exists()


def test_reasons_for_access_say_which_rules_apply(org, records):
    assert policy.reasons_for_access(org.tess, records["lily"]) == [
        "Practitioners and managers in the allocated team",
        "The allocated worker's managers, up to the head of service",
    ]
    assert policy.reasons_for_access(org.ola, records["lily"]) == []


@pytest.mark.parametrize("persona", sorted(EXPECTED_VIEW))
def test_the_people_beside_a_childs_record_are_seen_as_the_view_check_sees_them(org, records, persona):
    # The record page asks about the child's relatives and household through viewable_beside, which knows the
    # related adults of a child the user may see without a query: it must answer as can_view does, for every
    # persona, whether or not they may see the child, a restricted adult relative included.
    user = org.everyone()[persona]
    lily = records["lily"]
    hidden = make_adult("Harriet", "Hidden")
    Person.objects.filter(pk=hidden.pk).update(restriction=Person.Restriction.ADOPTION)
    hidden.refresh_from_db()
    brother = make_child("Tom", "Hartley")
    for relative, kind in ((hidden, Relationship.Kind.PARENT), (brother, Relationship.Kind.SIBLING)):
        Relationship.objects.create(person=relative, relative=lily, kind=kind)
    relatives = [records["dawn"], hidden, brother]
    household = [records["noah"].pk, records["wendy"].pk]
    found = policy.viewable_beside(user, lily, relatives, household)
    everyone = [*relatives, records["noah"], records["wendy"]]
    assert found == {person.pk for person in everyone if policy.can_view(user, person)}
