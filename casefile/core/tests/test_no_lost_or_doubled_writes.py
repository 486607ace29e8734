"""No lost or doubled writes (ADR 0016), with two real signed-in sessions, as two people in two browsers.

Both open the same edit form; the first saves; the second is refused, with their answers kept, who changed the
record and when, and what changed. A create form sent twice saves once and leads where the first led. Run on
SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casefile.casework.models import CaseNote, Visit
from casefile.casework.testing import make_journey
from casefile.core.forms import SUBMISSION_FIELD, VERSION_FIELD
from casefile.core.models import SubmissionToken
from casefile.frontdoor.models import Contact
from casefile.people.models import Person


class _Forms(HTMLParser):
    """The post forms on a page, with what a browser would send from each: typed values, ticked boxes, chosen
    options and textareas."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "data": {}})
        if not self.forms:
            return
        data = self.forms[-1]["data"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["data"][self._textarea] += data.removeprefix("\n")


class Browser:
    """One person signed in in their own browser session."""

    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def open(self, url: str) -> dict:
        """The page's form (the one that carries a submission token), as the browser holds it."""
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return self.form_on(response, url)

    @staticmethod
    def form_on(response, url: str) -> dict:
        parser = _Forms()
        parser.feed(response.content.decode())
        form = next(f for f in parser.forms if SUBMISSION_FIELD in f["data"])
        form["action"] = form["action"] or url
        return form

    def send(self, form: dict, **changes):
        return self.client.post(form["action"], {**form["data"], **changes})


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _second_writer_is_refused(url: str, first, second, first_change: dict, second_change: dict):
    """Both open the form; the first saves; the second is shown the form again: nothing of theirs saved, their
    answers kept, and who changed what. Then, having seen it, they save again and it is kept."""
    first_form, second_form = first.open(url), second.open(url)
    assert VERSION_FIELD in first_form["data"]
    assert first.send(first_form, **first_change).status_code == 302
    refused = second.send(second_form, **second_change)
    page = refused.content.decode()
    assert refused.status_code == 200, "the second save went through: the first person's change is lost"
    assert "There is a problem" in page and "Sam Worker changed these details on" in page
    assert "What changed since you opened this page" in page and "Now, saved by Sam Worker" in page
    again = second.form_on(refused, url)
    for name, value in second_change.items():
        assert again["data"][name] == value, f"{name}: the second person's answer was not kept"
    assert again["data"][VERSION_FIELD] != second_form["data"][VERSION_FIELD]
    return page, again


def test_person_details_second_writer_sees_the_change_and_loses_nothing(org, child):
    url = _url("people:edit", person_id=child.pk)
    sam, tess = Browser(org.sam), Browser(org.tess)
    page, again = _second_writer_is_refused(url, sam, tess, {"known_as": "Lil"}, {"middle_names": "Rose"})
    child.refresh_from_db()
    assert child.known_as == "Lil" and child.middle_names == ""  # the first kept, the second not yet saved
    assert "Known as" in page and "Lil" in page
    assert tess.send(again).status_code == 302  # having seen the change, Tess saves again
    child.refresh_from_db()
    assert child.middle_names == "Rose"


def test_case_note_second_writer_is_refused(org, child, journey):
    note = journey.case_note
    url = _url("casework:change_case_note", person_id=child.pk, case_note_id=note.pk)
    sam, tess = Browser(org.sam), Browser(org.tess)
    page, _ = _second_writer_is_refused(url, sam, tess, {"body": "Seen at home with mum."},
                                        {"subject": "Visit by the manager"})
    note.refresh_from_db()
    assert note.body == "Seen at home with mum." and note.subject != "Visit by the manager"
    assert "Seen at home with mum." in page  # the body as Sam saved it, in the table of changes


def test_plan_action_second_writer_is_refused(org, child, journey):
    action = journey.plan_action
    url = _url("casework:change_action", person_id=child.pk, plan_id=journey.plan.pk, action_id=action.pk)
    sam, tess = Browser(org.sam), Browser(org.tess)
    _second_writer_is_refused(url, sam, tess, {"owner": "Health visitor"}, {"measure": "Weekly weigh-ins"})
    action.refresh_from_db()
    assert action.owner == "Health visitor" and action.measure != "Weekly weigh-ins"


def test_contingency_second_writer_is_refused(org, child, journey):
    plan = journey.plan
    url = _url("casework:change_plan", person_id=child.pk, plan_id=plan.pk)
    sam, tess = Browser(org.sam), Browser(org.tess)
    first = "If mum misses two visits, the manager calls a strategy discussion the same day."
    page, _ = _second_writer_is_refused(url, sam, tess, {"contingency": first},
                                        {"contingency": "If school raises concerns, a visit within one day."})
    plan.refresh_from_db()
    assert plan.contingency == first
    assert "Contingency was changed by Sam Worker" in page  # on the box itself, linked from the summary


def test_an_unchanged_record_saves_at_once(org, child, journey):
    """The control: with nobody else saving in between, the version check refuses nothing."""
    note = journey.case_note
    sam = Browser(org.sam)
    form = sam.open(_url("casework:change_case_note", person_id=child.pk, case_note_id=note.pk))
    assert sam.send(form, body="Seen at home.").status_code == 302


# A repeated submission saves once -------------------------------------------------------------------------


def _sent_twice_saves_once(person: Browser, url: str, model, **answers):
    form = person.open(url)
    before = model.objects.count()
    first = person.send(form, **answers)
    assert first.status_code == 302, first.content.decode()[:3000]
    repeat = person.send(form, **answers)
    assert model.objects.count() == before + 1, "the same form sent twice saved twice"
    assert repeat.status_code == 302 and repeat["Location"] == first["Location"]
    assert SubmissionToken.objects.get(token=form["data"][SUBMISSION_FIELD]).redirect_to == first["Location"]
    return repeat


def test_a_case_note_sent_twice_saves_once(org, child):
    repeat = _sent_twice_saves_once(Browser(org.sam), _url("casework:add_case_note", person_id=child.pk), CaseNote,
                                    subject="Call from school", body="Attendance improving.")
    assert "You sent this form more than once. It has been saved once" in _follow(repeat)


def _follow(response) -> str:
    return response.client.get(response["Location"]).content.decode()


def test_a_visit_sent_twice_saves_once(org, child, journey):
    _sent_twice_saves_once(Browser(org.sam), _url("casework:record_visit", person_id=child.pk), Visit,
                           date_day="27", date_month="3", date_year="2024", kind="cp", child_seen="yes",
                           seen_alone="yes", childs_words="I like my new bed.", heard_how="talked")


def test_a_contact_sent_twice_saves_once(org, child):
    url = f"{reverse('frontdoor:contact_new')}?child={child.pk}&step=details"
    received = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    _sent_twice_saves_once(
        Browser(org.fran), url, Contact, received_date_day=received.day, received_date_month=received.month,
        received_date_year=received.year, received_time=f"{received:%H:%M}", source="2A", referrer_name="Ms Patel",
        referrer_role="DSL", referrer_organisation="Hillside Primary", summary="Bruising to her arm",
        consent_to_share="given", consent_to_assessment="given", rag="amber")


def test_a_refused_submission_keeps_its_token_for_the_corrected_one(org, child):
    """A form shown again with errors saved nothing, so sending it corrected is not a repeat."""
    sam = Browser(org.sam)
    form = sam.open(_url("casework:add_case_note", person_id=child.pk))
    assert sam.send(form, subject="", body="Attendance improving.").status_code == 200
    assert not SubmissionToken.objects.exists()
    assert sam.send(form, subject="Call from school", body="Attendance improving.").status_code == 302
    assert CaseNote.objects.filter(child=child).count() == 1


def test_each_opening_of_a_form_is_a_new_submission(org, child):
    """The control: two notes written on two openings of the form are two notes."""
    sam = Browser(org.sam)
    url = _url("casework:add_case_note", person_id=child.pk)
    for subject in ("Call from school", "Call from the GP"):
        assert sam.send(sam.open(url), subject=subject, body="Attendance improving.").status_code == 302
    assert CaseNote.objects.filter(child=child).count() == 2


def test_a_save_that_changed_nothing_meanwhile_is_no_conflict(org, child, journey):
    url = _url("casework:change_case_note", person_id=child.pk, case_note_id=journey.case_note.pk)
    sam, tess = Browser(org.sam), Browser(org.tess)
    sam_form, tess_form = sam.open(url), tess.open(url)
    assert sam.send(sam_form).status_code == 302  # saved as it was: a history row, but no field changed
    assert tess.send(tess_form, subject="Visit by the manager").status_code == 302


def test_someone_elses_token_is_not_their_repeat(org, child):
    """A token is the person's own: sent by another, nothing is redirected or saved, and a new one is issued."""
    url = _url("casework:add_case_note", person_id=child.pk)
    form = Browser(org.sam).open(url)
    assert Browser(org.sam).send(form, subject="Call from school", body="Attendance improving.").status_code == 302
    tess = Browser(org.tess)
    refused = tess.send(form, subject="Call from the GP", body="Registered.")
    assert refused.status_code == 200 and "This form has expired" in refused.content.decode()
    assert tess.form_on(refused, url)["data"][SUBMISSION_FIELD] != form["data"][SUBMISSION_FIELD]
    assert CaseNote.objects.filter(child=child).count() == 1


def test_a_further_question_leaves_the_token_for_the_answer(org, child):
    """Recording a person who may already be recorded asks first (nothing saved): the answer then saves once."""
    sam = Browser(org.sam)
    url = reverse("people:create")
    form = sam.open(url)
    born = child.date_of_birth
    question = sam.send(form, kind="child", first_name="Lily", last_name="Hartley", date_of_birth_day=born.day,
                        date_of_birth_month=born.month, date_of_birth_year=born.year, sex="F")
    assert question.status_code == 200 and "Check whether this person is already recorded" in question.content.decode()
    assert not SubmissionToken.objects.exists()
    answer = sam.form_on(question, url)
    assert answer["data"][SUBMISSION_FIELD] == form["data"][SUBMISSION_FIELD]  # carried with the other answers
    saved = sam.send(answer, decision="new")
    assert saved.status_code == 302
    assert sam.send(answer, decision="new")["Location"] == saved["Location"]
    assert Person.objects.filter(first_name="Lily", last_name="Hartley").count() == 2
