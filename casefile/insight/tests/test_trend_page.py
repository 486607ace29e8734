"""The ten-year trend (insight:trend): every indicator for the whole authority over the ten complete census years to
the latest and their 120 months, for quality assurance, analysts and administrators; read from the kept figures
in a fixed number of queries once they are kept, and the same figures as from the record before."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.insight import clinic, figures, trend_presenters
from casefile.insight.forms import TWELVE_MONTHS
from casefile.insight.models import StoredFigures
from casefile.insight.tests.test_clinic import get, june, with_journey  # noqa: F401
from casefile.insight.tests.test_kept_figures import record  # noqa: F401
from casefile.rules.indicators import INDICATOR_LIST, Period

TREND, JOURNEYS = reverse("insight:trend"), reverse("insight:journeys")
pytestmark = pytest.mark.django_db


def _figures_part(html: str) -> str:
    body = html[html.index('id="trend-period"'):]
    body = re.sub(r'<p class="govuk-body" id="figures-computed">.*?</p>', "", body, flags=re.S)
    return re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", body)


def _cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row,
                                                                                    flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_trend_opens_for_quality_assurance_analysts_and_administrators_only(client, org, june, who):  # noqa: F811
    response = get(client, getattr(org, who), TREND)
    assert response.status_code == (200 if who in {"quinn", "pat", "ada"} else 403)
    home = get(client, getattr(org, who), reverse("core:my_work")).content.decode()
    assert (f'href="{TREND}"' in home) == (who in {"quinn", "pat", "ada"})


def test_each_indicator_is_shown_for_ten_census_years_and_each_of_their_months(client, org, record):  # noqa: F811
    html = get(client, org.pat, TREND).content.decode()
    assert "ten complete census years, 2014-15 to 2023-24 (1 April 2014 to 31 March 2024)" in html
    for indicator in INDICATOR_LIST:
        assert f'id="long-run-{indicator.code}-title"' in html, indicator.code
    # Both children were referred on 8 January 2024, in census year 2023-24 (casework.testing.make_journey).
    years = _cells(html, "years-referrals")
    assert years[0] == ["Census year", "Figure"] and len(years) == 11
    assert years[-1] == ["2023-24", "2"] and years[-2] == ["2022-23", "0"]
    months = _cells(html, "months-referrals")
    assert months[0] == ["Census year", *("Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar".split())]
    assert len(months) == 11 and months[-1] == ["2023-24", *["0"] * 9, "2", "0", "0"]
    assert "highest 2 in January 2024" in html


def test_kept_figures_show_what_the_record_shows_in_a_fixed_number_of_queries(client, org, record):  # noqa: F811
    live = get(client, org.pat, TREND).content.decode()
    assert "Figures computed from the record just now" in live
    figures.refresh(timezone.localdate())
    client.force_login(org.pat)
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(TREND).content.decode()
    assert "Figures computed from the record at " in kept
    assert _figures_part(kept) == _figures_part(live)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "insight_storedfigures" in read
    for table in ("frontdoor_contactchild", "casework_episode", "casework_plan", "casework_allocation"):
        assert table not in read, table
    with_journey(org, org.sam, "Ava", "Third")
    figures.refresh(timezone.localdate())
    with CaptureQueriesContext(connection) as again:
        assert client.get(TREND).status_code == 200
    assert len(again) == len(queries)


def test_the_refresh_keeps_the_whole_authoritys_months_with_their_indicators_only(org, record):  # noqa: F811
    figures.refresh(timezone.localdate())
    years, months = clinic.long_run(timezone.localdate())
    kept = {(row.start, row.end): row.figures for row in StoredFigures.objects.filter(scope=figures.AUTHORITY)}
    assert len(months) == 120 and all((month.start, month.end) in kept for month in months)
    assert all((year.start, year.end) in kept for year in years)
    january = kept[(datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))]
    assert set(january) == {"indicators"} and january["indicators"]["referrals"][0] == 2
    assert "journey" in kept[(years[-1].start, years[-1].end)]  # a year the clinic offers keeps everything
    assert not StoredFigures.objects.exclude(scope=figures.AUTHORITY).filter(start=months[0].start,
                                                                             end=months[0].end).exists()


def test_a_year_kept_for_the_trend_alone_leaves_its_journeys_to_the_record(client, org, record):  # noqa: F811
    """The trend's oldest census year keeps only its indicators; the journeys of the 12 months to its end (the
    same dates) are worked out from the record."""
    figures.refresh(timezone.localdate())
    oldest = clinic.long_run(timezone.localdate())[0][0]
    assert oldest not in figures.periods_kept(timezone.localdate())
    page = get(client, org.pat, JOURNEYS, period=TWELVE_MONTHS, end_day=oldest.end.day, end_month=oldest.end.month,
               end_year=oldest.end.year)
    assert page.status_code == 200 and "Figures computed from the record just now" in page.content.decode()


def test_the_long_run_is_the_ten_complete_census_years_to_the_latest():
    years, months = clinic.long_run(datetime.date(2026, 12, 7))
    assert [years[0], years[-1]] == [Period.census_year("2016-17"), Period.census_year("2025-26")]
    assert len(years) == 10 and len(months) == 120
    assert (months[0].start, months[-1].end) == (datetime.date(2016, 4, 1), datetime.date(2026, 3, 31))
    assert clinic.long_run(datetime.date(2026, 3, 30))[0][-1] == Period.census_year("2024-25")


@pytest.mark.parametrize(("largest", "top"), [(0, 1), (0.4, 0.5), (1, 1), (7, 10), (12, 20), (23.5, 25), (64, 100),
                                               (100, 100), (1234, 2000)])
def test_the_value_axis_ends_at_a_round_number_at_or_above_the_largest(largest, top):
    assert trend_presenters.nice_top(largest) == top


def test_a_month_without_a_figure_breaks_the_line_and_the_words_say_so():
    months = clinic.long_run(datetime.date(2026, 12, 7))[1][:5]
    points = [(months[0], 10.0, "10"), (months[1], 20.0, "20"), (months[2], None, "None"), (months[3], 5.0, "5"),
              (months[4], 0.0, "0")]
    chart = trend_presenters.line_chart("c", "Contacts", points, width=448, height=220)
    assert chart.paths == ("M44.0,104.0 L143.0,12.0", "M341.0,150.0 L440.0,196.0")
    assert chart.x_ticks == ((44.0, "2016-17"),) and [label for _, label in chart.y_ticks] == ["0", "10", "20"]
    assert chart.description == ("Line chart, month by month from April 2016 to August 2016: 10 in April 2016, 0 in "
                                 "August 2016; lowest 0 in August 2016, highest 20 in May 2016; 1 month has no figure.")
