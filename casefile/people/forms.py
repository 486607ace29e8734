"""Forms for people. They turn what was typed into values; the services decide what is allowed and say why."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from casefile.core.forms import GovukDateField
from casefile.people.models import Alias, Relationship
from casefile.rules import codes
from casefile.rules.identifiers import InvalidIdentifier, validate_nhs_number, validate_postcode

NOT_RECORDED = ("", "Not recorded")
YES_NO_UNKNOWN = {"yes": True, "no": False, "unknown": None}


class CodeChoiceField(forms.ChoiceField):
    """A choice whose value the service checks, so an unknown code gets the service's message."""

    def validate(self, value):
        forms.Field.validate(self, value)


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        forms.Field.validate(self, value)


class YesNoUnknownField(forms.TypedChoiceField):
    """Yes, no or not known, kept as True, False or None: an unanswered question is not a no."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known")],
                         coerce=YES_NO_UNKNOWN.get, empty_value=None, required=False, **kwargs)

    def prepare_value(self, value):
        if value is True or value is False or value is None:
            return {True: "yes", False: "no", None: ""}[value]
        return value


class PersonForm(forms.Form):
    kind = CodeChoiceField(label="Is this a child or an adult?", widget=forms.RadioSelect, required=False,
                           choices=[("child", "Child"), ("adult", "Adult")])
    first_name = forms.CharField(label="Legal first name", required=False,
                                 help_text="For an unborn child, enter ‘Unborn’")
    middle_names = forms.CharField(label="Legal middle names (optional)", required=False)
    last_name = forms.CharField(label="Legal last name", required=False)
    known_as = forms.CharField(label="Known as (optional)", required=False,
                               help_text="The name they use, if it is not their legal first name")
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    expected_date_of_birth = GovukDateField(label="Expected date of birth", required=False,
                                            help_text="Only for an unborn child. For example, 27 3 2027")
    sex = CodeChoiceField(label="Sex", required=False, widget=forms.RadioSelect, choices=list(codes.SEX.items()),
                          help_text="As recorded at birth. Leave unanswered if not known")
    gender_identity = forms.CharField(label="Gender identity (optional)", required=False,
                                      help_text="In their own words, if they have told you")
    ethnicity = CodeChoiceField(label="Ethnicity", required=False,
                                choices=[NOT_RECORDED, *codes.choices(codes.ETHNICITY)])
    religion = forms.CharField(label="Religion (optional)", required=False)
    first_language = forms.CharField(label="First language (optional)", required=False)
    interpreter_needed = YesNoUnknownField(label="Do they need an interpreter?")
    nhs_number = forms.CharField(label="NHS number (optional)", required=False,
                                 help_text="10 digits, for example 943 476 5919")
    upn = forms.CharField(label="Unique pupil number (UPN) (optional)", required=False,
                          help_text="13 characters, for example A123456789012")
    upn_unknown_reason = CodeChoiceField(label="If the UPN is not known, why not?", required=False,
                                         choices=[NOT_RECORDED, *codes.choices(codes.UPN_UNKNOWN)])

    def identity(self) -> dict:
        """The cleaned values the people services take, by field name."""
        return {name: self.cleaned_data[name] for name in self.fields if name in IDENTITY_FORM_FIELDS}


IDENTITY_FORM_FIELDS = (
    "kind", "first_name", "middle_names", "last_name", "known_as", "date_of_birth", "expected_date_of_birth",
    "sex", "gender_identity", "ethnicity", "religion", "first_language", "interpreter_needed", "nhs_number",
    "upn", "upn_unknown_reason", "date_of_death",
)
ADDRESS_FORM_FIELDS = ("line_1", "line_2", "town", "postcode")


class NewPersonForm(PersonForm):
    """A new person, with their disabilities and current address, which matching also uses."""

    disabilities = CodeMultipleChoiceField(
        label="Disabilities (optional)", required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.DISABILITY), help_text="Leave all unticked if not known",
    )
    # The address as a whole is optional; an address given needs its first line and postcode to find the home
    # (people/services.py), so those two are labelled as needed and the page says so before it is sent.
    line_1 = forms.CharField(label="Address line 1", required=False)
    line_2 = forms.CharField(label="Address line 2 (optional)", required=False)
    town = forms.CharField(label="Town or city (optional)", required=False)
    postcode = forms.CharField(label="Postcode", required=False)

    def address(self) -> dict | None:
        values = {name: self.cleaned_data[name] for name in ADDRESS_FORM_FIELDS}
        return values if any(values.values()) else None


class EditPersonForm(PersonForm):
    date_of_death = GovukDateField(label="Date of death (if they have died)", required=False)


class AliasForm(forms.Form):
    kind = CodeChoiceField(label="What kind of name is it?", widget=forms.RadioSelect, required=False,
                           choices=Alias.Kind.choices)
    first_name = forms.CharField(label="First name", required=False)
    last_name = forms.CharField(label="Last name", required=False)


class AddressForm(forms.Form):
    line_1 = forms.CharField(label="Address line 1", required=False)
    line_2 = forms.CharField(label="Address line 2 (optional)", required=False)
    town = forms.CharField(label="Town or city (optional)", required=False)
    postcode = forms.CharField(label="Postcode", required=False)
    start_date = GovukDateField(label="Date they moved in (optional)", required=False)
    end_date = GovukDateField(label="Date they moved out (if they no longer live there)", required=False)


class DisabilitiesForm(forms.Form):
    disabilities = CodeMultipleChoiceField(
        label="Disabilities", required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.DISABILITY),
        help_text="Select all that apply. Select ‘No disability’ only if you know they have none; "
                  "leave all unticked if not known",
    )


class PersonPickerField(forms.TypedChoiceField):
    """A person chosen from search results. The view checks the chosen id against what the user may see."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(coerce=int, choices=[], **kwargs)

    def validate(self, value):
        forms.Field.validate(self, value)

    def to_python(self, value):
        value = super().to_python(value)
        if value and not str(value).isdigit():
            raise ValidationError(self.error_messages["required"], code="required")
        return value


class RelationshipForm(forms.Form):
    relative = PersonPickerField(label="Who are they related to?",
                                 error_messages={"required": "Choose the person they are related to"})
    kind = CodeChoiceField(label="Relationship", required=False,
                           choices=[("", "Choose a relationship"), *Relationship.Kind.choices])
    direction = forms.ChoiceField(
        label="Which way round?", widget=forms.RadioSelect,
        choices=[("theirs", "The person chosen is this person’s parent, carer, sibling and so on"),
                 ("ours", "This person is the chosen person’s parent, carer, sibling and so on")],
        error_messages={"required": "Select which way round the relationship is"},
    )
    parental_responsibility = YesNoUnknownField(label="Does the parent or carer have parental responsibility?")
    start_date = GovukDateField(label="Since when (optional)", required=False)


class HouseholdForm(forms.Form):
    household = forms.TypedChoiceField(
        label="Household", required=False, coerce=int, empty_value=None, choices=[],
        error_messages={"invalid_choice": "Choose a household from the list, or a new household"},
    )
    name = forms.CharField(label="Name of a new household", required=False,
                           help_text="Only if you chose a new household: a name staff recognise, such as the "
                                     "family surname")
    start_date = GovukDateField(label="Since when (optional)", required=False)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "A new household"), *((h.pk, h.name) for h in households)]


class MergeForm(forms.Form):
    merged = PersonPickerField(label="Which record is a duplicate of this one?",
                               error_messages={"required": "Choose the record to merge into this one"})
    reason = forms.CharField(label="Why are they the same person?", widget=forms.Textarea, required=False)


class UnmergeForm(forms.Form):
    merged = PersonPickerField(label="Which record should be separated again?",
                               error_messages={"required": "Choose the record to separate"})
    reason = forms.CharField(label="Why are they not the same person?", widget=forms.Textarea, required=False)


class SearchForm(forms.Form):
    name = forms.CharField(label="Name", required=False, help_text="First and last name, or just the last name")
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False)
    postcode = forms.CharField(label="Postcode", required=False, help_text="Current or past address")

    def clean_nhs_number(self):
        return _identifier(self.cleaned_data["nhs_number"], validate_nhs_number)

    def clean_postcode(self):
        return _identifier(self.cleaned_data["postcode"], validate_postcode)

    def clean(self):
        if not any(self.cleaned_data.get(name) for name in self.fields) and not self.errors:
            raise ValidationError("Enter a name, date of birth, NHS number or postcode to search for")
        return self.cleaned_data


def _identifier(value: str, validate) -> str:
    if not value:
        return ""
    try:
        return validate(value)
    except InvalidIdentifier as problem:
        raise ValidationError(str(problem)) from None
