"""Every URL in the project, sent a form by someone who may not change the child's record, changes nothing.

The sweep walks the URL configuration (casefile/access/tests/test_url_sweep.py's walk and argument values), so
a page added later is covered without anyone remembering it. For each page it first fills in the form the way
someone allowed would see it (every box given a plausible value), then posts it, signed in with a valid CSRF
token, as each person who may not change the child's record: a police partner the record is shared with
(read-only), a QA officer sampling it, an analyst, a worker and a manager in another team, and anyone else the
policy does not let change it. Nothing in the case record may change (row counts of every case-record table,
their change history included), no audit event of a write may appear, and the answer must be a refusal:
403 (a role that may not do this), 404 (a record they may not change) or 405 (a page that takes no form).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.models import AgencyShare
from casefile.access.tests import test_url_sweep as url_sweep
from casefile.access.tests.test_url_sweep import _argument_values, _path_for, all_patterns
from casefile.accounts.models import Agency, Role
from casefile.audit.models import Action, AuditEvent
from casefile.quality.models import CaseSample
from casefile.testing import make_user

# The URL sweep's fixtures: the secret child, her whole journey, and her front-door records.
secret_child, journey, front_door = url_sweep.secret_child, url_sweep.journey, url_sweep.front_door
# The apps whose tables hold case records (their change history included).
CASE_RECORD_APPS = ("people", "casework", "frontdoor", "access", "quality", "oversight")
# Audit actions that mean something was written; refusals, views and searches are not writes.
WRITE_ACTIONS = {Action.CREATE, Action.UPDATE, Action.MERGE, Action.UNMERGE, Action.MATCH_DECISION, Action.GRANT,
                 Action.REVOKE, Action.IMPORT, Action.AUTHORISE}
# Sign-in, sign-out, passwords and two-factor: a person's own account, not a case record (and posting to the
# sign-out page would end the sweep's session).
OWN_ACCOUNT = re.compile(r"^(account_|mfa_|socialaccount_|openid_connect_|None$)")
# Pages where someone who may not change the child may still rightly post, because what they send is not a
# change to the child's record: who may, asked of the access policy and permissions themselves.
MAY_POST_WITHOUT_CHANGING_THE_CHILD = {
    # Recording a new person is its own act (permissions.may_create_person); the new person is not the child.
    "people:create": lambda user, child: permissions.may_create_person(user),
    # Asking for a copy of the chronology is a read, audited as an export, not a change.
    "people:chronology_export": policy.can_export,
    # Giving the reason to open a restricted record is a read too.
    "access:restricted_reason": policy.can_view,
    # The working calendar belongs to nobody's record (permissions.may_change_calendar).
    "casework:non_working_days": lambda user, child: permissions.may_change_calendar(user),
    # Asking for a statutory return or inspection list is a read, audited as an export (permissions.may_make_returns).
    "returns:annex_a": lambda user, child: permissions.may_make_returns(user),
    # Computing the performance figures again derives them from the record; it changes no record.
    "insight:refresh": lambda user, child: permissions.may_refresh_performance_figures(user),
    # Working every signal out again derives them from the record; it changes no record.
    "oversight:refresh_signals": lambda user, child: permissions.may_refresh_signals(user),
    "returns:ssd": lambda user, child: permissions.may_make_returns(user),
    "returns:census": lambda user, child: permissions.may_make_returns(user),
    # A clinic's PDF and a self-evaluation pack are counts with no child named; changes no child's record.
    "insight:clinic_pdf": lambda user, child: permissions.may_see_performance(user),
    # Working out figures the nightly job did not keep derives them from the record; it changes no record.
    "insight:work_out": lambda user, child: permissions.may_see_performance(user),
    "insight:pack_request": lambda user, child: permissions.may_make_self_evaluation_pack(user),
    # Checking a census file, uploaded or exported, changes no child's record.
    "returns:validate": lambda user, child: permissions.may_make_returns(user),
    "returns:validate_export": lambda user, child: permissions.may_make_returns(user),
    # Checking the whole record against the census rules reads it; it changes no one's record.
    "returns:data_quality": lambda user, child: permissions.may_see_census_data_quality(user),
    # Starting a case file audit is its own act (permissions.may_conduct_case_file_audits): it writes a quality
    # record about the child, never a change to her record, and the service refuses a child the auditor may not
    # audit (permissions.may_audit_child), which the quality tests cover.
    "quality:start_audit": lambda user, child: permissions.may_conduct_case_file_audits(user),
    # Drawing a sample, assigning its auditors and closing a round are their own acts
    # (permissions.may_draw_audit_sample): they write quality records, never a change to the child's record, and
    # the sweep's round holds another child (quality/testing.py round_ids); quality/tests cover who may.
    "quality:draw_round": lambda user, child: permissions.may_draw_audit_sample(user),
    "quality:assign_auditors": lambda user, child: permissions.may_draw_audit_sample(user),
    "quality:close_round": lambda user, child: permissions.may_draw_audit_sample(user),
    # Moderating a completed audit and re-auditing the file are acts of their own (permissions.
    # may_moderate_case_file_audit, may_start_re_audit): a quality record about the child, never a change to her
    # record; the quality tests cover who is refused.
    "quality:start_moderation": lambda user, child: any(permissions.may_moderate_case_file_audit(user, audit)
                                                        for audit in child.case_file_audits.all()),
    "quality:moderation": lambda user, child: any(permissions.may_moderate_case_file_audit(user, audit)
                                                  for audit in child.case_file_audits.all()),
    "quality:re_audit": lambda user, child: any(permissions.may_start_re_audit(user, audit)
                                                for audit in child.case_file_audits.all()),
    # The authority's child population is nobody's record (permissions.may_enter_child_population).
    "insight:population": lambda user, child: permissions.may_enter_child_population(user),
    "insight:population_upload": lambda user, child: permissions.may_enter_child_population(user),
    # So are the statistical neighbours' figures (permissions.may_enter_neighbour_figures).
    "insight:neighbours": lambda user, child: permissions.may_enter_neighbour_figures(user),
    "insight:neighbours_upload": lambda user, child: permissions.may_enter_neighbour_figures(user),
}


def _front_door_may_post(user, child) -> bool:
    """Contacts, decisions, letters and police files are the front door's records: front-door staff change them
    for anyone they may see (policy.can_change_contact_about), which the front-door tests cover."""
    return permissions.may_use_front_door(user)


class _FormFields(HTMLParser):
    """Every named box in a page's forms, with a plausible value: what it holds already, the first choice offered,
    or some text; so a page that forgot to refuse would most likely accept the post and save it."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attr.get("type", "text")
            if kind in ("radio", "checkbox"):
                if name not in self.values:
                    self._add(name, attr.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, attr.get("value") or _plausible(name))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in self.values and attr.get("value"):
            self._add(self._select, attr["value"])
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "Written by the write sweep")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _plausible(name: str) -> str:
    today = timezone.localdate() - datetime.timedelta(days=1)
    for part, value in (("-day", today.day), ("-month", today.month), ("-year", today.year)):
        if name.endswith(part):
            return str(value)
    return {"postcode": "LS1 4AB", "nhs_number": "", "time": "10:00", "reason": "Write sweep"}.get(
        name, "Write sweep")


def _form_data(path: str, writers: list[Client]) -> dict:
    """The form as the first person who may use the page sees it, filled in; a plain query where none shows it."""
    for client in writers:
        response = client.get(path)
        if response.status_code == 200 and b"<form" in response.content:
            parser = _FormFields()
            parser.feed(response.content.decode(errors="replace"))
            if parser.values:
                return parser.values
    return {"name": "Hartley", "reason": "Write sweep"}


def _case_record_counts() -> dict[str, int]:
    """Every case-record table's row count, in one query (the sweep asks twice for each of about 900 posts)."""
    models = [model for model in apps.get_models() if model._meta.app_label in CASE_RECORD_APPS]
    quote = connection.ops.quote_name
    # Table names from the models, not from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def _may_post(name: str, user, child) -> bool:
    if name.startswith("frontdoor:"):
        return _front_door_may_post(user, child)
    allowed = MAY_POST_WITHOUT_CHANGING_THE_CHILD.get(name)
    return allowed is not None and allowed(user, child)


@pytest.fixture
def may_not_write(org, secret_child, journey, front_door):
    """Everyone the policy does not let change the child: it reads the policy, so a persona added to the
    organisation is swept too. Among them, a partner she is shared with and a QA officer sampling her, who may
    read her record but not change it."""
    child = secret_child
    today = timezone.localdate()
    AgencyShare.objects.create(child=child, agency=Agency.POLICE, purpose="Joint s47", shared_by=org.tess,
                               expires_on=today + datetime.timedelta(days=30))
    CaseSample.objects.create(child=child, officer=org.quinn)
    manager_elsewhere = make_user("morgan", Role.TEAM_MANAGER, team=org.other_team, name="Morgan Elsewhere")
    people = [*org.everyone().values(), manager_elsewhere]
    readers = [user for user in people if not policy.can_edit(user, child)]
    assert {"petra", "quinn", "pat", "ola", "morgan"} <= {user.username for user in readers}
    assert policy.can_view(org.petra, child) and policy.can_view(org.quinn, child)
    return readers


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf_token(client: Client) -> str:
    """A real token for this session, as a page the user may open would give them."""
    client.get("/people/search/")
    return client.cookies["csrftoken"].value


@dataclass(frozen=True)
class Answer:
    who: str
    page: str
    path: str
    status: int
    changed: dict
    writes: list

    def __str__(self) -> str:
        return (f"{self.who} POST {self.page} ({self.path}): {self.status}, "
                f"changed {self.changed}, audited {self.writes}")


# The sweep is slow (every page, every person), so the two tests below share one run, in one worker.
_SWEPT: dict[str, list[Answer]] = {}


def _sweep(org, child, journey, front_door, may_not_write) -> list[Answer]:
    if "answers" in _SWEPT:
        return _SWEPT["answers"]
    values = _argument_values(child, org.assessment, journey, front_door)
    writers = [_signed_in(user) for user in (org.sam, org.tess, org.fran, org.mel, org.ada)]
    forms = {name: _form_data(_path_for(route, values), writers)
             for route, name, _ in all_patterns() if not OWN_ACCOUNT.match(str(name))}
    answers = []
    for user in may_not_write:
        client = _signed_in(user)
        token = _csrf_token(client)
        for route, name, _ in all_patterns():
            if OWN_ACCOUNT.match(str(name)) or _may_post(name, user, child):
                continue
            path = _path_for(route, values)
            before, last_event = _case_record_counts(), AuditEvent.objects.order_by("-pk").first()
            response = client.post(path, {**forms[name], "csrfmiddlewaretoken": token})
            changed = {label: (count, after) for (label, count), after
                       in zip(before.items(), _case_record_counts().values(), strict=True) if count != after}
            writes = AuditEvent.objects.filter(pk__gt=last_event.pk, action__in=WRITE_ACTIONS)
            answers.append(Answer(user.username, name, path, response.status_code, changed,
                                  list(writes.values_list("action", flat=True))))
    _SWEPT["answers"] = answers
    return answers


@pytest.mark.xdist_group("write_sweep")
def test_no_one_who_may_not_change_the_child_changes_anything_by_posting_to_any_url(
        org, secret_child, journey, front_door, may_not_write):
    answers = _sweep(org, secret_child, journey, front_door, may_not_write)
    assert len(answers) > 100
    assert {answer.who for answer in answers} == {user.username for user in may_not_write}
    wrote = [str(answer) for answer in answers if answer.changed or answer.writes]
    assert not wrote, "\n".join(wrote)


@pytest.mark.xdist_group("write_sweep")
def test_every_post_from_someone_who_may_not_change_the_child_is_refused(
        org, secret_child, journey, front_door, may_not_write):
    answers = _sweep(org, secret_child, journey, front_door, may_not_write)
    accepted = [str(answer) for answer in answers if answer.status not in (403, 404, 405)]
    assert not accepted, "\n".join(accepted)


def test_the_sweep_forms_would_change_the_record_for_someone_allowed(org, secret_child, journey, front_door):
    """The control: a filled-in form from the sweep, posted by the allocated worker, does change the child's
    record. Without it, forms the pages refused as incomplete would pass the sweep above whatever the policy."""
    values = _argument_values(secret_child, org.assessment, journey, front_door)
    path = _path_for("people/<int:person_id>/names/new/", values)
    sam = _signed_in(org.sam)
    form = _form_data(path, [sam])
    before = secret_child.aliases.count()
    response = sam.post(path, {**form, "csrfmiddlewaretoken": _csrf_token(sam)})
    assert response.status_code == 302 and secret_child.aliases.count() == before + 1
