"""The diversity page, its children and the child population: who may open them, shares equal to the rules on the
same children, the missing-data rate beside each, queries that do not grow with the record, a CSV kept whole or not
at all, and the page saying how to enter the population when it has not been."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.audit.models import Action, AuditEvent
from casefile.insight.models import ChildPopulation
from casefile.insight.tests.test_clinic import YEAR, get, held, june, with_journey  # noqa: F401 (fixture)
from casefile.people.models import Disability

DIVERSITY, CHILDREN = reverse("insight:diversity"), reverse("insight:diversity_children")
POPULATION, UPLOAD = reverse("insight:population"), reverse("insight:population_upload")
SEE = {"tess", "simon", "hana", "mel", "quinn", "pat", "ada"}
HEADER = "characteristic,category,count,year,source\n"


def upload(client, user, text: str, name="population.csv"):
    client.force_login(user)
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")})


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_diversity_opens_for_managers_qa_and_analysts_never_partners(client, org, june, who):  # noqa: F811
    user = getattr(org, who)
    expected = 200 if who in SEE else 403
    assert get(client, user, DIVERSITY).status_code == expected
    assert get(client, user, CHILDREN, stage="referrals", characteristic="sex",
               missing="1").status_code == expected
    entering = 200 if who in {"pat", "ada"} else 403
    assert get(client, user, POPULATION).status_code == entering
    assert get(client, user, UPLOAD).status_code == entering


def test_without_a_population_the_page_says_so_and_how_to_enter_it(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley", sex="F", ethnicity="WBRI")
    html = unescape(get(client, org.pat, DIVERSITY, year=YEAR).content.decode())
    assert "The authority’s child population has not been entered" in html
    assert POPULATION in html and "characteristic, category, count, year, source" in html
    manager = unescape(get(client, org.tess, DIVERSITY, year=YEAR).content.decode())
    assert "A performance analyst or administrator enters it" in manager and POPULATION not in manager


def test_shares_and_missing_rates_equal_those_worked_by_hand(client, org, june):  # noqa: F811
    """Four children referred in 2023-24: two girls, a boy and one whose sex is not recorded; one disabled, one
    with no disability, two not recorded. Population: 600 girls and 400 boys."""
    lily = with_journey(org, org.sam, "Lily", "Hartley", sex="F", ethnicity="WBRI", religion="christian")
    with_journey(org, org.sam, "Ava", "Hartley", sex="F", ethnicity="APKN")
    tom = with_journey(org, org.sam, "Tom", "Hartley", sex="M", ethnicity="WBRI")
    with_journey(org, org.sam, "Kit", "Hartley", sex="", ethnicity="")
    Disability.objects.create(person=lily, code="MOB")
    Disability.objects.create(person=tom, code="NONE")
    assert upload(client, org.pat, HEADER + "sex,Female,600,2021,ONS Census 2021\n"
                                            "sex,Male,400,2021,ONS Census 2021\n").status_code == 302
    html = unescape(get(client, org.tess, DIVERSITY, year=YEAR).content.decode())
    table = html[html.index('id="diversity-table-sex-referrals"'):]
    table = table[:table.index("</table>")]
    # Girls: 2 of the 3 recorded (66.7%) against 60% of the population, a ratio of 1.11.
    assert "66.7%" in table and "60.0%" in table and "1.11" in table
    assert "33.3%" in table and "40.0%" in table and "0.83" in table
    text = re.sub(r"<[^>]+>", "", html)
    assert "Referrals: 4 children\nNot recorded: 1 of 4 (25.0%)" in re.sub(r"\n\s*", "\n", text[text.index(
        "Sex\n"):])
    assert "Not recorded: 2 of 4 (50.0%)" in re.sub(r"<[^>]+>", "", html[html.index(
        'id="missing-disability-referrals"'):])
    assert "Population: 2021, from ONS Census 2021" in html
    # Each count leads to its children: the girls referred, then those whose sex is not recorded.
    link = f"{CHILDREN}?year={YEAR}&stage=referrals&characteristic=sex&category=Female"
    assert link in html
    girls = unescape(get(client, org.tess, CHILDREN, year=YEAR, stage="referrals", characteristic="sex",
                         category="Female").content.decode())
    assert "Lily" in girls and "Ava" in girls and "Tom" not in girls
    assert AuditEvent.objects.filter(actor=org.tess).order_by("-pk").first().details["shown"]
    missing = unescape(get(client, org.tess, CHILDREN, year=YEAR, stage="referrals", characteristic="sex",
                           missing="1").content.decode())
    assert "Kit" in missing and "Lily" not in missing
    assert get(client, org.tess, CHILDREN, year=YEAR, stage="referrals", characteristic="sex",
               category="Other").status_code == 404
    assert get(client, org.tess, CHILDREN, year=YEAR, stage="looked_after", characteristic="sex",
               missing="1").status_code == 404


def _count(client, params: dict) -> int:
    client.get(DIVERSITY, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DIVERSITY, params).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_children(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley", sex="F")
    client.force_login(org.tess)
    before = _count(client, {"year": YEAR})
    for number in range(4):
        child = with_journey(org, org.sam, f"Child{number}", f"Family{number}", sex="M", religion="Sikh")
        Disability.objects.create(person=child, code="NONE")
    ChildPopulation.objects.create(characteristic="sex", category="Male", count=5, year=2021, source="ONS",
                                   entered_by=org.pat, entered_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    assert _count(client, {"year": YEAR}) == before


def test_a_file_with_a_bad_row_keeps_nothing_and_names_the_row_and_field(client, org, june):  # noqa: F811
    response = upload(client, org.pat, HEADER + "sex,Female,600,2021,ONS\nsex,Male,-4,2021,ONS\n"
                                                "religion,Hindu,lots,2021,ONS\n")
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html
    assert "Row 3, count: expected a whole number of children of 0 or more, got '-4'" in html
    assert "Row 4, count: expected a whole number" in html
    assert not ChildPopulation.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.IMPORT).exists()


def test_loading_the_same_file_again_changes_nothing(client, org, june):  # noqa: F811
    text = HEADER + "sex,Female,600,2021,ONS\nsex,Male,400,2021,ONS\n"
    upload(client, org.pat, text)
    first = list(ChildPopulation.objects.order_by("pk").values_list("pk", "count", "source"))
    upload(client, org.pat, text + "\n")
    assert list(ChildPopulation.objects.order_by("pk").values_list("pk", "count", "source")) == first
    imports = AuditEvent.objects.filter(action=Action.IMPORT).order_by("pk")
    assert [(e.details["created"], e.details["unchanged"]) for e in imports] == [(2, 0), (0, 2)]
    # A corrected figure replaces the one for the same category and year.
    upload(client, org.pat, HEADER + "sex,Female,610,2021,ONS\n")
    assert ChildPopulation.objects.get(category="Female").count == 610 and ChildPopulation.objects.count() == 2


def refused_then_saved(client, path: str, model, *, bad: dict, field: str, words: str, good: dict):
    """A bad figure posted comes back naming its field, keeping nothing; a good one is saved. The one saved."""
    refused = client.post(path, bad)
    html = unescape(refused.content.decode())
    assert refused.status_code == 200 and f'href="#id_{field}"' in html and words in html
    assert not model.objects.exists()
    assert client.post(path, good).status_code == 302
    return model.objects.get()


def test_one_figure_is_entered_and_a_bad_one_refused_naming_the_field(client, org, june):  # noqa: F811
    client.force_login(org.ada)
    saved = refused_then_saved(
        client, POPULATION, ChildPopulation, field="count", words="0 or more",
        bad={"characteristic": "sex", "category": "Female", "count": "-3", "year": "2021", "source": "ONS"},
        good={"characteristic": "disability", "category": "disabled", "count": "120", "year": "2021",
              "source": "ONS Census 2021"})
    assert saved.category == "Disabled"


def test_the_clinic_links_to_diversity_for_the_same_choice(client, org, june):  # noqa: F811
    html = unescape(get(client, org.ada, reverse("insight:clinic"), year=YEAR, team=org.assessment.pk
                        ).content.decode())
    assert f'{DIVERSITY}?team={org.assessment.pk}&year={YEAR}' in html


def test_the_children_behind_a_count_read_disabilities_only_for_disability(client, org, june):  # noqa: F811
    """Disabilities are read for the disability counts alone."""
    lily = with_journey(org, org.sam, "Lily", "Hartley", sex="F", religion="Christian")
    tom = with_journey(org, org.sam, "Tom", "Hartley", sex="M")
    Disability.objects.create(person=lily, code="MOB")
    Disability.objects.create(person=tom, code="NONE")
    client.force_login(org.tess)

    def children(characteristic, **chosen):
        with CaptureQueriesContext(connection) as queries:
            html = unescape(client.get(CHILDREN, {"year": YEAR, "stage": "referrals",
                                                  "characteristic": characteristic, **chosen}).content.decode())
        return html, " ".join(query["sql"] for query in queries)

    html, sql = children("sex", category="Female")
    assert "Lily" in html and "Tom" not in html
    assert "people_disability" not in sql
    html, sql = children("disability", category="Disabled")
    assert "Lily" in html and "Tom" not in html and "people_disability" in sql
    html, _ = children("disability", category="Not disabled")
    assert "Tom" in html and "Lily" not in html
    html, _ = children("religion", missing="1")
    assert "Tom" in html and "Lily" not in html
