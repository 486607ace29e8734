"""The statistical neighbours' figures: who may enter them (told before any form), a CSV kept whole or not at all
with every bad row named, loading it again changing nothing, and the clinic showing each beside the England figure
(the period's year, else the latest before it, saying so) in one query whatever the number of figures."""

from __future__ import annotations

import datetime
import decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.audit.models import Action, AuditEvent
from casefile.insight.models import NeighbourFigure
from casefile.insight.tests.test_clinic import CLINIC, YEAR, _count, get, june, with_journey  # noqa: F401 (fixture)
from casefile.insight.tests.test_diversity_page import refused_then_saved
from casefile.rules.indicators import INDICATOR_LIST

NEIGHBOURS, UPLOAD = reverse("insight:neighbours"), reverse("insight:neighbours_upload")
HEADER = "indicator,year,value,group,source\n"
ENTER = {"pat", "ada"}


def upload(client, user, text: str, name="neighbours.csv"):
    client.force_login(user)
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")})


def rows() -> list:
    return list(NeighbourFigure.objects.order_by("pk").values_list("pk", "indicator", "year", "value", "group",
                                                                   "source"))


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_only_analysts_and_administrators_enter_them_and_the_others_are_told_before_any_form(
        client, org, june, who):  # noqa: F811
    user = getattr(org, who)
    for path in (NEIGHBOURS, UPLOAD):
        response = get(client, user, path)
        assert response.status_code == (200 if who in ENTER else 403), (who, path)
        html = unescape(response.content.decode())
        if who not in ENTER:
            assert "Only performance analysts and administrators can enter the statistical neighbours’ figures" \
                   in html.replace("'", "’") and "<form method=\"post\" novalidate>" not in html
    refused = upload(client, user, HEADER + "re_referrals,2023,21.4,NFER,DfE\n")
    assert refused.status_code == (302 if who in ENTER else 403)
    assert NeighbourFigure.objects.exists() is (who in ENTER)


def test_a_file_with_a_bad_row_keeps_nothing_and_names_the_row_and_field(client, org, june):  # noqa: F811
    response = upload(client, org.pat, HEADER + "re_referrals,2023,21.4,NFER,DfE\nreferrals,2023,abc,NFER,DfE\n"
                                                "Re-referrals within 12 months,2022,120,NFER,DfE\n"
                                                "caseloads,2023,4,NFER,DfE\n")
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html
    assert "Row 3, value: expected a number, got 'abc'" in html
    assert "Row 4, value: expected a percentage from 0 to 100, got '120'" in html
    assert "Row 5, indicator: expected an indicator’s code or title".replace("’", "'") in html
    assert not NeighbourFigure.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.IMPORT).exists()


def test_loading_the_same_file_again_changes_nothing(client, org, june):  # noqa: F811
    text = HEADER + "re_referrals,2023,21.4,NFER model,DfE\ncpp_per_10000,2023,\"1,045.5\",NFER model,DfE\n"
    assert upload(client, org.pat, text).status_code == 302
    first = rows()
    assert [(indicator, value) for _, indicator, _, value, *_ in first] == [
        ("re_referrals", decimal.Decimal("21.40")), ("cpp_per_10000", decimal.Decimal("1045.50"))]
    upload(client, org.ada, text + "\n")
    assert rows() == first
    assert all(NeighbourFigure.history.filter(id=pk).count() == 1 for pk, *_ in first)
    imports = AuditEvent.objects.filter(action=Action.IMPORT).order_by("pk")
    assert [(e.details["created"], e.details["changed"], e.details["unchanged"]) for e in imports] == [
        (2, 0, 0), (0, 0, 2)]
    # A corrected figure replaces the one for the same indicator and year, and only it.
    upload(client, org.pat, HEADER + "re_referrals,2023,21.5,NFER model,DfE\n")
    assert NeighbourFigure.objects.get(indicator="re_referrals").value == decimal.Decimal("21.5")
    assert NeighbourFigure.objects.count() == 2 and imports.last().details["changed"] == 1


def test_one_figure_is_entered_and_a_bad_one_refused_naming_the_field(client, org, june):  # noqa: F811
    client.force_login(org.ada)
    one = {"indicator": "re_referrals", "year": "2023", "group": "NFER model, 10 neighbours",
           "source": "DfE tool, sent May 2024"}
    figure = refused_then_saved(client, NEIGHBOURS, NeighbourFigure, bad=one | {"value": "-3"}, field="value",
                                words="0 or more", good=one | {"value": "21.45%"})
    assert (figure.value, figure.entered_by, figure.history.count()) == (decimal.Decimal("21.45"), org.ada, 1)
    event = AuditEvent.objects.get(action=Action.CREATE, details__outcome="created")
    assert event.details["neighbour_figure"]["indicator"] == "re_referrals"
    listing = unescape(get(client, org.ada, NEIGHBOURS).content.decode())
    assert "Re-referrals within 12 months" in listing and "21.45%" in listing and "NFER model, 10 neighbours" in listing


def enter(org, indicator: str, year: int, value: str, group="NFER model, 10 neighbours", source="DfE tool"):
    return NeighbourFigure.objects.create(indicator=indicator, year=year, value=decimal.Decimal(value), group=group,
                                          source=source, entered_by=org.pat,
                                          entered_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))


def test_the_clinic_shows_the_figure_for_the_periods_year_else_the_latest_before_it(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    html = unescape(get(client, org.tess, CLINIC, year=YEAR).content.decode())
    assert "Statistical neighbours: Not entered for 2024 or any year before." in html
    enter(org, "re_referrals", 2024, "21.4")
    enter(org, "re_referrals", 2025, "30")  # after the period: never shown beside it
    enter(org, "cpp_per_10000", 2022, "45.3", source="DfE tool, 2023")
    html = unescape(get(client, org.tess, CLINIC, year=YEAR).content.decode())
    assert ("Statistical neighbours 2024: 21.4%, the average of NFER model, 10 neighbours. Source: DfE tool."
            in html)
    assert ("Statistical neighbours 2022 (none entered for 2024): 45.3 per 10,000 children, the average of NFER "
            "model, 10 neighbours. Source: DfE tool, 2023." in html)
    assert "Statistical neighbours: Not entered for 2024 or any year before." in html  # the others
    earlier = unescape(get(client, org.tess, CLINIC, year="2022-23").content.decode())
    assert earlier.count("Statistical neighbours: Not entered for 2023 or any year before.") == \
        html.count("Statistical neighbours: Not entered for 2024 or any year before.") + 1  # re-referrals too
    assert "Statistical neighbours 2022 (none entered for 2023): 45.3 per 10,000 children" in earlier


def test_the_clinic_links_to_the_neighbours_page_for_those_who_enter_them(client, org, june):  # noqa: F811
    for who in ("tess", "quinn", "pat", "ada"):
        html = get(client, getattr(org, who), CLINIC, year=YEAR).content.decode()
        assert (f'href="{NEIGHBOURS}"' in html) is (who in ENTER), who


def test_the_clinic_reads_every_neighbour_figure_in_one_query(client, org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    client.force_login(org.pat)
    before = _count(client, CLINIC, {"year": YEAR})
    for indicator in INDICATOR_LIST:
        for year in (2022, 2023, 2024):
            enter(org, indicator.code, year, "12.5")
    assert _count(client, CLINIC, {"year": YEAR}) == before
    html = unescape(client.get(CLINIC, {"year": YEAR}).content.decode())
    assert "Statistical neighbours 2024: 12.5%" in html
