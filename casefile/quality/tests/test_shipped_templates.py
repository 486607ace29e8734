"""The data migration ships four audit tools, each grouped by the practice areas with questions in every section."""

import pytest

from casefile.quality.models import AuditQuestion, AuditTemplate, PracticeArea

pytestmark = pytest.mark.django_db


def test_four_tools_are_shipped_one_of_each_kind():
    kinds = sorted(AuditTemplate.objects.values_list("kind", flat=True))
    assert kinds == sorted(choice.value for choice in AuditTemplate.Kind)


def test_the_whole_file_audit_covers_every_practice_area_in_order():
    template = AuditTemplate.objects.get(kind=AuditTemplate.Kind.WHOLE_FILE)
    areas = list(template.sections.order_by("position").values_list("area", flat=True))
    assert areas == [area.value for area in PracticeArea]


def test_every_section_of_every_tool_asks_questions_in_plain_words():
    for template in AuditTemplate.objects.prefetch_related("sections__questions"):
        assert template.in_use and template.description
        for section in template.sections.all():
            questions = list(section.questions.all())
            assert questions, f"{template}: {section} has no questions"
            assert [q.position for q in questions] == list(range(1, len(questions) + 1))
            assert all(q.text.endswith("?") for q in questions), section


def test_the_themed_tool_is_about_neglect_and_the_supervision_tool_about_oversight():
    themed = AuditTemplate.objects.get(kind=AuditTemplate.Kind.THEMED)
    assert "neglect" in themed.name.lower()
    supervision = AuditTemplate.objects.get(kind=AuditTemplate.Kind.SUPERVISION)
    assert supervision.sections.order_by("position").first().area == PracticeArea.OVERSIGHT_AND_SUPERVISION
    assert AuditQuestion.objects.filter(section__template=supervision, text__icontains="supervision").count() >= 3
