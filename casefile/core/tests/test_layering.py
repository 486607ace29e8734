"""Apps depend downward only. Read from every module's imports (ast), so a new offender fails here:

- a services module never imports a views module (a write must not depend on a page);
- no app imports another app's views (what several pages share lives with the data, not in a view);
- a models module never imports services (a model does not write through the layer above it).

A views module is `views.py`, anything under `views/`, or a `*_views.py`; a services module is `services.py` or
anything under `services/`. Imports inside functions count too.
"""

from __future__ import annotations

from pathlib import Path

from casefile.rules.tests.test_no_django import imported_modules

CASEFILE = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = path.relative_to(CASEFILE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parts(module: str) -> list[str]:
    return module.split(".")


def app_of(module: str) -> str | None:
    parts = _parts(module)
    return parts[1] if len(parts) > 1 and parts[0] == "casefile" else None


def is_views(module: str) -> bool:
    return app_of(module) is not None and any(p == "views" or p.endswith("_views") for p in _parts(module)[2:])


def is_services(module: str) -> bool:
    return app_of(module) is not None and "services" in _parts(module)[2:]


def is_models(module: str) -> bool:
    return app_of(module) is not None and "models" in _parts(module)[2:]


def problems(module: str, imports: set[str]) -> list[str]:
    found = []
    for imported in sorted(imports):
        if app_of(imported) is None:
            continue
        if is_services(module) and is_views(imported):
            found.append(f"{module}: a services module imports the views module {imported}")
        elif is_views(imported) and app_of(imported) != app_of(module):
            found.append(f"{module}: imports another app's views, {imported}")
        if is_models(module) and is_services(imported):
            found.append(f"{module}: a models module imports the services module {imported}")
    return found


def code_modules() -> list[Path]:
    return [path for path in CASEFILE.rglob("*.py")
            if not {"tests", "migrations"} & set(path.relative_to(CASEFILE).parts)]


def test_the_scan_sees_every_kind_of_module():
    names = {module_name(path) for path in code_modules()}
    assert {"casefile.people.views", "casefile.casework.views.allocation", "casefile.accounts.team_views",
            "casefile.casework.services.allocation", "casefile.people.services", "casefile.people.models"} <= names
    assert is_views("casefile.accounts.team_views") and is_views("casefile.frontdoor.views.decisions")
    assert is_services("casefile.frontdoor.services.decisions") and not is_services("casefile.core.forms")


def test_the_scan_would_catch_each_kind_of_offence():
    assert problems("casefile.casework.services.allocation",
                    imported_modules("from casefile.casework.views.allocation import x"))
    assert problems("casefile.people.views", imported_modules("from casefile.casework.views.allocation import x"))
    assert problems("casefile.core.views", imported_modules("from casefile.accounts import team_views"))
    assert problems("casefile.people.models", imported_modules("from casefile.people.services import x"))
    # An app's own views may import each other, and its urls import its views.
    assert not problems("casefile.casework.views.protection",
                        imported_modules("from casefile.casework.views.plans import overview_url"))
    assert not problems("casefile.people.urls", imported_modules("from casefile.people import views"))


def test_apps_depend_downward_only():
    found = [problem for path in code_modules()
             for problem in problems(module_name(path), imported_modules(path.read_text()))]
    assert found == []
