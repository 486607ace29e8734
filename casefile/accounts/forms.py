"""allauth's sign-in forms with GOV.UK wording: labels without placeholders, and errors that say what to do.

Wired up in settings (ACCOUNT_FORMS, MFA_FORMS); the views and the security behind them stay allauth's own.
"""

from __future__ import annotations

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.core.exceptions import ValidationError

CODE_HINT = "The 6-digit code your authenticator app shows now"
MESSAGES = {
    # allauth's error codes -> what a person should do next.
    "username_password_mismatch": "Enter a correct username and password",
    "too_many_login_attempts": "Too many sign-ins have failed from your network. Wait a few minutes, then try again",
    "incorrect_password": "Enter your current password correctly",
    "incorrect_code": "Enter a correct code from your authenticator app, or an unused recovery code",
    "rate_limited": "You have entered too many codes. Wait a few minutes, then try again",
    "cannot_delete_authenticator": "You cannot turn off the authenticator app for this account",
}


def govuk_error(error: ValidationError) -> ValidationError:
    """The same error, reworded when allauth raised it with a code we have words for."""
    if getattr(error, "code", None) in MESSAGES:
        return ValidationError(MESSAGES[error.code], code=error.code)
    return error


def _plain_text_box(field, *, label: str, required_message: str, autocomplete: str) -> None:
    field.label = label
    field.help_text = ""
    field.error_messages["required"] = required_message
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs["autocomplete"] = autocomplete


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_text_box(
            self.fields["login"], label="Username", required_message="Enter your username", autocomplete="username"
        )
        _plain_text_box(
            self.fields["password"],
            label="Password",
            required_message="Enter your password",
            autocomplete="current-password",
        )

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # Shown against the username box, so the error summary can link to it.
            self.add_error("login", govuk_error(error))
            return self.cleaned_data


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_text_box(
            self.fields["password"],
            label="Password",
            required_message="Enter your password",
            autocomplete="current-password",
        )

    def clean_password(self):
        try:
            return super().clean_password()
        except ValidationError as error:
            raise govuk_error(error) from None


class _CodeFormMixin:
    code_label = "Code from your authenticator app"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_text_box(
            self.fields["code"],
            label=self.code_label,
            required_message="Enter the code from your authenticator app",
            autocomplete="one-time-code",
        )

    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError as error:
            raise govuk_error(error) from None


class AuthenticateForm(_CodeFormMixin, mfa_forms.AuthenticateForm):
    """The code asked for at sign-in, after the password."""


class MfaReauthenticateForm(_CodeFormMixin, mfa_forms.ReauthenticateForm):
    """The code asked for again before changing sign-in security."""


class ActivateTOTPForm(_CodeFormMixin, totp_forms.ActivateTOTPForm):
    """Setting up an authenticator app: the first code proves the app was set up correctly."""


class DeactivateTOTPForm(totp_forms.DeactivateTOTPForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            raise govuk_error(error) from None


class ResetPasswordForm(account_forms.ResetPasswordForm):
    """Asking for a link to choose a new password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_text_box(self.fields["email"], label="Email address", required_message="Enter your email address",
                        autocomplete="email")
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.gov.uk")


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    """Choosing a new password from the emailed link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_text_box(self.fields["password1"], label="New password", required_message="Enter a new password",
                        autocomplete="new-password")
        self.fields["password1"].help_text = "At least 12 characters, not a common password, not only numbers."
        _plain_text_box(self.fields["password2"], label="Confirm your new password",
                        required_message="Enter your new password again", autocomplete="new-password")
