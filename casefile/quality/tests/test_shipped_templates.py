"""The data migration ships four audit tools, each grouped by the practice areas with questions in every section."""

import pytest
from django.core.management import call_command

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


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_brings_the_tools_back_but_a_choice_to_remove_some_is_kept():
    # `flush` (run after every transactional test) empties every table, then signals post_migrate.
    call_command("flush", interactive=False, verbosity=0)
    assert AuditTemplate.objects.count() == 4 and AuditQuestion.objects.exists()
    AuditTemplate.objects.exclude(kind=AuditTemplate.Kind.WHOLE_FILE).delete()
    call_command("migrate", verbosity=0)
    assert list(AuditTemplate.objects.values_list("kind", flat=True)) == [AuditTemplate.Kind.WHOLE_FILE]
