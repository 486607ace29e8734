from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from casefile.accounts import lockout


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Staff accounts are issued by an administrator; nobody signs themselves up."""
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """An address with very many failures (any usernames) is paused for everyone at it, briefly: the limit
        is far above what one office's mistyped passwords reach (ADR 0019)."""
        if lockout.address_is_paused(lockout.client_address(request)):
            lockout.audit_refusal(request, credentials.get("username", ""), lockout.ADDRESS_PAUSED)
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on connects to existing staff accounts only."""
        return False
