"""A user's role is compared only in casefile/access/ (policy.py: who may see; permissions.py: who may do).

Python is read with ast: a comparison of anything's `.role` with a Role member, a role value or a *_ROLES set; a
`role=`/`role__in=` filter on Role members; and any use of a *_ROLES set. Templates are read as text: any use of
`user.role` or `user.team.kind`. Pages and services ask access/permissions.py instead, and templates get a flag.
Tests, migrations and the demo's data (which creates users in roles, never compares them) are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from casefile.accounts.models import Role

CASEFILE = Path(__file__).resolve().parents[2]
ALLOWED = {CASEFILE / "access", CASEFILE / "accounts" / "models.py"}
SKIPPED_DIRS = {"tests", "migrations", "static"}
ROLE_VALUES = set(Role.values)
TEMPLATE_ROLE = re.compile(r"\buser\.role\b(?!_label)|\buser\.team\.kind\b")


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def _about_roles(node: ast.AST) -> bool:
    """An expression naming Role, a *_ROLES set, or a role's value as a string."""
    names = _names(node)
    return ("Role" in names or any(name.endswith("_ROLES") for name in names)
            or any(isinstance(n, ast.Constant) and n.value in ROLE_VALUES for n in ast.walk(node)))


def _is_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def role_checks_in_python(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_role(side) for side in sides) and any(_about_roles(s) for s in sides if not _is_role(s)):
                lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and node.arg in ("role", "role__in") and _about_roles(node.value):
            lines.append(node.value.lineno)
        elif isinstance(node, ast.Name | ast.Attribute) and (getattr(node, "id", None) or getattr(node, "attr", "")
                                                             ).endswith("_ROLES"):
            lines.append(node.lineno)
    return sorted(set(lines))


def role_checks_in_template(source: str) -> list[int]:
    return [number for number, line in enumerate(source.splitlines(), 1) if TEMPLATE_ROLE.search(line)]


def _scanned(pattern: str) -> list[Path]:
    return [path for path in CASEFILE.rglob(pattern)
            if not SKIPPED_DIRS & set(path.relative_to(CASEFILE).parts)
            and not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
            and "demo" not in path.relative_to(CASEFILE).parts[:1]]


def test_the_scan_reads_python_and_templates_across_the_apps():
    scanned = {str(path.relative_to(CASEFILE)) for path in _scanned("*.py") + _scanned("*.html")}
    assert {"frontdoor/services/decisions.py", "casework/views/episodes.py", "people/jinja2/people/record.html",
            "casework/forms/episodes.py"} <= scanned
    assert not {"access/permissions.py", "access/policy.py"} & scanned


def test_the_scan_would_catch_each_kind_of_role_check():
    assert role_checks_in_python("if user.role in MANAGER_ROLES: pass")
    assert role_checks_in_python("ok = request.user.role == Role.ADMINISTRATOR")
    assert role_checks_in_python("ok = actor.role != 'administrator'")
    assert role_checks_in_python("User.objects.filter(role=Role.CONFERENCE_CHAIR)")
    assert role_checks_in_python("User.objects.filter(role__in=CASE_HOLDING_ROLES)")
    assert role_checks_in_python("field = StaffField(QUALIFIED_ROLES)")
    # The role a person plays in an incident or a household is not a user's role.
    assert not role_checks_in_python("children = [e for e in entries if e.role == 'child']")
    assert not role_checks_in_python("make_user('ada', Role.ADMINISTRATOR)")
    # The check the person record's template used to make, which disagreed with the access policy.
    assert role_checks_in_template('{% if (request.user.role == "front_door" or (request.user.team_id and '
                                   'request.user.team.kind == "front_door")) %}')
    assert not role_checks_in_template("{{ member.role_label }} {% if may_record_contact %}")


def test_no_role_is_compared_outside_the_access_app():
    found = {str(path.relative_to(CASEFILE)): role_checks_in_python(path.read_text()) for path in _scanned("*.py")}
    found |= {str(path.relative_to(CASEFILE)): role_checks_in_template(path.read_text())
              for path in _scanned("*.html")}
    assert {path: lines for path, lines in found.items() if lines} == {}
