"""Every page writes through core.forms.save_or_show: no view module keeps its own copy of it, and none catches
a service's ValidationError itself (where stale edits and repeated submits are refused, once: ADR 0016)."""

from __future__ import annotations

import ast
from pathlib import Path

CASEFILE = Path(__file__).resolve().parents[2]
# A view that truly must catch a ValidationError is listed here with why; none needs to today.
ALLOWED: dict[str, str] = {}


def view_modules() -> list[Path]:
    return sorted(path for path in CASEFILE.rglob("*.py") if "tests" not in path.parts
                  and (path.name == "views.py" or path.parent.name == "views"))


def problems(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "save_or_show" in node.name:
            found.append(f"line {node.lineno}: defines {node.name}(); use core.forms.save_or_show")
        if isinstance(node, ast.ExceptHandler) and node.type is not None and "ValidationError" in ast.unparse(
                node.type):
            found.append(f"line {node.lineno}: catches ValidationError; pass the write through save_or_show")
    return found


def test_the_scan_sees_every_view_module():
    names = {str(path.relative_to(CASEFILE)) for path in view_modules()}
    assert {"people/views.py", "casework/views/allocation.py", "frontdoor/views/contacts.py"} <= names


def test_the_scan_would_catch_a_copy_and_a_caught_refusal():
    source = ("def _save_or_show(request, form, save):\n    pass\n"
              "try:\n    pass\nexcept (ValueError, ValidationError) as error:\n    pass\n")
    assert len(problems(source)) == 2


def test_no_view_module_keeps_its_own_form_idiom():
    offenders = {str(path.relative_to(CASEFILE)): found for path in view_modules()
                 if (found := problems(path.read_text())) and str(path.relative_to(CASEFILE)) not in ALLOWED}
    assert offenders == {}
