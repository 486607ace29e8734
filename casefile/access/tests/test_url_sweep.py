"""Every URL in the project, by every method, shows nothing of a child to people with no legitimate link to
them, refuses the methods it does not serve, and audits every response that shows the child.

The sweep walks the URL configuration itself, so pages added later are covered without anyone
remembering to add them here. A URL argument the sweep has never seen fails the test until a value is
given for it in ARGUMENT_VALUES below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.core.models import Job
from casefile.frontdoor.testing import front_door_ids
from casefile.oversight.testing import challenge_ids, make_challenge, oversight_ids, supervision_ids
from casefile.people.tasks import export_in_background
from casefile.quality.testing import quality_ids
from casefile.rules.identifiers import format_nhs_number
from casefile.testing import make_user

# URL names that are about a person but cannot use @record_view, with the reason why.
PERSON_VIEWS_WITHOUT_DECORATOR = {
    "access:restricted_reason": "asks for the reason that @record_view requires; checks the policy itself",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def all_patterns():
    return list(_walk(get_resolver().url_patterns))


def _argument_values(child, team, journey=None, front_door=None):
    """How to fill each URL argument: with the secret child's, or their team's, identifiers where it matters.

    Casework records (episode_id, assessment_id, plan_id, ...) are the secret child's own, from a whole journey;
    front-door records (contact_id, decision_id, batch_id, ...) are about her too.
    """
    return {
        **(journey.ids() if journey else {}),
        **(front_door or {}),
        **(challenge_ids(child) if journey else {}),
        "person_id": child.pk,
        "team_id": team.pk,
        "staff_id": team.manager_id or 1,  # a worker's employment (accounts.workforce_views)
        "post_id": 1,
        # A PDF of the child's chronology that someone allowed made in the background (see the job fixture).
        "job_id": Job.objects.filter(kind="chronology_pdf").values_list("pk", flat=True).first(),
        # A self-evaluation pack holds the whole authority's counts and names no child: any value will do.
        "pack_id": 1,
        # allauth's own arguments: not about children, any well-formed value will do.
        "key": "not-a-real-key",
        "token": "not-a-real-token",  # an authenticator set-up link (accounts.security_views.enrol)
        "uidb36": "1",
        "provider_id": "council",
        "pk": 1,
        "provider": "openid_connect",
        "id": 1,
    }


def _path_for(route: str, values: dict) -> str | None:
    """Turn a route such as 'people/<int:person_id>/' (or a regex route) into a concrete path."""
    def replace(match):
        name = match.group("name")
        if name not in values:
            raise KeyError(name)
        return str(values[name])

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", replace, route)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", replace, path)
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


def test_every_url_argument_has_a_value(org, secret_child, journey, front_door):
    values = _argument_values(secret_child, org.assessment, journey, front_door)
    for route, name, _ in all_patterns():
        try:
            _path_for(route, values)
        except KeyError as missing:
            pytest.fail(f"URL {name} ({route}) has argument {missing}: add a value for it in the URL sweep")


def test_every_view_declares_the_methods_it_serves(db):
    """@record_view("GET"), @front_door_view("GET", "POST") or @allow_methods(...): a view that forgets answers every
    method, OPTIONS and PUT included, which need no CSRF token."""
    for route, name, pattern in all_patterns():
        if pattern.callback.__module__.startswith("casefile."):
            assert _served(pattern), f"{name} ({route}) must declare the methods it serves"


def test_every_view_of_a_person_goes_through_record_view(db):
    for route, name, pattern in all_patterns():
        if "person_id" in route and name not in PERSON_VIEWS_WITHOUT_DECORATOR:
            assert getattr(pattern.callback, "record_view", False), f"{name} ({route}) must use @record_view"


# People with no legitimate relationship to Lily: a worker in another team, their manager, an analyst, a police
# partner with nothing shared, and a chair and QA officer with no conference or sample for her. One test each, so
# that the two test processes share the sweep.
OUTSIDERS = ("ola", "morgan", "pat", "petra", "chris", "quinn")


@pytest.fixture(params=OUTSIDERS)
def outsider(request, org):
    if request.param == "morgan":  # the manager of the other team
        return make_user("morgan", Role.TEAM_MANAGER, team=org.other_team, name="Morgan Elsewhere")
    return getattr(org, request.param)


def _shows_child(response, child) -> bool:
    if response.status_code != 200 or not hasattr(response, "content"):
        return False
    content = response.content.decode(errors="replace")
    markers = (child.last_name, child.nhs_number, format_nhs_number(child.nhs_number), child.reference)
    return any(marker in content for marker in markers)


# What the sweep types into every page: enough to find the child, yet never one of the markers above, so a
# page that repeats the query back (as GOV.UK forms should) is not mistaken for one that shows the child.
SOUND_ALIKE_SURNAME = "Hartly"
DASHED_NHS_NUMBER = "721-549-3806"
QUERY = {"name": SOUND_ALIKE_SURNAME, "q": SOUND_ALIKE_SURNAME, "nhs_number": DASHED_NHS_NUMBER}


@pytest.fixture
def secret_child(child):
    child.nhs_number = "7215493806"  # not the example number that form hints show
    child.save()
    return child


@pytest.fixture
def journey(org, secret_child):
    journey = make_journey(secret_child, worker=org.sam, manager=org.tess, chair=org.hana)
    # A practice concern on her case and a graded report to her conference (escalation_id, report_id).
    make_challenge(secret_child, org.hana, journey.conference)
    return journey


@pytest.fixture
def front_door(org, secret_child, journey):
    # After the journey: the front-door referral links the child's open episode rather than opening another.
    ids = front_door_ids(secret_child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    # Management decisions about her too (oversight), and her threshold decision shown on her Decisions page.
    ids |= oversight_ids(secret_child, manager=org.tess, threshold_decision_id=ids["decision_id"])
    # Her case supervision (with an action) and her worker's own staff supervision.
    ids.update(supervision_ids(secret_child, worker=org.sam, supervisor=org.tess))
    # A case file audit of her by her team manager (no sample: nobody outside her team is let in), with an action.
    ids.update(quality_ids(secret_child, auditor=org.tess, worker=org.sam))
    # Sam's PDF of her chronology, made by a background job: nobody else may follow or download it.
    export_in_background(actor=org.sam, person=secret_child, query="", reason="Court statement",
                         back_url="/")
    return ids


def test_the_sweep_query_finds_the_child_for_someone_allowed_to_see_her(client, org, secret_child):
    """The control: without it, a search that found nothing for anyone would pass the sweep below."""
    client.force_login(org.fran)
    for query in ({"name": SOUND_ALIKE_SURNAME}, {"nhs_number": DASHED_NHS_NUMBER}):
        assert _shows_child(client.get(reverse("people:search"), query), secret_child), query


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _send(client, method: str, path: str):
    """The sweep's query as a form for POST, in the query string for every other method (PUT, PATCH and DELETE
    need no CSRF token, so a page that served them would show itself to a cross-site request)."""
    if method == "POST":
        return client.post(path, QUERY)
    return client.generic(method, path, query_params=QUERY)


def _audited_events(after_id: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(pk__gt=after_id).order_by("pk").iterator()


def _audits_child(events, child) -> bool:
    """An event about the child, or a list or search event naming the child among those shown."""
    return any(event.child_id == child.pk or child.pk in event.details.get("shown", []) for event in events)


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _sweep(client, users, values, child):
    """Every URL by every method as each user: (user, name, method, response, the audit events it wrote)."""
    for user in users:
        client.force_login(user)
        for route, name, pattern in all_patterns():
            path = _path_for(route, values)
            for method in METHODS:
                before = _last_event_id()
                response = _send(client, method, path)
                yield user, name, pattern, method, response, list(_audited_events(before))
                if "_auth_user_id" not in client.session:  # the sweep also posts to the sign-out URL
                    client.force_login(user)


def _served(pattern) -> frozenset[str] | None:
    """The methods a Casefile view declares it serves; None for a third-party view (allauth's sign-in pages)."""
    return getattr(pattern.callback, "allowed_methods", None)


def test_no_url_shows_the_child_to_someone_with_no_link_to_them(client, org, secret_child, journey, front_door,
                                                               outsider):
    child = secret_child
    values = _argument_values(child, org.assessment, journey, front_door)
    checked = 0
    for user, name, pattern, method, response, _ in _sweep(client, [outsider], values, child):
        served = _served(pattern)
        where = f"{user.username} {method} {name}: {response.status_code}"
        not_served = served is not None and method not in served
        if "person_id" in str(pattern.pattern) or name.startswith("frontdoor:"):
            # Refused, whatever the method: a 405 is the same whether or not the record exists.
            assert response.status_code in ((403, 404, 405) if not_served else (403, 404)), where
        elif not_served:
            assert response.status_code == 405, where
        assert not _shows_child(response, child), f"{user.username} saw the child at {name} by {method}"
        checked += 1
    assert checked == len(all_patterns()) * len(METHODS)


def test_every_response_that_shows_the_child_audits_it_whatever_the_method(client, org, secret_child, journey,
                                                                          front_door):
    """As her allocated worker, and as a front-door practitioner (who reads every child's history): each page by
    each method either is refused (405 for a method it does not serve) or, if it shows her, writes an audit
    event about her, or a list's or search's event naming her among those shown. HEAD shows no body, so it must
    audit whatever GET audited."""
    child = secret_child
    values = _argument_values(child, org.assessment, journey, front_door)
    audited_by_get, refused_by_get = {}, {}
    shown = set()
    for user, name, pattern, method, response, events in _sweep(client, [org.sam, org.fran], values, child):
        served = _served(pattern)
        where = f"{user.username} {method} {name}"
        if method == "GET":
            refused_by_get[user, name] = response.status_code in (403, 404)
        if served is not None and method not in served:
            # 405, unless the page refuses this person whatever the method (as it did GET).
            expected = (403, 404, 405) if refused_by_get.get((user, name)) else (405,)
            assert response.status_code in expected, f"{where}: {response.status_code}"
            assert all(event.action == Action.ACCESS_DENIED for event in events), f"{where} wrote {events}"
            continue
        if _shows_child(response, child):
            shown.add(name)
            assert _audits_child(events, child), f"{where} showed the child without an audit event about her"
        if method == "GET":
            audited_by_get[user, name] = _audits_child(events, child) and response.status_code == 200
        if method == "HEAD" and audited_by_get.get((user, name)):
            assert _audits_child(events, child), f"{where} is not audited as GET is"
    # The control: the sweep reached the pages that show her, by more than one method.
    assert {"people:record", "people:search", "core:my_work", "accounts:team", "frontdoor:board",
            "frontdoor:contact", "people:edit"} <= shown


def test_every_front_door_view_goes_through_the_front_door_check(db):
    for route, name, pattern in all_patterns():
        if name.startswith("frontdoor:"):
            assert getattr(pattern.callback, "front_door_view", False), f"{name} ({route}) must use @front_door_view"
