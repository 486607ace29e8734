"""Accessibility checks with axe-core (bundled with axe-playwright-python, so nothing is fetched)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 AA, which public-sector services must meet, and everything it builds on.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now and return its violations."""
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        lines.append(f"{violation['id']}: {violation['help']} ({violation['helpUrl']}) at {targets}")
    return "\n".join(lines)


def assert_accessible(page, name: str | None = None) -> None:
    """Fail, naming each rule broken and where, if axe finds any WCAG 2.2 AA violation."""
    violations = axe_violations(page)
    assert not violations, f"{name or page.url} fails WCAG 2.2 AA:\n{describe(violations)}"
