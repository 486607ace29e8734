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


# Reading the clock: `date.today()`, `datetime.now()`, `time.time()` and the like. Rules are given the day they
# judge, so the hostile-clock run (Makefile test-hostile-clock) can leave this package out.
CLOCK_CALLS = frozenset({"today", "now", "utcnow", "localdate", "localtime"})
TIME_MODULE_CALLS = frozenset({"time", "monotonic"})  # time.time(), not a datetime's .time() (its time of day)


def _reads_clock(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    on_time_module = isinstance(call.func.value, ast.Name) and call.func.value.id == "time"
    return call.func.attr in CLOCK_CALLS or (on_time_module and call.func.attr in TIME_MODULE_CALLS)


def clock_reads(source: str) -> list[str]:
    return sorted(f"{node.func.value.id}.{node.func.attr}()" if isinstance(node.func.value, ast.Name)
                  else f"{node.func.attr}()"
                  for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call) and _reads_clock(node))


def test_the_clock_scan_would_catch_a_read():
    assert clock_reads("import datetime\nx = datetime.date.today()") == ["today()"]
    assert clock_reads("from datetime import datetime\nx = datetime.now()") == ["datetime.now()"]
    assert clock_reads("import time\nx = time.time()") == ["time.time()"]
    assert clock_reads("x = due_date(start, today)\ny = start.time()") == []


def test_nothing_in_the_rules_package_reads_the_clock():
    """Neither the rules nor their tests: every day a rule judges is passed to it."""
    readers = {str(path.relative_to(RULES_DIR)): clock_reads(path.read_text())
               for path in RULES_DIR.rglob("*.py")}
    assert {path: calls for path, calls in readers.items() if calls} == {}
