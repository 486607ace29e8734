"""Sign-in, idle time-out and two-factor requirements, applied to every page."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse

from casefile.accounts import services

# Paths a signed-out person may reach. Everything else needs a signed-in user.
# The code step of signing in (/accounts/2fa/authenticate/) comes before the person is signed in.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
    # Single sign-on: the start of the flow, the provider's callback, and allauth's error and cancel pages.
    "/accounts/oidc/",
    "/accounts/3rdparty/login/",
    "/static/",
    "/healthz",
)
# Paths a signed-in user without TOTP may reach, so they can set it up or leave.
# Setting up an app may first ask for the password again (/accounts/reauthenticate/).
TWO_FACTOR_SETUP_PREFIXES = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/static/", "/healthz")


class RequireSignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)


class InactivityTimeoutMiddleware:
    """Sign a user out after a period with no requests, and tell them why on the sign-in page.

    The time of the last request is written to the session at most once a minute (a tenth of the limit when that
    is shorter), not on every page: saving the session on every request wrote to the database on every read and,
    on SQLite, queued every page behind one write lock (bench/results.md, "Load"). So a user may be signed out up
    to a minute before the full idle limit, never after it.
    """

    SESSION_KEY = "casefile_last_activity"
    LONGEST_STAMP_INTERVAL = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(self.SESSION_KEY, now)
            if now - last > settings.CASEFILE_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, "You were signed out because you had not used Casefile for a while.")
                return redirect("account_login")
            interval = min(self.LONGEST_STAMP_INTERVAL, settings.CASEFILE_IDLE_TIMEOUT_SECONDS / 10)
            if self.SESSION_KEY not in request.session or now - last >= interval:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Outside the demo, staff must set up an authenticator app before they can open anything; and nobody can
    set one up on an account that has none without a link from an administrator (ADR 0019)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith(TWO_FACTOR_SETUP_PREFIXES):
            if request.path.startswith(ACTIVATE_PREFIX) and not _may_set_up_app(request):
                return render(request, "accounts/enrolment_needed.html", status=403)
        elif settings.CASEFILE_REQUIRE_TOTP and not services.has_authenticator_app(request.user):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# The authenticator set-up page, and the recovery codes page that would otherwise make a second factor alone.
ACTIVATE_PREFIX = ("/accounts/2fa/totp/activate/", "/accounts/2fa/recovery-codes/generate/")


def _may_set_up_app(request) -> bool:
    return services.has_authenticator_app(request.user) or services.session_enrolment(request) is not None
