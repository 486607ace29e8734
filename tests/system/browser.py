"""Steps browser tests share."""

from __future__ import annotations

from casefile import testing


def sign_in(page, username: str, password: str = testing.PASSWORD) -> None:
    """Sign in through the real sign-in form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
