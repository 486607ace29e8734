"""The Jinja2 environment: GOV.UK Frontend macros, Django's url/static, and Casefile's filters."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, PrefixLoader

from casefile.core import presenters
from casefile.core.forms import form_guard


def url(name: str, *args, **kwargs) -> str:
    """Django's reverse(), remembered for plain ids and names: a page asks for the same few links tens of times
    (each row's link, the header's), and reverse() matches and quotes its pattern anew every time."""
    values = (*args, *kwargs.values())
    if all(type(value) in (int, str) for value in values):
        return _reverse(name, args, tuple(kwargs.items()), get_script_prefix(),
                        get_urlconf() or settings.ROOT_URLCONF)
    return reverse(name, args=args or None, kwargs=kwargs or None)


@functools.lru_cache(maxsize=4096)
def _reverse(name: str, args: tuple, kwargs: tuple, prefix: str, urlconf) -> str:
    # The prefix and urlconf are part of the key: reverse() reads them from the request's thread and settings.
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)


def sign_in_providers(request) -> list[dict]:
    """Single sign-on providers configured for this council (none unless OIDC settings are given)."""
    from allauth.socialaccount.adapter import get_adapter

    return [
        {"name": provider.name, "url": provider.get_login_url(request, process="login")}
        for provider in get_adapter().list_providers(request)
    ]


def totp_required() -> bool:
    return settings.CASEFILE_REQUIRE_TOTP


def environment(**options) -> Environment:
    # Keep Django's app and project template folders, and add the GOV.UK macros under their own prefix.
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
        ]
    )
    options.setdefault("undefined", ChainableUndefined)
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 (autoescape is on, set just above)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "today": timezone.localdate,
            "govuk_form_field": presenters.form_field_params,
            "govuk_error_summary_items": presenters.error_summary_items,
            "form_guard": form_guard,
            "service_navigation": presenters.service_navigation,
            "govuk_table": presenters.table_params,
            "pagination_params": presenters.pagination_params,
            "showing": presenters.showing,
            "plural": presenters.plural,
            "sign_in_providers": sign_in_providers,
            "totp_required": totp_required,
        }
    )
    env.filters.update(
        {
            "govuk_date": presenters.govuk_date,
            "govuk_datetime": presenters.govuk_datetime,
            "nhs_number": presenters.nhs_number,
            "or_missing": presenters.or_missing,
            "counted": presenters.counted,
            "yes_no": presenters.yes_no,
            "possessive": presenters.possessive,
            "called": presenters.called,
        }
    )
    return env


__all__ = ["environment", "url", "datetime"]
