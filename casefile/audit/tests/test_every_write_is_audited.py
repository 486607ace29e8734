"""Every public service function that writes leaves an audit event.

Read from the source (ast), across every services module: a function *writes* if it, or a service function it
calls (in its own module or another services module), saves, creates, updates or deletes rows; it *audits* if it,
or a service function it calls, calls audit.services.record(). Every public function that writes must audit. The
few that write without an event of their own are listed in NOT_AUDITED with the reason, and the list is checked
both ways, so an entry cannot go stale.

The read is static, so a function that audits on one branch and writes on another would pass; the service tests
(each asserting its own AuditEvent) cover the branches. What this adds is that no new write function can be
written without any audit call on its path.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

CASEFILE = Path(__file__).resolve().parents[2]
# Method calls that change rows: `.update(` and `.delete(` on querysets and instances alike. (`.add(` is left out:
# it is how Errors collects messages; no service changes a many-to-many field.)
WRITE_METHODS = {"save", "create", "bulk_create", "bulk_update", "update", "delete", "get_or_create",
                 "update_or_create"}
# One event, or many appended as one chained bulk write.
AUDIT = {("casefile.audit.services", "record"), ("casefile.audit.services", "record_many")}
AUDIT_MODULE = "casefile.audit.services"
# Public functions that write without an event of their own, and why.
NOT_AUDITED = {
    ("casefile.core.services", "save_with_history"): "the shared save helper: every caller writes the event",
    # A form's one-time token (ADR 0016): bookkeeping in the transaction of a save whose service writes the event.
    ("casefile.core.services", "consume_submission_token"): "marks a form as sent, inside the save it guards",
    ("casefile.core.services", "release_submission_token"): "unmarks a form whose save only asked a question",
    ("casefile.core.services", "note_where_it_led"): "keeps where the saved form led, for a repeat of it",
    ("casefile.frontdoor.services.contacts", "refresh_concluded"): (
        "marks a contact concluded inside the transaction of authorise_decision or record_handover, whose "
        "events record why the child left the front door"),
}


@dataclass
class Function:
    module: str
    name: str
    node: ast.FunctionDef
    calls: set[tuple[str, str]] = field(default_factory=set)
    writes_here: bool = False


def module_name(path: Path) -> str:
    parts = path.relative_to(CASEFILE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def services_modules() -> list[Path]:
    return sorted(path for path in CASEFILE.rglob("*.py")
                  if "services" in path.relative_to(CASEFILE).with_suffix("").parts[1:]
                  and "tests" not in path.relative_to(CASEFILE).parts and path.name != "__init__.py")


def _imports(tree: ast.Module, module: str) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Names bound to functions of other modules, and names bound to modules."""
    names, modules = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                names[bound] = (node.module, alias.name)
                modules[bound] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
    return names, modules


def _is_collection_update(call: ast.Call) -> bool:
    """`seen.update(other)` on a dict or set: QuerySet.update() takes keyword arguments only."""
    return call.func.attr == "update" and bool(call.args)


def read_module(path: Path) -> dict[tuple[str, str], Function]:
    module = module_name(path)
    tree = ast.parse(path.read_text())
    names, modules = _imports(tree, module)
    local = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    functions = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        function = Function(module, node.name, node)
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            target = call.func
            if isinstance(target, ast.Name):
                if target.id in local:
                    function.calls.add((module, target.id))
                elif target.id in names:
                    function.calls.add(names[target.id])
            elif isinstance(target, ast.Attribute):
                if isinstance(target.value, ast.Name) and target.value.id in modules:
                    function.calls.add((modules[target.value.id], target.attr))
                if target.attr in WRITE_METHODS and not _is_collection_update(call):
                    function.writes_here = True
        functions[(module, node.name)] = function
    return functions


def all_functions() -> dict[tuple[str, str], Function]:
    found = {}
    for path in services_modules():
        found |= read_module(path)
    return found


def _reaches(functions: dict, start: tuple[str, str], goal) -> bool:
    seen, stack = set(), [start]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        if goal(key):
            return True
        if key in functions:
            stack.extend(functions[key].calls)
    return False


def writes(functions, key) -> bool:
    return _reaches(functions, key, lambda k: k in functions and functions[k].writes_here)


def audits(functions, key) -> bool:
    return _reaches(functions, key, lambda k: k in AUDIT)


def unaudited_writes(functions) -> set[tuple[str, str]]:
    return {key for key in functions if not key[1].startswith("_") and key[0] != AUDIT_MODULE
            and writes(functions, key) and not audits(functions, key)}


def test_the_scan_reads_every_services_module():
    modules = {module_name(path) for path in services_modules()}
    assert {"casefile.people.services", "casefile.casework.services.episodes", "casefile.casework.services.plans",
            "casefile.frontdoor.services.decisions", "casefile.frontdoor.services.imports"} <= modules


def test_the_scan_tells_writes_and_audits_apart():
    functions = all_functions()
    assert writes(functions, ("casefile.people.services", "create_person"))
    assert audits(functions, ("casefile.people.services", "create_person"))
    # bulk_triage audits through record_decision, which it calls for each child.
    assert audits(functions, ("casefile.frontdoor.services.decisions", "bulk_triage"))
    assert not writes(functions, ("casefile.casework.services.episodes", "open_episode"))


def test_the_scan_would_catch_a_write_with_no_audit(tmp_path, monkeypatch):
    services = tmp_path / "casefile" / "demoapp" / "services.py"
    services.parent.mkdir(parents=True)
    services.write_text("from casefile.audit.services import record\n"
                        "def good(actor, obj):\n    obj.save()\n    record('create', actor=actor)\n"
                        "def bad(obj):\n    obj.save()\n"
                        "def via_good(actor, obj):\n    good(actor, obj)\n")
    monkeypatch.setattr(sys.modules[__name__], "CASEFILE", tmp_path / "casefile")
    assert unaudited_writes(read_module(services)) == {("casefile.demoapp.services", "bad")}


def test_every_public_service_function_that_writes_writes_an_audit_event():
    assert unaudited_writes(all_functions()) == set(NOT_AUDITED)
