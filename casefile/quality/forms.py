"""Forms for case file audits. They turn what was typed into values; quality/services.py decides what is allowed
and says why, so no box here is `required` (the service names each missing part, by field)."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField
from casefile.quality import sampling
from casefile.quality.services import answer_field, auditor_field, comment_field, grade_field
from casefile.rules import sampling as sampling_rules
from casefile.rules.audit_grades import ANSWERS, GRADES


def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea)


def _radios(label: str, choices, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, help_text=hint, choices=choices, required=False, widget=forms.RadioSelect)


class StartAuditForm(forms.Form):
    child = forms.CharField(label="The child’s Casefile number", required=False,
                            help_text="On the child’s record, under their name: for example, CF00000123")
    template = forms.TypedChoiceField(label="Audit tool", coerce=int, required=False, empty_value=None,
                                      widget=forms.RadioSelect)
    service_fields = {"child_reference": "child"}

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]
        self.descriptions = {t.pk: t.description for t in templates}


class AuditForm(forms.Form):
    """Every section of the tool: its grade, the comment, and an answer to each question; then the overall grade,
    what was found, and the child's and the family's feedback. Fields are named as the service names them."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        for section in sections:
            area = section.get_area_display()
            questions = []
            for question in section.questions.all():
                self.fields[answer_field(question.pk)] = _radios(question.text, ANSWERS)
                questions.append(answer_field(question.pk))
            self.fields[grade_field(section.pk)] = _radios(f"Grade for {area.lower()}", GRADES)
            self.fields[comment_field(section.pk)] = _text(
                f"Comment on {area.lower()}", "What is done well, what is not, and the difference it makes to the "
                                              "child")
            self.sections.append({"section": section, "title": area, "questions": questions,
                                  "grade": grade_field(section.pk), "comment": comment_field(section.pk)})
        self.fields["overall_grade"] = _radios("Overall grade", GRADES,
                                               "Your judgement of the work on the whole file")
        self.fields["summary"] = _text("What you found", "In a few sentences: the strengths, and what must improve")
        self.fields["childs_feedback"] = _text("The child’s feedback",
                                               "What the child told you about the help they get, in their words")
        self.fields["family_feedback"] = _text("The family’s feedback",
                                               "What the parents or carers told you about the help they get")

    def values(self, cleaned: dict) -> dict:
        """The service's arguments from what was typed."""
        grades, comments, answers = {}, {}, {}
        for part in self.sections:
            section = part["section"]
            grades[section.pk] = cleaned.get(part["grade"]) or ""
            comments[section.pk] = cleaned.get(part["comment"]) or ""
            for question in section.questions.all():
                answers[question.pk] = cleaned.get(answer_field(question.pk)) or ""
        return {"grades": grades, "comments": comments, "answers": answers,
                "overall_grade": cleaned.get("overall_grade") or "", "summary": cleaned.get("summary", ""),
                "childs_feedback": cleaned.get("childs_feedback", ""),
                "family_feedback": cleaned.get("family_feedback", "")}


class AuditActionForm(forms.Form):
    assignee = forms.TypedChoiceField(label="Who is it for?", coerce=int, required=False, empty_value=None,
                                      widget=forms.RadioSelect)
    description = _text("What must be done", "Start with what will be done, for example ‘Update the chronology and "
                                             "share it with the core group’")
    due_date = GovukDateField(label="Due by", required=False,
                              help_text="Four weeks after the audit was completed unless you change it. "
                                        "For example, 27 4 2026")

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(person.pk, person.get_full_name() or person.username)
                                           for person in assignees]


class CompleteActionForm(forms.Form):
    completed_on = GovukDateField(label="When was it done?", required=False, help_text="For example, 27 4 2026")
    note = _text("What was done", "What changed for the child, and where on the record it can be seen")


def _choices(rows, blank: str) -> list[tuple]:
    return [("", blank), *rows]


class DrawRoundForm(forms.Form):
    """A round of case file audits: its name, how the children are chosen and from which open cases, how many, the
    audit tool, when the audits are due, an optional seed and, for a multi-agency audit, the partner agency."""

    name = forms.CharField(label="Name of the round", required=False,
                           help_text="For example, ‘Child protection plans, spring’")
    method = forms.ChoiceField(label="How to choose the children", choices=sampling_rules.METHODS, required=False,
                               widget=forms.RadioSelect)
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    worker = forms.TypedChoiceField(label="Worker", coerce=int, required=False, empty_value=None)
    plan_type = forms.ChoiceField(label="Plan type", required=False,
                                  choices=_choices(sampling.PLAN_TYPES, "Any plan, or none"))
    age_band = forms.ChoiceField(label="Age band", required=False,
                                 choices=_choices([(code, label) for code, label, _, _ in sampling.AGE_BANDS],
                                                  "Any age"))
    size = forms.IntegerField(label="How many children", required=False,
                              error_messages={"invalid": "Enter how many children to sample as a whole number, "
                                                         "for example 10"})
    template = forms.TypedChoiceField(label="Audit tool", coerce=int, required=False, empty_value=None,
                                      widget=forms.RadioSelect)
    due_by = GovukDateField(label="Audits due by", required=False)
    seed = forms.IntegerField(label="Seed (optional)", required=False,
                              help_text="A whole number. The same seed draws the same children again from the same "
                                        "open cases; leave it empty and one is chosen and kept with the round",
                              error_messages={"invalid": "Enter the seed as a whole number, for example 4711"})
    partner_agency = forms.ChoiceField(label="Partner agency (for a multi-agency audit)", required=False)

    def __init__(self, *args, teams, workers, templates, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = _choices([(team.pk, team.name) for team in teams], "Any team")
        self.fields["worker"].choices = _choices(
            [(worker.pk, worker.get_full_name() or worker.username) for worker in workers], "Any worker")
        self.fields["template"].choices = [(template.pk, template.name) for template in templates]
        self.fields["partner_agency"].choices = _choices(agencies, "None: the authority’s auditors only")


class AssignAuditorsForm(forms.Form):
    """An auditor for each child of the round, named as the service names them (auditor_<sampled child id>)."""

    def __init__(self, *args, children, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        options = _choices([(user.pk, user.get_full_name() or user.username) for user in auditors],
                           "Not assigned yet")
        for sampled in children:
            name = auditor_field(sampled.pk)
            label = f"Auditor for {sampled.child.full_name} ({sampled.child.reference})"
            self.fields[name] = forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None,
                                                       choices=options)
            self.rows.append(name)


class ConfirmForm(forms.Form):
    """A button and its guard, nothing to fill in: starting a sampled child's audit, closing a round."""
class ModerationForm(forms.Form):
    """The moderator's blind grades: every section's grade and comment, with no sight of the first auditor's, then
    their overall grade and what they found. Fields are named as the service names them."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        for section in sections:
            area = section.get_area_display()
            self.fields[grade_field(section.pk)] = _radios(f"Your grade for {area.lower()}", GRADES)
            self.fields[comment_field(section.pk)] = _text(f"Your comment on {area.lower()}",
                                                           "What you found on the file for this area")
            self.sections.append({"section": section, "title": area, "grade": grade_field(section.pk),
                                  "comment": comment_field(section.pk)})
        self.fields["overall_grade"] = _radios("Your overall grade", GRADES,
                                               "Your own judgement of the work on the whole file")
        self.fields["comment"] = _text("What you found", "In a few sentences: where you agree with the audit, and "
                                                         "where you do not")

    def values(self, cleaned: dict) -> dict:
        return {"grades": {part["section"].pk: cleaned.get(part["grade"]) or "" for part in self.sections},
                "comments": {part["section"].pk: cleaned.get(part["comment"]) or "" for part in self.sections},
                "overall_grade": cleaned.get("overall_grade") or "", "comment": cleaned.get("comment") or ""}


class ModerationOutcomeForm(forms.Form):
    OUTCOMES = (("agreed", "Grade agreed: the auditor’s overall grade stands"),
                ("grade_changed", "Grade changed: the auditor and I agreed another grade"))
    outcome = _radios("What was agreed with the auditor?", OUTCOMES)
    final_grade = _radios("The final grade agreed", GRADES, "Only when the grade changed")


class ReAuditForm(forms.Form):
    """Nothing to type: the re-audit uses the same tool for the same child."""


class StartModerationForm(forms.Form):
    """Nothing to type: the start button sends `blind`, saying the moderator grades before seeing the auditor's."""

    blind = forms.BooleanField(required=False)


class ThemePeriodForm(forms.Form):
    start = GovukDateField(label="From", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="To", required=False, help_text="For example, 31 3 2027")
