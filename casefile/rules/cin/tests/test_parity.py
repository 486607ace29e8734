"""Parity with the community CIN validator (csc-validator-be-cin 0.1.13), rule by rule, for 2025-26.

Every `planted_*.py` module beside this one gives `PLANTED` (rule code -> a `Planted` violation) and may give
`DISAGREEMENTS` (rule code -> why Casefile deliberately differs). The planted children of every plant without a
header, and two clean children, go into one census file; each plant with a header goes into a file of its own.
Both validators read every file, and for each rule Casefile's set of (file, child) equals the community
validator's, except for a listed disagreement, whose difference must still be there (so a fixed one is noticed)
and is printed. A file the community validator cannot read (it stops with an error) has no answer from it, so
only a listed disagreement may rely on one.

The guard: every rule the community validator has for 2025-26 (`oracle_rules.ORACLE_RULES`, checked against its
own list) is either in Casefile's pack with a planted violation, or in NOT_YET_IMPLEMENTED, which must be exactly
the rules still missing: it can only shrink, and a rule written without a plant fails.

Run locally with CASEFILE_CIN_ORACLE_VENV=/tmp/cin-oracle (or after scripts/cin-oracle); CI sets
CASEFILE_REQUIRE_CIN_ORACLE=1 so nothing here can skip. `python -m casefile.rules.cin.tests.test_parity` prints
the status of every rule.
"""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests import oracle
from casefile.rules.cin.tests.builder import Planted, census_xml, clean_child
from casefile.rules.cin.tests.oracle_rules import ORACLE_RULES, ORACLE_YEAR

# The community validator's rules that Casefile's 2025-26 pack does not have yet. Remove a code when its rule
# and its planted violation arrive; the guard below fails until this is exactly what is missing.
NOT_YET_IMPLEMENTED: frozenset[str] = frozenset()

# One worker runs them all, so the community validator reads the files once.
pytestmark = pytest.mark.xdist_group("cin_oracle")

HERE = Path(__file__).resolve().parent
SHARED_FILE = "shared"
CLEAN_CHILDREN = ("CLEANN1", "CLEANN2")
PACK = pack(ORACLE_YEAR)


@dataclasses.dataclass(frozen=True)
class Plant:
    code: str
    module: str
    planted: Planted

    @property
    def file(self) -> str:
        return f"{self.module}:{self.code}" if self.planted.header is not None else SHARED_FILE

    @property
    def children(self) -> set[str]:
        return {child.get("LAchildID") or "" for child in self.planted.children}


@cache
def plants() -> tuple[dict[str, list[Plant]], dict[str, list[str]]]:
    """Every plant by rule code (a rule may be planted in several modules) and every disagreement's reasons."""
    planted: dict[str, list[Plant]] = defaultdict(list)
    disagreements: dict[str, list[str]] = defaultdict(list)
    for path in sorted(HERE.glob("planted_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        for code, plant in module.PLANTED.items():
            planted[code].append(Plant(code, path.stem, plant))
        for code, why in getattr(module, "DISAGREEMENTS", {}).items():
            disagreements[code].append(why)
    return dict(planted), dict(disagreements)


def census_files() -> dict[str, bytes]:
    """The shared file (clean children and every plant without a header) and one file per header plant."""
    shared = [clean_child(child_id) for child_id in CLEAN_CHILDREN]
    files: dict[str, bytes] = {}
    for code_plants in plants()[0].values():
        for plant in code_plants:
            if plant.file == SHARED_FILE:
                shared.extend(plant.planted.children)
            else:
                files[plant.file] = census_xml(plant.planted.children or [clean_child("CLEANN1")],
                                               header=plant.planted.header)
    return {SHARED_FILE: census_xml(shared), **files}


@dataclasses.dataclass
class Findings:
    ours: dict[str, set[tuple[str, str]]]  # rule code -> {(file, LAchildID)}
    theirs: dict[str, set[tuple[str, str]]]
    crashed: dict[str, str]  # file -> what the community validator said when it stopped

    def compared(self, code: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """Both sides for a rule, leaving out the files the community validator could not read."""
        ours = {found for found in self.ours.get(code, set()) if found[0] not in self.crashed}
        return ours, self.theirs.get(code, set())


def _ours(xml: bytes) -> set[tuple[str, str]]:
    return {(issue.code, issue.child or "") for issue in PACK.validate(parse(xml))}


def _theirs(xml: bytes) -> set[tuple[str, str]] | str:
    try:
        return oracle.oracle_findings(xml, ORACLE_YEAR)
    except oracle.OracleCrashed as crash:
        return str(crash)


@cache
def findings() -> Findings:
    files = census_files()
    oracle.oracle_or_skip()
    result = Findings(defaultdict(set), defaultdict(set), {})
    # The community validator takes a few seconds a file: run two at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = dict(zip(files, pool.map(_theirs, files.values()), strict=True))
    for name, xml in files.items():
        for code, child in _ours(xml):
            result.ours[code].add((name, child))
        answer = answers[name]
        if isinstance(answer, str):
            result.crashed[name] = answer
            continue
        for code, child in answer:
            result.theirs[code].add((name, child))
    return result


def implemented() -> list[str]:
    return sorted(set(PACK.rules), key=lambda code: (int("".join(ch for ch in code if ch.isdigit())), code))


def _difference(ours: set, theirs: set) -> str:
    def listed(found):
        return ", ".join(f"{child or '(the return)'} in {file}" for file, child in sorted(found)) or "nothing"
    return f"only Casefile: {listed(ours - theirs)}; only the community validator: {listed(theirs - ours)}"


# The guard ------------------------------------------------------------------------------------------------


def test_the_checked_in_rule_list_is_the_community_validators():
    python = oracle.oracle_or_skip()
    listing = subprocess.run([str(python), "-m", "cin_validator", "list", "-r", oracle.ruleset(ORACLE_YEAR)],  # noqa: S603
                             capture_output=True, text=True, check=True, timeout=120, cwd=HERE).stdout
    listed = {}
    for line in listing.splitlines():
        code, description = line.split("\t", 1)
        listed[code] = "query" if description.endswith("(QUERY)") else "error"
    assert listed == ORACLE_RULES


def test_every_rule_is_in_the_pack_with_a_plant_or_listed_as_not_yet_implemented():
    planted, disagreements = plants()
    ours = set(PACK.rules)
    assert ours - set(ORACLE_RULES) == set(), "rules the community validator does not have for 2025-26"
    assert set(ORACLE_RULES) - ours == NOT_YET_IMPLEMENTED, \
        "NOT_YET_IMPLEMENTED must list exactly the rules still missing from the pack: remove those now written"
    assert sorted(ours - set(planted)) == [], "each rule needs a planted violation (planted_*.py)"
    assert sorted(set(planted) - ours) == [], "a plant for a rule the pack does not have"
    assert sorted(set(disagreements) - set(planted)) == [], "a disagreement without a plant"
    wrong_kind = {code: rule.kind for code, rule in PACK.rules.items() if ORACLE_RULES.get(code) != rule.kind}
    assert wrong_kind == {}, "errors and queries as the community validator has them"


def test_the_clean_children_break_nothing_in_either_validator():
    result = findings()
    assert SHARED_FILE not in result.crashed, result.crashed.get(SHARED_FILE)
    flagged = {(code, child) for side in (result.ours, result.theirs) for code, found in side.items()
               for file, child in found if file == SHARED_FILE and child in CLEAN_CHILDREN}
    assert flagged == set()


# Rule by rule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", implemented())
def test_rule_agrees_with_the_community_validator(code):
    planted, disagreements = plants()
    result = findings()
    ours, theirs = result.compared(code)
    if code in disagreements:
        crashed = {plant.file: result.crashed[plant.file] for plant in planted.get(code, ())
                   if plant.file in result.crashed}
        assert ours != theirs or crashed, (f"rule {code} now agrees with the community validator: remove it from "
                                           "DISAGREEMENTS")
        every = result.ours.get(code, set())
        print(f"rule {code} differs, as listed ({' '.join(disagreements[code])}): {_difference(every, theirs)}"
              + "".join(f"; {file}: {said}" for file, said in crashed.items()))
        return
    for plant in planted.get(code, ()):
        assert plant.file not in result.crashed, f"{plant.file}: {result.crashed[plant.file]}"
        assert {child for file, child in theirs if file == plant.file} & (plant.children | {""}), \
            f"the plant for {code} in {plant.module} breaks nothing for the community validator"
    assert ours == theirs, f"rule {code}: {_difference(ours, theirs)}"


def parity_report() -> str:
    """Every rule of 2025-26 and where it stands: agrees, differs as listed, differs, or not yet written."""
    planted, disagreements = plants()
    result = findings()
    lines = []
    for code in ORACLE_RULES:
        if code in NOT_YET_IMPLEMENTED:
            lines.append(f"{code}\tnot yet implemented")
            continue
        ours, theirs = result.compared(code)
        if code in disagreements:
            lines.append(f"{code}\tdisagreement listed: {' '.join(disagreements[code])}")
        elif ours == theirs and theirs:
            lines.append(f"{code}\tagrees ({len(theirs)} found by both)")
        else:
            lines.append(f"{code}\tDIFFERS: {_difference(ours, theirs)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(parity_report())
