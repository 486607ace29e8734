import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts failed sign-ins and used TOTP codes in the cache: start every test from nothing."""
    cache.clear()
    yield
    cache.clear()


def current_code(secret: str) -> str:
    """The code an authenticator app would show right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def sam_with_totp(org):
    """Sam, with an authenticator app set up. Returns (user, secret)."""
    secret = generate_totp_secret()
    TOTP.activate(org.sam, secret)
    return org.sam, secret
