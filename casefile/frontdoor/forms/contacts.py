"""Forms for recording a contact, changing its RAG rating and holder, and multi-agency checks.

They turn what was typed into values; services/contacts.py and services/checks.py decide what is allowed and
say why, so most fields are optional here and the service's message lands on the field.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casefile.access.policy import works_at_front_door
from casefile.accounts.models import User
from casefile.core.forms import GovukDateField
from casefile.frontdoor.models import CheckAgency, Consent, RagRating
from casefile.frontdoor.services.contacts import role_field
from casefile.people.forms import CodeChoiceField
from casefile.people.models import Household, Person
from casefile.rules import codes

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)
REASON_HINT = "Required if consent was not sought, or was overridden because of risk to the child"


def parse_time(text: str) -> datetime.time | None:
    """'14:30', '2:30pm', '9am' or '9.05' as a time; None if it is not one."""
    match = TIME_PATTERN.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _text(label: str, hint: str = "", *, rows: bool = False, **kwargs):
    widget = forms.Textarea if rows else forms.TextInput
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget, **kwargs)


def _moment(form: forms.Form, date_field: str, time_field: str) -> datetime.datetime | None:
    """A date box and a time box as one aware datetime, with any problem put on the box at fault."""
    day = form.cleaned_data.get(date_field)
    typed = (form.cleaned_data.get(time_field) or "").strip()
    moment = parse_time(typed) if typed else None
    if typed and moment is None:
        form.add_error(time_field, "Enter the time as hours and minutes, for example 14:30 or 2:30pm")
    elif not typed and day is not None:
        form.add_error(time_field, "Enter the time, for example 14:30")
    if day is None or moment is None:
        return None
    typed_at = datetime.datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())
    if _skipped_by_the_clocks(typed_at):
        form.add_error(time_field, f"{moment:%H:%M} did not happen on that day: the clocks went forward an hour. "
                                   "Enter the time shown on the clock then")
        return None
    return _latest_past(typed_at)


def _skipped_by_the_clocks(typed: datetime.datetime) -> bool:
    """In the hour the clocks go forward (01:00 to 01:59 in March) no clock shows the time: the instant it would
    be reads differently on the way back."""
    back = typed.astimezone(datetime.UTC).astimezone(typed.tzinfo)
    return back.replace(tzinfo=None) != typed.replace(tzinfo=None)


def _latest_past(typed: datetime.datetime) -> datetime.datetime:
    """When the clocks go back, 01:00 to 01:59 happens twice. Both boxes here record something that has already
    happened, so take the later one unless it is still to come: typed at 01:40 GMT, 01:38 is two minutes ago."""
    later = typed.replace(fold=1)
    if later.utcoffset() != typed.utcoffset() and later.astimezone(datetime.UTC) <= timezone.now():
        return later
    return typed


class FindPersonForm(forms.Form):
    """Step 1: find the children and adults the contact is about."""

    name = forms.CharField(label="Name", required=False, help_text="First and last name, or just the last name")
    date_of_birth = GovukDateField(label="Date of birth", required=False)

    def clean(self):
        if not self.errors and not (self.cleaned_data.get("name") or self.cleaned_data.get("date_of_birth")):
            raise ValidationError("Enter a name or a date of birth to search for")
        return self.cleaned_data


CONSENT_CHOICES = Consent.choices


class ContactForm(forms.Form):
    """Step 2: the details of the contact. One role box per adult is added for the adults chosen."""

    # The service checks one moment, received_at: its messages belong on the date box.
    service_fields = {"received_at": "received_date"}
    received_date = GovukDateField(label="Date received", required=False)
    received_time = forms.CharField(label="Time received", required=False, help_text="For example, 14:30 or 2:30pm")
    source = CodeChoiceField(label="Who made the contact?", required=False,
                             choices=[("", "Select the source"), *((key, f"{key}: {label}") for key, label
                                                                   in codes.REFERRAL_SOURCE.items())],
                             help_text="The census referral source")
    referrer_name = _text("Referrer’s name", "Leave empty only for an anonymous or unknown referrer")
    referrer_role = _text("Referrer’s role (optional)", "Job title, or relationship to the child")
    referrer_organisation = _text("Referrer’s organisation (optional)")
    referrer_email = forms.EmailField(label="Referrer’s email address (optional)", required=False,
                                      error_messages={"invalid": "Enter an email address in the correct format, "
                                                                 "like name@example.com"})
    referrer_phone = _text("Referrer’s phone number (optional)")
    referrer_address = _text("Referrer’s postal address (optional)", "For the outcome letter when there is no "
                             "email address", rows=True)
    summary = _text("What the referrer is worried about", "In their words", rows=True)
    consent_to_share = CodeChoiceField(label="Consent to share information", required=False,
                                       widget=forms.RadioSelect, choices=CONSENT_CHOICES)
    consent_to_share_reason = _text("Why consent to share was not sought or was overridden", REASON_HINT,
                                    rows=True)
    consent_to_assessment = CodeChoiceField(label="Consent to an assessment", required=False,
                                            widget=forms.RadioSelect, choices=CONSENT_CHOICES)
    consent_to_assessment_reason = _text("Why consent to an assessment was not sought or was overridden",
                                         REASON_HINT, rows=True)
    household = forms.TypedChoiceField(label="Household (optional)", required=False, coerce=int, empty_value=None,
                                       help_text="The household the children live in, if it is recorded")
    rag = CodeChoiceField(label="RAG rating (optional)", required=False, widget=forms.RadioSelect,
                          choices=[*RagRating.choices, ("", "Not rated yet")],
                          help_text="Red: worked within 4 working hours; amber within 24; green within 72")

    def __init__(self, *args, adults: list[Person] = (), households: list[Household] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.adults = list(adults)
        self.households = {household.pk: household for household in households}
        self.fields["household"].choices = [("", "Not recorded"),
                                            *((household.pk, household.name) for household in households)]
        if not households:
            del self.fields["household"]
        for adult in self.adults:
            self.fields[role_field(adult)] = forms.CharField(
                label=f"How is {adult.full_name} involved?", required=False,
                help_text="For example ‘mother’, ‘victim’ or ‘alleged perpetrator’")

    def clean(self):
        self.cleaned_data["received_at"] = _moment(self, "received_date", "received_time")
        return self.cleaned_data

    def values(self) -> dict:
        """The service's arguments (without the children, which the page carries)."""
        data = self.cleaned_data
        names = ("source", "referrer_name", "referrer_role", "referrer_organisation", "referrer_email",
                 "referrer_phone", "referrer_address", "summary", "consent_to_share", "consent_to_share_reason",
                 "consent_to_assessment", "consent_to_assessment_reason", "rag")
        values = {name: data.get(name) or "" for name in names}
        values["received_at"] = data.get("received_at")
        values["household"] = self.households.get(data.get("household"))
        values["adults"] = [(adult, data.get(role_field(adult)) or "") for adult in self.adults]
        return values


class RagForm(forms.Form):
    rag = CodeChoiceField(label="RAG rating", required=False, widget=forms.RadioSelect, choices=RagRating.choices)
    reason = _text("Why it is changing", "Required when changing a rating already given", rows=True)


class FrontDoorStaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.role_label.lower()})"


def front_door_staff() -> list[User]:
    users = User.objects.filter(is_active=True).select_related("team").order_by("first_name", "last_name")
    return [user for user in users if works_at_front_door(user)]


class HolderForm(forms.Form):
    holder = forms.TypedChoiceField(label="Who has it", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, staff: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {user.pk: user for user in staff}
        self.fields["holder"].choices = [("", "Nobody: back to the front-door tray"),
                                         *((user.pk, f"{user} ({user.role_label.lower()})") for user in staff)]

    def chosen(self) -> User | None:
        return self.staff.get(self.cleaned_data.get("holder"))


class CheckForm(forms.Form):
    agency = CodeChoiceField(label="Agency", required=False, widget=forms.RadioSelect, choices=CheckAgency.choices)
    asked_of = _text("Who was asked", "The named person or team, for example ‘Health visiting team North’")
    question = _text("What was asked (optional)", rows=True)


class CheckResponseForm(forms.Form):
    response = _text("What the agency said", "Or that it holds no information", rows=True)
    service_fields = {"responded_at": "responded_date"}
    responded_date = GovukDateField(label="Date the agency answered", required=False)
    responded_time = forms.CharField(label="Time the agency answered", required=False,
                                     help_text="For example, 14:30 or 2:30pm")

    def clean(self):
        self.cleaned_data["responded_at"] = _moment(self, "responded_date", "responded_time")
        return self.cleaned_data
