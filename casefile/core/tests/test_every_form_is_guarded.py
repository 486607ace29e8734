"""Every form gets the checks save_or_show makes on every write (ADR 0016), without anyone remembering to add them:

- every save_or_show call in a view either passes the `record` it changes (so a stale edit is refused) or is
  listed below as a form that creates a record or takes a one-way step (which its token saves once);
- every post form in a template carries `form_guard(...)`, the hidden token and version;
- every form page, opened as someone who may use it, carries them in the HTML it sends.
"""

from __future__ import annotations

import ast
import inspect
import re

from casefile.access.tests.test_url_sweep import (  # noqa: F401 (fixtures)
    _argument_values,
    _path_for,
    all_patterns,
    front_door,
    journey,
    secret_child,
)
from casefile.core.forms import SUBMISSION_FIELD, VERSION_FIELD
from casefile.core.tests.test_one_form_idiom import CASEFILE, view_modules

# save_or_show calls that change no existing record's details, so have no `record=`: view -> what it does.
NOT_AN_EDIT = {
    # Creates a record: a repeat is saved once by the token.
    "record_referral": "creates an episode", "step_up": "creates an episode", "start_assessment": "creates",
    "record_strategy_discussion": "creates", "add_strategy_participant": "creates", "add_strategy_action": "creates",
    "add_case_note": "creates", "record_step_down": "creates a transfer", "step_down": "creates a transfer",
    "start_cin_plan": "creates a plan", "add_outcome": "creates", "add_action": "creates", "record_review": "creates",
    "record_core_group": "creates", "record_visit": "creates", "non_working_days": "creates",
    "record_initial": "creates a conference", "record_transfer_in": "creates a conference",
    "_record": "creates a conference", "contact_new": "creates a contact", "_details": "creates a contact",
    "check_new": "creates a check", "raise_concern": "creates a practice concern",
    "record_case_supervision": "creates", "add_supervision_action": "creates", "record_staff_supervision": "creates",
    "handover": "creates a handover", "letter": "creates a letter", "create": "creates a person",
    "add_alias": "creates", "add_address": "creates", "add_relationship": "creates", "add_to_household": "creates",
    "chronology_note": "keeps a note per event; the latest is shown", "set_disabilities": "replaces the list",
    # A one-way step: the service refuses it once taken, and the token saves a repeat once.
    "remove_assessment_adult": "removes", "submit_assessment": "a step", "authorise_assessment": "a step",
    "return_assessment": "a step", "agreed_action_done": "completes or reopens", "propose_closure": "a step",
    "sign_off_closure": "a step", "return_closure": "a step", "end_plan": "a step",
    "_end_cp_plan": "a step", "allocation": "a new allocation",
    "authorise": "a step", "letter_sent": "a step", "police_confirm": "a step", "police_discard": "a step",
    "bulk_triage": "a step", "merge": "a step", "unmerge": "a step",
    "record_decision": "creates a management decision", "record_dissent": "creates a disagreement",
    "validate_upload": "creates a census validation", "validate_export": "creates a census validation",
    "data_quality_page": "creates a check of the record",
    "child_census": "one explanation per child and rule, the latest shown; the audit trail keeps each",
    "start_audit": "creates an audit (and a QA officer's sample)", "add_audit_action": "creates",
    "_start_moderation": "creates a moderation (and a QA officer's sample)", "re_audit": "creates a re-audit",
    "post_new": "creates a post",
    "pack_request": "creates a self-evaluation pack",
    # Figures analysts enter (insight/views.py entered_figures_views): each replaces the one for the same key only
    # when it differs, so a repeat changes nothing, and a file is kept whole or not at all.
    "entered_figures_views": "makes the two below", "enter_figure": "replaces the figure for its key",
    "upload_figures": "replaces each figure for its key",
}


def _calls(node: ast.AST):
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            yield call


def save_or_show_views() -> dict[tuple[str, str], bool]:
    """(module, function) -> whether its save_or_show call passes `record=`, for each view function that calls
    it directly or through a helper in its module (the assessment's section pages)."""
    found: dict[tuple[str, str], bool] = {}
    for path in view_modules():
        module = ".".join(path.relative_to(CASEFILE.parent).with_suffix("").parts)
        functions = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.FunctionDef)]
        direct = {}
        for function in functions:
            for call in _calls(function):
                if call.func.id == "save_or_show":
                    direct[function.name] = any(keyword.arg == "record" for keyword in call.keywords)
        for function in functions:
            helpers = [direct[call.func.id] for call in _calls(function) if call.func.id in direct]
            if function.name in direct or helpers:
                found[(module, function.name)] = direct.get(function.name, any(helpers))
    return found


def test_the_scan_sees_the_edit_forms_named_in_the_issue():
    views = save_or_show_views()
    for module, name in [("casefile.people.views", "edit"), ("casefile.casework.views.episodes", "change_case_note"),
                         ("casefile.casework.views.plans", "change_action"),
                         ("casefile.casework.views.plans", "change_plan")]:
        assert views[(module, name)] is True, name


def test_every_save_or_show_call_passes_its_record_or_says_why_not():
    unexplained = sorted(f"{module}.{name}" for (module, name), edits in save_or_show_views().items()
                         if not edits and name not in NOT_AN_EDIT)
    assert unexplained == [], "pass record= to save_or_show, or list the view in NOT_AN_EDIT with why"


# Templates ------------------------------------------------------------------------------------------------

# Post forms that are not writes through save_or_show, or carry the token another way.
UNGUARDED_TEMPLATES = {
    "core/jinja2/layouts/base.html": "signing out",
    "accounts/jinja2/accounts/enrolment_needed.html": "signing out",
    "accounts/jinja2/accounts/sign_in_pauses.html": "lifting a pause: the same again lifts nothing more",
    "access/jinja2/access/restricted_reason.html": "the reason for opening a restricted record, kept each time",
    "people/jinja2/people/matches.html": "carries the first form's fields, its token among them",
    "insight/jinja2/insight/_computed.html": "computing the figures again: a repeat changes no record",
    "oversight/jinja2/oversight/_worked_out.html": "working every signal out again: a repeat changes no record",
}
POST_FORM_TAG = re.compile(r"<form\b([^>]*method=\"post\"[^>]*)>", re.I)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_in_a_template_carries_its_guard():
    missing = []
    for path in sorted(CASEFILE.glob("*/jinja2/**/*.html")):
        name = str(path.relative_to(CASEFILE))
        if name in UNGUARDED_TEMPLATES:
            continue
        for number, body in enumerate(POST_FORM.findall(path.read_text()), start=1):
            if "form_guard(" not in body:
                missing.append(f"{name}, post form {number}")
    assert missing == [], "add {{ form_guard(form) }} beside {{ csrf_input }}"


def test_the_template_scan_sees_post_forms():
    text = (CASEFILE / "people/jinja2/people/form.html").read_text()
    assert POST_FORM.findall(text) and "form_guard(form)" in POST_FORM.findall(text)[0]


# Every form page as it is sent ----------------------------------------------------------------------------


# Edit pages that may also create: they carry a version only when there is already a record to change.
VERSION_ONLY_WHEN_THERE_IS_A_RECORD = {"casework:record_assessment_adult", "frontdoor:decide", "accounts:worker"}


def _view_function(pattern):
    function = inspect.unwrap(pattern.callback)
    return function.__module__, function.__code__.co_name


def test_every_form_page_sends_its_token_and_an_edit_its_version(client, org, secret_child, journey,  # noqa: F811
                                                                 front_door):  # noqa: F811
    views = save_or_show_views()
    values = _argument_values(secret_child, org.assessment, journey, front_door)
    users = [org.sam, org.tess, org.fran, org.mel, org.ada]
    checked, shown_elsewhere = [], []
    for route, name, pattern in all_patterns():
        key = _view_function(pattern)
        if key not in views:
            continue
        path = _path_for(route, values)
        statuses = []
        for user in users:
            client.force_login(user)
            response = client.get(path)
            statuses.append(response.status_code)
            if response.status_code == 200:
                break
        if statuses[-1] == 405:
            shown_elsewhere.append(name)  # a post-only button on another page: the template scan covers it
            continue
        if statuses[-1] != 200:
            continue  # not open for this journey's state (an authorised assessment, a closed episode)
        page = response.content.decode()
        if not [tag for tag in POST_FORM_TAG.findall(page) if "logout" not in tag]:
            continue  # no form in this journey's state (no enquiry awaiting a conference)
        assert f'name="{SUBMISSION_FIELD}"' in page, f"{name}: the form has no one-time token"
        if views[key] and name not in VERSION_ONLY_WHEN_THERE_IS_A_RECORD:
            assert f'name="{VERSION_FIELD}"' in page, f"{name}: the edit form does not carry the record's version"
        checked.append(name)
    assert {"people:edit", "casework:change_case_note", "casework:change_action", "casework:change_plan",
            "casework:add_case_note", "casework:record_visit", "frontdoor:check_new"} <= set(checked), checked
    assert len(checked) >= 25, checked
    assert {"frontdoor:contact_rag", "frontdoor:contact_holder"} <= set(shown_elsewhere), shown_elsewhere
