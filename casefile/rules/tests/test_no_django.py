"""The rules package stays plain Python: no module in it may import Django (or the Django apps)."""

from __future__ import annotations

import ast
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent.parent
FORBIDDEN = ("django", "casefile.people", "casefile.access", "casefile.audit", "casefile.core",
             "casefile.accounts", "casefile.casework", "casefile.quality", "casefile.demo")


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            # `from casefile.people import views` imports the module casefile.people.views (the layering test)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def rule_modules() -> list[Path]:
    return [path for path in RULES_DIR.rglob("*.py") if "tests" not in path.relative_to(RULES_DIR).parts]


def test_the_scan_sees_every_rules_module():
    names = {path.name for path in rule_modules()}
    assert {"identifiers.py", "codes.py", "names.py", "matching.py"} <= names


def test_the_scan_would_catch_a_django_import():
    assert "django.db" in imported_modules("from django.db import models")
    assert "django" in imported_modules("import django")


def test_no_rules_module_imports_django():
    offenders = {
        str(path.relative_to(RULES_DIR)): sorted(module for module in imported_modules(path.read_text())
                                                 if module.split(".")[0] == "django"
                                                 or module.startswith(FORBIDDEN))
        for path in rule_modules()
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
