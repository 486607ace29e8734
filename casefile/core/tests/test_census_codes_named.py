"""Services name the census codes they act on (casefile/rules/codes.py), never spell them: a literal "RC8" or "9"
in a service is a rule nobody can find when the census changes. Read from every services module (ast)."""

from __future__ import annotations

import ast
from pathlib import Path

from casefile.rules import codes

CASEFILE = Path(__file__).resolve().parents[2]
CENSUS_CODES = {code for name, values in vars(codes).items() if name.isupper() and isinstance(values, dict)
                for code in values}


def literal_codes(source: str) -> list[tuple[int, str]]:
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CENSUS_CODES]


def services_modules() -> list[Path]:
    return [path for path in CASEFILE.rglob("*.py")
            if "services" in path.relative_to(CASEFILE).with_suffix("").parts[1:]
            and "tests" not in path.relative_to(CASEFILE).parts]


def test_the_scan_reads_every_services_module_and_would_catch_a_literal_code():
    assert {"casework/services/episodes.py", "frontdoor/services/letters.py", "people/services.py"} <= {
        str(path.relative_to(CASEFILE)) for path in services_modules()}
    assert literal_codes('DIED = "RC2"') == [(1, "RC2")]
    assert literal_codes('if source not in ("9", "10"): pass') == [(1, "9"), (1, "10")]


def test_no_service_spells_a_census_code():
    found = {str(path.relative_to(CASEFILE)): literal_codes(path.read_text()) for path in services_modules()}
    assert {path: literals for path, literals in found.items() if literals} == {}
