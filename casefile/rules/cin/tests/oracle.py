"""Run the community CIN validator (csc-validator-be-cin 0.1.13, built by scripts/cin-oracle in a virtualenv of
its own) on a census file, as a test oracle.

Tests that need it call `oracle_or_skip()`: locally they skip when the oracle is not built; where
CASEFILE_REQUIRE_CIN_ORACLE=1 (CI, via the Makefile) its absence is a failure, so parity is never skipped there.
"""

from __future__ import annotations

import csv
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]


def oracle_python() -> Path | None:
    venv = Path(os.environ.get("CASEFILE_CIN_ORACLE_VENV") or REPO / ".venv-cin-oracle")
    python = venv / "bin" / "python"
    return python if python.exists() else None


def oracle_or_skip() -> Path:
    python = oracle_python()
    if python is None:
        if os.environ.get("CASEFILE_REQUIRE_CIN_ORACLE") == "1":
            pytest.fail("The community CIN validator is required here: run scripts/cin-oracle")
        pytest.skip("the community CIN validator is not built (scripts/cin-oracle)")
    return python


def ruleset(year: str) -> str:
    """"2025-26" -> "cin2025_26", the community validator's name for a year's rules."""
    return "cin" + year.replace("-", "_")


class OracleCrashed(RuntimeError):
    """The community validator stopped with an error on this file (it has no answer for it)."""


def run_oracle(xml: bytes, year: str) -> list[dict[str, str]]:
    """The community validator's report rows (LAchildID, rule_code, tables_affected, columns_affected, ...)."""
    python = oracle_or_skip()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.xml"
        path.write_bytes(xml)
        finished = subprocess.run([str(python), "-m", "cin_validator", "run", str(path), "-r", ruleset(year), "-o"],  # noqa: S603
                                  cwd=folder, capture_output=True, timeout=900, text=True)
        if finished.returncode:
            last = (finished.stderr.strip().splitlines() or ["no message"])[-1]
            raise OracleCrashed(f"the community validator stopped: {last}")
        with open(Path(folder) / "user_report.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


def oracle_findings(xml: bytes, year: str) -> set[tuple[str, str]]:
    """(rule code, LAchildID) for every issue the community validator reports ("" for the return as a whole)."""
    return {(row["rule_code"], row["LAchildID"] if row["LAchildID"] not in ("", "nan") else "")
            for row in run_oracle(xml, year)}
