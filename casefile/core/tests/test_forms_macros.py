"""The form helpers render Django forms as GOV.UK Frontend markup, with errors and values kept."""

import datetime
import re

import pytest
from django import forms
from django.template import engines

from casefile.core.forms import GovukDateField


class ReferralForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on their birth certificate")
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Age", required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    summary = forms.CharField(label="Summary of concerns", widget=forms.Textarea)
    source = forms.ChoiceField(label="Source", choices=[("", "---------"), ("police", "Police"), ("school", "School")])
    urgency = forms.ChoiceField(
        label="How urgent is it?", widget=forms.RadioSelect, choices=[("low", "Low"), ("high", "High")]
    )
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        widget=forms.CheckboxSelectMultiple,
        choices=[("neglect", "Neglect"), ("physical", "Physical abuse"), ("emotional", "Emotional abuse")],
    )
    consent = forms.BooleanField(label="The family agreed to the referral", required=False)
    date_of_birth = GovukDateField(label="Date of birth", not_in_future=True)

    def clean(self):
        if self.cleaned_data.get("source") == "police" and not self.cleaned_data.get("consent"):
            raise forms.ValidationError("A police referral needs the family's agreement recorded")


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def render_form(form) -> str:
    return render(
        '{% from "components/forms.html" import error_summary, form_field %}'
        "{{ error_summary(form) }}{% for field in form %}{{ form_field(field) }}{% endfor %}",
        form=form,
    )


def anchors(html: str) -> dict[str, str]:
    return {href: " ".join(text.split()) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)}


INVALID = {
    "name": "",
    "email": "not-an-email",
    "age": "twelve",
    "summary": "Bruising seen at school <b>twice</b>",
    "source": "police",
    "urgency": "high",
    "concerns": ["neglect", "emotional"],
    "date_of_birth_day": "31",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2019",
}


def test_error_summary_links_every_field_error_to_its_input():
    html = render_form(ReferralForm(data=INVALID))

    assert "There is a problem" in html
    links = anchors(html)
    assert links["#id_name"] == "Enter full name"
    assert links["#id_email"] == "Enter a valid email address."
    assert links["#id_age"] == "Enter a whole number."
    assert links["#id_date_of_birth_day"] == "Date of birth must be a real date"
    assert "A police referral needs the family&#39;s agreement recorded" in html


def test_error_summary_links_a_date_to_the_first_box_at_fault():
    html = render_form(ReferralForm(data={**INVALID, "date_of_birth_day": "3", "date_of_birth_year": ""}))

    assert anchors(html)["#id_date_of_birth_year"] == "Date of birth must include a year"
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-4 govuk-input--error"' in html
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-2" id="id_date_of_birth_day"' in html


def test_a_valid_form_shows_no_error_summary():
    form = ReferralForm(
        data={**INVALID, "name": "Lily", "email": "", "age": "", "source": "school", "date_of_birth_day": "28"}
    )
    assert form.is_valid(), form.errors
    html = render_form(form)
    assert "There is a problem" not in html
    assert "govuk-form-group--error" not in html


def test_fields_in_error_are_marked_and_entered_values_are_kept():
    html = render_form(ReferralForm(data=INVALID))

    assert re.search(r'<input\s+class="govuk-input govuk-input--error" id="id_name" name="name" type="text"', html)
    assert 'id="id_name-error"' in html
    assert 'value="not-an-email"' in html and 'type="email"' in html
    assert 'value="twelve"' in html and 'inputmode="numeric"' in html
    # Textarea content is escaped, never rendered as markup.
    assert "Bruising seen at school &lt;b&gt;twice&lt;/b&gt;</textarea>" in html
    assert re.search(r'<option value="police"\s+selected>Police</option>', html)
    assert re.search(r'id="id_urgency-2" name="urgency" type="radio" value="high"\s+checked', html)
    assert re.search(r'id="id_concerns" name="concerns" type="checkbox" value="neglect"\s+checked', html)
    assert re.search(r'id="id_concerns-2" name="concerns" type="checkbox" value="physical"\s*>', html)
    assert re.search(r'id="id_concerns-3" name="concerns" type="checkbox" value="emotional"\s+checked', html)
    for part, value in (("day", "31"), ("month", "2"), ("year", "2019")):
        assert re.search(rf'id="id_date_of_birth_{part}" name="date_of_birth_{part}" type="text" value="{value}"', html)


def test_labels_hints_legends_and_widgets_match_the_govuk_components():
    html = render_form(ReferralForm())

    assert '<label class="govuk-label" for="id_name">' in html
    assert '<div id="id_name-hint" class="govuk-hint">' in html and "As on their birth certificate" in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "govuk-password-input" in html and 'autocomplete="current-password"' in html
    assert '<textarea class="govuk-textarea" id="id_summary" name="summary" rows="5"' in html
    assert '<select class="govuk-select" id="id_source" name="source"' in html
    assert '<option value="">Select an option</option>' in html
    assert re.search(r'<legend class="govuk-fieldset__legend">\s*How urgent is it\?', html)
    assert 'class="govuk-checkboxes__input" id="id_consent" name="consent" type="checkbox" value="true"' in html
    assert 'class="govuk-date-input" id="id_date_of_birth"' in html
    assert 'role="group"' in html
    # No Django widget markup leaks through.
    assert "---------" not in html
    assert " required" not in html


def test_options_override_label_hint_and_classes():
    form = ReferralForm()
    html = render(
        '{% from "components/forms.html" import form_field %}'
        '{{ form_field(form["name"], label="What is the child\'s name?", is_page_heading=True, '
        'hint="Leave out titles", classes="govuk-input--width-20", autocomplete="off") }}',
        form=form,
    )
    assert re.search(
        r'<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="id_name">', html
    )
    assert "What is the child&#39;s name?" in html
    assert "Leave out titles" in html and "As on their birth certificate" not in html
    assert 'class="govuk-input govuk-input--width-20"' in html
    assert 'autocomplete="off"' in html


def test_a_single_checkbox_keeps_its_ticked_state():
    form = ReferralForm(data={**INVALID, "consent": "true"})
    html = render_form(form)
    assert re.search(r'id="id_consent" name="consent" type="checkbox" value="true"\s+checked', html)
    assert form.is_valid() is False
    assert form.cleaned_data["consent"] is True


def test_an_unbound_form_shows_initial_dates_in_the_boxes():
    form = ReferralForm(initial={"date_of_birth": datetime.date(2015, 3, 9)})
    html = render_form(form)
    assert 'id="id_date_of_birth_day" name="date_of_birth_day" type="text" value="9"' in html
    assert 'id="id_date_of_birth_year" name="date_of_birth_year" type="text" value="2015"' in html


@pytest.mark.parametrize(
    "field",
    ["name", "email", "age", "password", "summary", "source", "urgency", "concerns", "consent", "date_of_birth"],
)
def test_every_field_renders_in_one_form_group(field):
    html = render(
        '{% from "components/forms.html" import form_field %}{{ form_field(form[f]) }}', form=ReferralForm(), f=field
    )
    assert html.strip().startswith('<div class="govuk-form-group')
