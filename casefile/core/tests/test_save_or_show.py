"""save_or_show: the one way a page hands a form to a service. It returns what the service returned, puts a
refusal on the form (by field, never by the message's text), and does nothing on a GET or an invalid form."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from casefile.core.forms import SAVED, save_or_show

pytestmark = pytest.mark.django_db  # the save runs in a transaction, with the form's one-time token


class NoteForm(forms.Form):
    service_fields = {"written_at": "written_on"}
    text = forms.CharField()
    written_on = forms.CharField(required=False)


def post(data):
    return RequestFactory().post("/", data)


def refuse(errors):
    def save(data):
        raise ValidationError(errors)
    return save


def test_it_returns_what_the_service_returned():
    made = object()
    request = post({"text": "Seen at school"})
    seen = []
    assert save_or_show(request, NoteForm(request.POST), lambda data: seen.append(data) or made) is made
    assert seen == [{"text": "Seen at school", "written_on": ""}]


def test_a_service_returning_nothing_still_reads_as_saved():
    request = post({"text": "Seen at school"})
    result = save_or_show(request, NoteForm(request.POST), lambda data: None)
    assert result is SAVED
    assert result


def test_a_false_result_is_refused_rather_than_read_as_not_saved():
    request = post({"text": "Seen at school"})
    with pytest.raises(TypeError, match="reads as 'not saved'"):
        save_or_show(request, NoteForm(request.POST), lambda data: 0)


def test_a_get_never_calls_the_service():
    request = RequestFactory().get("/", {"text": "Seen at school"})
    calls = []
    assert save_or_show(request, NoteForm(request.GET), calls.append) is None
    assert calls == []


def test_an_invalid_form_never_calls_the_service():
    request = post({"text": ""})
    calls = []
    form = NoteForm(request.POST)
    assert save_or_show(request, form, calls.append) is None
    assert calls == []
    assert form.errors["text"] == ["This field is required."]


def test_a_refusal_goes_on_the_field_it_names():
    request = post({"text": "Seen at school"})
    form = NoteForm(request.POST)
    assert save_or_show(request, form, refuse({"text": ["Enter what was seen"]})) is None
    assert form.errors == {"text": ["Enter what was seen"]}


def test_a_service_field_shown_on_another_box_goes_on_that_box():
    request = post({"text": "Seen at school"})
    form = NoteForm(request.POST)
    save_or_show(request, form, refuse({"written_at": ["Enter when it was written"]}))
    assert form.errors == {"written_on": ["Enter when it was written"]}


def test_a_field_the_form_does_not_have_and_a_message_with_no_field_go_to_the_top():
    request = post({"text": "Seen at school"})
    form = NoteForm(request.POST)
    save_or_show(request, form, refuse({"episode": ["The episode is closed"]}))
    assert form.non_field_errors() == ["The episode is closed"]
    form = NoteForm(request.POST)
    save_or_show(request, form, refuse("The child's record has been merged"))
    assert form.non_field_errors() == ["The child's record has been merged"]
