"""Every CASEFILE_* setting the code reads is declared, with its default, in config/settings.py, so an authority
finds every choice in one file and can set each from the environment. Code reads `settings.CASEFILE_X` directly:
a `getattr(settings, "CASEFILE_X", default)` would hide a default (and a typo) from that file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import settings as project_settings

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FILE = ROOT / "config" / "settings.py"
READ = re.compile(r"settings\.(CASEFILE_[A-Z0-9_]+)")
GETATTR = re.compile(r"getattr\(\s*\w*settings\s*,\s*[\"'](CASEFILE_[A-Z0-9_]+)")


def declared() -> set[str]:
    tree = ast.parse(SETTINGS_FILE.read_text())
    return {target.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name) and target.id.startswith("CASEFILE_")}


def code_files() -> list[Path]:
    return [path for folder in ("casefile", "bench", "tests", "config") for path in (ROOT / folder).rglob("*.py")
            if path not in (SETTINGS_FILE, Path(__file__).resolve())]


def reads(source: str) -> set[str]:
    return set(READ.findall(source)) | set(GETATTR.findall(source))


def test_the_scan_finds_both_ways_of_reading_a_setting():
    assert reads('x = settings.CASEFILE_CLOCKS or {}') == {"CASEFILE_CLOCKS"}
    assert reads('getattr(django_settings, "CASEFILE_NEW", None)') == {"CASEFILE_NEW"}
    assert {"CASEFILE_CLOCKS", "CASEFILE_FRONT_DOOR", "CASEFILE_CASELOAD_WEIGHTS",
            "CASEFILE_FRONT_DOOR_PHONE"} <= declared()


def test_every_casefile_setting_read_is_declared_in_settings_py():
    missing = {str(path.relative_to(ROOT)): sorted(reads(path.read_text()) - declared()) for path in code_files()}
    assert {path: names for path, names in missing.items() if names} == {}


def test_no_code_reads_a_casefile_setting_with_a_default_of_its_own():
    found = {str(path.relative_to(ROOT)): GETATTR.findall(path.read_text()) for path in code_files()}
    assert {path: names for path, names in found.items() if names} == {}


def test_a_dict_setting_is_read_as_json_from_the_environment(monkeypatch):
    monkeypatch.setenv("CASEFILE_CLOCKS", '{"due_soon_working_days": 5}')
    assert project_settings.env_json("CASEFILE_CLOCKS", {}) == {"due_soon_working_days": 5}
    monkeypatch.setenv("CASEFILE_CLOCKS", "")
    assert project_settings.env_json("CASEFILE_CLOCKS", {}) == {}


@pytest.mark.parametrize("value", ['{"due_soon_working_days": 5', '["not", "an", "object"]'])
def test_a_dict_setting_that_is_not_a_json_object_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CASEFILE_CLOCKS", value)
    with pytest.raises(ImproperlyConfigured, match="CASEFILE_CLOCKS must be a JSON object"):
        project_settings.env_json("CASEFILE_CLOCKS", {})
