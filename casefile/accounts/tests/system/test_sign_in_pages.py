"""The sign-in pages in a real browser: GOV.UK Frontend's JavaScript runs under the strict CSP, and every page
meets WCAG 2.2 AA according to axe-core."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings

from casefile.accounts.services import issue_enrolment_link
from casefile.accounts.tests.conftest import current_code
from casefile.testing import PASSWORD
from tests.system.accessibility import assert_accessible
from tests.system.browser import sign_in

pytestmark = [pytest.mark.system, pytest.mark.xdist_group("browser")]


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_sign_in_pages_run_govuk_frontend_under_the_csp_and_meet_wcag_22_aa(page, live_server, org):
    problems = watch_console(page)
    page.goto("/accounts/login/")
    # The nonce'd inline script and the module script both ran: no CSP violation stopped them.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    page.wait_for_function("document.querySelector('.govuk-password-input__toggle') && "
                           "!document.querySelector('.govuk-password-input__toggle').hidden")
    assert_accessible(page, "Sign-in page")

    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()
    # GOV.UK Frontend moves focus to the error summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title() == "Error: Sign in – Casefile"
    assert_accessible(page, "Sign-in page with an error")

    sign_in(page, "sam")
    page.goto("/accounts/logout/")
    assert_accessible(page, "Sign-out page")
    assert problems == []


def test_two_factor_pages_meet_wcag_22_aa(page, live_server, org):
    problems = watch_console(page)
    with override_settings(CASEFILE_REQUIRE_TOTP=True):
        sign_in(page, "sam")
        page.goto("/")
        page.get_by_role("heading", name="You need a link to set up an authenticator app").wait_for()
        assert_accessible(page, "You need a link to set up an authenticator app")
        assert [problem for problem in problems if "403 (Forbidden)" not in problem] == []  # the page's own 403
        problems.clear()
        page.goto(f"/accounts/2fa/enrol/{issue_enrolment_link(org.ada, org.sam)}/")
        page.wait_for_url("**/accounts/reauthenticate/**")
        assert_accessible(page, "Confirm your password")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/accounts/2fa/totp/activate/")
        assert page.locator(".cf-qr-code img").evaluate("img => img.naturalWidth > 0")
        page.get_by_text("I cannot scan the QR code").click()
        assert_accessible(page, "Set up an authenticator app")

        secret = page.locator("#authenticator-secret").inner_text().replace(" ", "")
        page.get_by_label("Enter the 6-digit code the app shows").fill(current_code(secret))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/accounts/2fa/recovery-codes/")
        assert_accessible(page, "Recovery codes")
        page.goto("/accounts/2fa/")
        assert_accessible(page, "Sign-in security")
    assert problems == []


def test_the_code_step_and_the_lockout_page_meet_wcag_22_aa(page, live_server, org):
    TOTP.activate(org.tess, generate_totp_secret())
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page, "Enter the code from your authenticator app")

    page.context.clear_cookies()  # a fresh visitor, not tess half-way through signing in
    for attempt in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("ola")
        page.get_by_label("Password", exact=True).fill(f"wrong {attempt}")
        page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Signing in to this account is paused").wait_for()
    assert_accessible(page, "Signing in is paused")


def test_the_sign_in_security_pages_for_administrators_meet_wcag_22_aa(page, live_server, org):
    for attempt in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("ola")
        page.get_by_label("Password", exact=True).fill(f"wrong {attempt}")
        page.get_by_role("button", name="Sign in").click()
    page.context.clear_cookies()
    sign_in(page, "ada")
    page.goto("/sign-in-pauses/")
    assert_accessible(page, "Sign-in pauses")
    page.get_by_role("button", name="Lift the pause").click()
    page.get_by_text("Nobody is paused.").wait_for()
    page.goto("/authenticator-links/")
    page.get_by_label("Who is the link for?").select_option(label="Sam Worker (sam)")
    page.get_by_role("button", name="Issue a link").click()
    page.locator("#enrolment-link").wait_for()
    assert_accessible(page, "Links to set up an authenticator app")
