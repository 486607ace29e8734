"""GovukDateField reads day, month and year boxes and says exactly what is wrong."""

import datetime

import pytest
import time_machine
from django import forms

from casefile.core.forms import GovukDateField


class PersonForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", not_in_future=True)


class VisitForm(forms.Form):
    visit_date = GovukDateField(required=False, not_in_past=True)


def errors_for(day, month, year, form_class=PersonForm, name="date_of_birth"):
    form = form_class(data={f"{name}_day": day, f"{name}_month": month, f"{name}_year": year})
    form.is_valid()
    return form.errors.get(name, [])


def test_it_reads_a_real_date():
    form = PersonForm(data={"date_of_birth_day": " 9 ", "date_of_birth_month": "03", "date_of_birth_year": "2015"})
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == datetime.date(2015, 3, 9)


@pytest.mark.parametrize("month", ["March", "mar", "MAR", "3"])
def test_it_accepts_month_names(month):
    form = PersonForm(data={"date_of_birth_day": "9", "date_of_birth_month": month, "date_of_birth_year": "2015"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"].month == 3


def test_it_asks_for_the_date_when_nothing_is_entered():
    assert errors_for("", "", "") == ["Enter date of birth"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("9", "3", "", "Date of birth must include a year"),
        ("", "3", "2015", "Date of birth must include a day"),
        ("", "", "2015", "Date of birth must include a day and month"),
        ("31", "2", "2015", "Date of birth must be a real date"),
        ("9", "13", "2015", "Date of birth must be a real date"),
        ("nine", "3", "2015", "Date of birth must be a real date"),
        ("9", "3", "15", "The year of date of birth must include 4 numbers"),
    ],
)
def test_it_explains_an_incomplete_or_impossible_date(day, month, year, message):
    assert errors_for(day, month, year) == [message]


def test_it_names_the_boxes_at_fault():
    form = PersonForm(data={"date_of_birth_day": "", "date_of_birth_month": "3", "date_of_birth_year": ""})
    form.is_valid()
    [error] = form.errors.as_data()["date_of_birth"]
    assert error.params == {"parts": ["day", "year"]}


@time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC))
def test_it_refuses_a_date_of_birth_in_the_future():
    assert errors_for("2", "6", "2024") == ["Date of birth must be today or in the past"]
    assert errors_for("1", "6", "2024") == []


@time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC))
def test_it_refuses_a_past_date_when_asked_and_uses_the_field_name_without_a_label():
    assert errors_for("31", "5", "2024", VisitForm, "visit_date") == ["Visit date must be today or in the future"]
    assert errors_for("", "", "", VisitForm, "visit_date") == []


def test_an_optional_empty_date_is_none():
    form = VisitForm(data={})
    assert form.is_valid()
    assert form.cleaned_data["visit_date"] is None


def test_it_notices_when_a_date_changes():
    initial = {"date_of_birth": datetime.date(2015, 3, 9)}
    same = PersonForm(
        initial=initial, data={"date_of_birth_day": "9", "date_of_birth_month": "3", "date_of_birth_year": "2015"}
    )
    different = PersonForm(
        initial=initial, data={"date_of_birth_day": "10", "date_of_birth_month": "3", "date_of_birth_year": "2015"}
    )
    assert same.has_changed() is False
    assert different.has_changed() is True
