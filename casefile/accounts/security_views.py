"""Sign-in security: administrators' pages for authenticator set-up links and sign-in pauses, and the page a
set-up link opens (ADR 0019)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts import lockout, services
from casefile.accounts.models import TwoFactorEnrolment, User
from casefile.core.forms import save_or_show
from casefile.core.methods import allow_methods


def _administrators_only(request) -> None:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied("Only an administrator can manage sign-in security")


class EnrolmentLinkForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Who is the link for?",
        error_messages={"required": "Select who the link is for", "invalid_choice": "Select who the link is for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from allauth.mfa.models import Authenticator

        with_app = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(pk__in=with_app).order_by(
            "first_name", "last_name", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user} ({user.username})"


@allow_methods("GET", "POST")
def enrolment_links(request):
    """Issue a one-time link to set up an authenticator app; the link is shown once, here."""
    _administrators_only(request)
    form = EnrolmentLinkForm(request.POST or None)
    token = save_or_show(request, form, lambda data: services.issue_enrolment_link(
        request.user, data["user"], request=request))
    link = request.build_absolute_uri(reverse("accounts:enrol", args=[token])) if token else None
    if token:
        form = EnrolmentLinkForm()
    return render(request, "accounts/enrolment_links.html", {
        "form": form, "link": link, "lifetime_hours": int(services.ENROLMENT_LINK_LIFETIME.total_seconds() // 3600),
        "recent": TwoFactorEnrolment.objects.select_related("user", "issued_by")[:20], "now": timezone.now(),
    })


@allow_methods("GET")
def enrol(request, token: str):
    """The link a person was given: once it is checked, the authenticator set-up page opens for them."""
    enrolment = services.usable_enrolment(token)
    if enrolment is None or enrolment.user_id != request.user.pk:
        return render(request, "accounts/enrolment_refused.html", {"used_by_someone_else": enrolment is not None},
                      status=404)
    request.session[services.ENROLMENT_SESSION_KEY] = enrolment.pk
    return redirect("mfa_activate_totp")


@allow_methods("GET", "POST")
def sign_in_pauses(request):
    """Who may not sign in from where, and for how long; an administrator can lift a pause."""
    _administrators_only(request)
    if request.method == "POST":
        address = request.POST.get("address", "")
        if address:
            services.lift_pause(request.user, address=address, username=request.POST.get("username", ""),
                                request=request)
        return redirect("accounts:sign_in_pauses")
    return render(request, "accounts/sign_in_pauses.html", {"pauses": lockout.current_pauses(), "limits": settings})
