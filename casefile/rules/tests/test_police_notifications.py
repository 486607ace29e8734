import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.rules.police_notifications import (
    COLUMNS,
    LONDON,
    MAX_BYTES,
    MAX_ROWS,
    RowError,
    neutralise_for_spreadsheet,
    parse_notifications,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "police-notifications-example.csv"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=LONDON)
GOOD = {
    "police_reference": "WYP/26/000001", "incident_datetime": "2026-11-20T22:40",
    "reported_datetime": "20/11/2026 23:05", "dash_risk": "high", "children_present": "yes",
    "household_address": "14 Elm Grove, Leeds", "postcode": "ls6 2ab", "person_role": "victim",
    "first_name": "Jodie", "last_name": "Marsh", "date_of_birth": "1994-03-12", "sex": "F",
    "officer_name": "PC 4471 Amir Khan", "summary": "Shouting and glass breaking.",
}


def csv_bytes(*rows: dict, header=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column.strip().lower(), "") for column in header])
    return out.getvalue().encode()


def row(**changes) -> dict:
    return {**GOOD, **changes}


def parse(data: bytes):
    return parse_notifications(data, now=NOW)


def only_error(data: bytes) -> RowError:
    result = parse(data)
    assert result.incidents == ()
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_the_example_file_parses_cleanly():
    result = parse(EXAMPLE.read_bytes())
    assert result.errors == ()
    assert [incident.police_reference for incident in result.incidents] == [
        "WYP/26/004512", "WYP/26/004530", "WYP/26/004561"]
    assert [len(incident.people) for incident in result.incidents] == [4, 4, 4]
    assert result.incidents[1].people[0].first_name == "Zoë"
    unborn = result.incidents[1].people[3]
    assert (unborn.first_name, unborn.date_of_birth, unborn.expected_date_of_birth, unborn.sex) == (
        "Unborn", None, date(2027, 3, 2), "U")
    assert result.incidents[0].people[2].nhs_number == "9434765919"


def test_the_example_file_has_the_documented_columns():
    doc = (EXAMPLE.parent.parent / "police-notifications.md").read_text()
    assert EXAMPLE.read_text().splitlines()[0] == ",".join(COLUMNS)
    for column in COLUMNS:
        assert f"`{column}`" in doc


def test_clean_rows_come_back_grouped_by_incident_with_values_normalised():
    result = parse(csv_bytes(row(), row(person_role="Child", first_name="Lily", date_of_birth="30/05/2017",
                                        sex="f"), row(police_reference="wyp/26/000002", first_name="Ann")))
    first, second = result.incidents
    assert first.postcode == "LS6 2AB"
    assert first.incident_datetime == datetime(2026, 11, 20, 22, 40, tzinfo=LONDON)
    assert first.reported_datetime == datetime(2026, 11, 20, 23, 5, tzinfo=LONDON)
    assert [(p.row, p.person_role, p.sex, p.date_of_birth) for p in first.people] == [
        (2, "victim", "F", date(1994, 3, 12)), (3, "child", "F", date(2017, 5, 30))]
    assert second.police_reference == "WYP/26/000002"
    assert second.people[0].row == 4


def test_a_blank_date_of_birth_is_allowed():
    result = parse(csv_bytes(row(date_of_birth="")))
    assert result.incidents[0].people[0].date_of_birth is None


def test_a_utc_time_is_turned_into_uk_time():
    result = parse(csv_bytes(row(incident_datetime="2026-07-01T20:00:00Z", reported_datetime="2026-07-01T21:00Z")))
    assert result.incidents[0].incident_datetime.hour == 21  # British Summer Time


@pytest.mark.parametrize(("column", "value", "message"), [
    ("incident_datetime", "2026-13-01T10:00",
     "incident_datetime is not a real date and time: '2026-13-01T10:00'. "
     "Use a date and time like 2025-03-14T22:30 or 14/03/2025 22:30"),
    ("incident_datetime", "yesterday",
     "incident_datetime must be a date and time like 2025-03-14T22:30 or 14/03/2025 22:30; found 'yesterday'"),
    ("incident_datetime", "2026-11-20",
     "incident_datetime must be a date and time like 2025-03-14T22:30 or 14/03/2025 22:30; found '2026-11-20'"),
    ("incident_datetime", "30/02/2026 10:00",
     "incident_datetime is not a real date and time: '30/02/2026 10:00'. "
     "Use a date and time like 2025-03-14T22:30 or 14/03/2025 22:30"),
    ("date_of_birth", "12/1994",
     "date_of_birth must be a date like 2015-06-01 or 01/06/2015, or left blank; found '12/1994'"),
    ("date_of_birth", "31/04/2015", "date_of_birth is not a real date: '31/04/2015'. "
                                    "Use a date like 2015-06-01 or 01/06/2015"),
    ("date_of_birth", "2027-01-01", "date_of_birth must not be in the future; found '2027-01-01'"),
    ("date_of_birth", "1850-01-01", "date_of_birth must be after 1900; found '1850-01-01'"),
    ("dash_risk", "severe", "dash_risk must be one of standard, medium, high; found 'severe'"),
    ("children_present", "maybe", "children_present must be one of yes, no, unknown; found 'maybe'"),
    ("person_role", "neighbour",
     "person_role must be one of victim, perpetrator, child, other_adult; found 'neighbour'"),
    ("sex", "X", "sex must be one of M, F, U; found 'X'"),
    ("postcode", "LS99", "postcode must be a real UK postcode, like LS1 4AB; found 'LS99'"),
    ("police_reference", "WYP 26 1",
     "police_reference must be the incident number: letters, digits, / and - only, like WYP/25/004512; "
     "found 'WYP 26 1'"),
    ("first_name", "", "Enter the first_name: it is required"),
    ("officer_name", "   ", "Enter the officer_name: it is required"),
    ("summary", "x" * 2001, "summary must be 2,000 characters or fewer; it has 2,001"),
])
def test_a_bad_value_is_refused_naming_the_row_and_the_field(column, value, message):
    assert only_error(csv_bytes(row(**{column: value}))) == RowError(2, column, message)


def test_a_time_in_the_future_is_refused():
    result = parse(csv_bytes(row(incident_datetime="2026-11-22T12:01", reported_datetime="2026-11-22T12:30")))
    assert result.errors == (
        RowError(2, "incident_datetime", "incident_datetime must not be in the future; found '2026-11-22T12:01'"),
        RowError(2, "reported_datetime", "reported_datetime must not be in the future; found '2026-11-22T12:30'"),
    )


def test_a_report_before_the_incident_is_refused():
    assert only_error(csv_bytes(row(reported_datetime="2026-11-20T22:00"))) == RowError(
        2, "reported_datetime",
        "reported_datetime must be the same as or after incident_datetime: the incident is reported after it happens")


def test_every_error_in_the_file_is_listed_and_nothing_is_returned():
    result = parse(csv_bytes(row(), row(first_name="Dean", sex="Q"), row(first_name="Lily", dash_risk="")))
    assert result.incidents == ()
    assert [(error.row, error.column) for error in result.errors] == [(3, "sex"), (4, "dash_risk")]
    assert str(result.errors[0]) == "Row 3, sex: sex must be one of M, F, U; found 'Q'"


def test_a_person_twice_in_one_incident_is_refused():
    data = csv_bytes(row(), row(first_name="Dean"), row(first_name="JODIE", last_name="marsh"))
    assert only_error(data) == RowError(
        4, None, "This row repeats the person on row 2 for police_reference WYP/26/000001 (same name and date of "
                 "birth): list each person once per incident")


def test_the_same_person_in_two_incidents_is_not_a_duplicate():
    result = parse(csv_bytes(row(), row(police_reference="WYP/26/000002")))
    assert len(result.incidents) == 2


def test_rows_of_one_incident_must_agree_on_the_incident_details():
    assert only_error(csv_bytes(row(), row(first_name="Dean", dash_risk="medium"))) == RowError(
        3, "dash_risk", "dash_risk differs from row 2 for police_reference WYP/26/000001: every row of one "
                        "incident must give the same dash_risk")


def test_a_header_missing_columns_is_refused():
    header = [column for column in COLUMNS if column not in ("sex", "dash_risk")]
    error = only_error(csv_bytes(row(), header=header))
    assert error.row == 1
    assert error.message.startswith("The header is missing these columns: dash_risk, sex. "
                                    "The first row must name these columns: police_reference, incident_datetime,")


def test_a_header_with_extra_columns_is_refused():
    error = only_error(csv_bytes(row(), header=(*COLUMNS, "ethnicity")))
    assert error.row == 1
    assert error.message.startswith("The header has columns this import does not know: ethnicity. "
                                    "Remove them or correct the spelling; the columns are: police_reference,")


def test_a_header_naming_a_column_twice_is_refused():
    result = parse(csv_bytes(row(), header=(*COLUMNS, "sex")))
    assert result.errors[0] == RowError(1, None, "The header names these columns more than once: sex. "
                                                 "Each column must appear once")


def test_the_header_may_be_in_any_order_and_case():
    header = tuple(reversed([f" {column.upper()} " for column in COLUMNS]))
    assert parse(csv_bytes(row(), header=header)).incidents[0].people[0].first_name == "Jodie"


def test_a_row_with_too_many_values_is_refused():
    data = csv_bytes(row()) + b"WYP/26/000001,extra," + b",".join([b"x"] * 15) + b"\r\n"
    assert only_error(data) == RowError(3, None, "This row has 17 values but the header has 16 columns: "
                                                 "check for a stray or unquoted comma")


def test_blank_lines_are_skipped_but_keep_their_row_numbers():
    data = csv_bytes(row()) + b"\r\n" + csv_bytes(row(first_name="Dean", sex="Q")).split(b"\r\n", 1)[1]
    assert only_error(data).row == 4


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    assert only_error(data) == RowError(None, None, "The file is empty: it should have a header row and then one "
                                                    "row for each person involved in each incident")


def test_a_file_with_only_a_header_is_refused():
    assert only_error(csv_bytes()) == RowError(None, None, "The file has a header row but no notifications: add "
                                                           "one row for each person involved in each incident")


def test_a_utf8_file_with_a_byte_order_mark_is_accepted():
    result = parse(b"\xef\xbb\xbf" + csv_bytes(row(first_name="Zoë")))
    assert result.incidents[0].people[0].first_name == "Zoë"


def test_a_latin1_file_is_refused_saying_where():
    data = csv_bytes(row(first_name="Zoë")).decode().encode("latin-1")
    offset = data.index(b"\xeb")
    assert only_error(data) == RowError(None, None, f"The file is not UTF-8: byte {offset + 1} (0xEB) on line 2 is "
                                                    "not valid UTF-8. Save the file as CSV UTF-8 and send it again")


def test_the_byte_count_includes_the_byte_order_mark():
    data = b"\xef\xbb\xbfab\xe9"
    assert "byte 6 (0xE9) on line 1" in only_error(data).message


def test_a_utf16_file_is_refused():
    data = csv_bytes(row()).decode().encode("utf-16")
    assert only_error(data).message == "The file is in UTF-16; save it as CSV UTF-8 and send it again"


def test_a_file_over_5_mb_is_refused():
    data = csv_bytes(row()) + b"x" * MAX_BYTES
    assert only_error(data).message.startswith("The file is 5.0 MB; the largest file accepted is 5 MB.")


def test_a_file_over_10000_rows_is_refused():
    small = row(summary="x", household_address="x", officer_name="x")
    body = csv_bytes(small).split(b"\r\n")[1] + b"\r\n"
    data = csv_bytes() + body * (MAX_ROWS + 1)
    assert only_error(data) == RowError(None, None, "The file has more than 10,000 rows of people. "
                                                    "Split it into files of at most 10,000 rows and import each one")


def test_a_file_of_exactly_10000_rows_is_read():
    rows = [row(first_name=f"Person{number}") for number in range(MAX_ROWS)]
    assert len(parse(csv_bytes(*rows)).incidents[0].people) == MAX_ROWS


def test_the_error_list_is_capped():
    result = parse(csv_bytes(*[row(first_name=f"P{number}", sex="Q") for number in range(600)]))
    assert len(result.errors) == 501
    assert result.errors[-1].message.startswith("Only the first 500 problems are listed")


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+44 113", "'+44 113"), ("-1", "'-1"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Smith", "Smith"), ("", ""), ("a=b", "a=b"),
])
def test_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised(value, expected):
    assert neutralise_for_spreadsheet(value) == expected


def assert_all_or_nothing(result):
    assert bool(result.incidents) != bool(result.errors)
    assert all(isinstance(error, RowError) for error in result.errors)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_and_are_all_or_nothing(data):
    assert_all_or_nothing(parse(data))


CELL = st.one_of(st.text(max_size=30), st.sampled_from(
    ["high", "yes", "victim", "child", "F", "U", "LS6 2AB", "2026-11-20T22:40", "2026-03-29T01:30", "01/02/2020",
     "2027-01-15", "", "=1+1", "WYP/1", "9434765919", "943 476 5918"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(COLUMNS), CELL), max_size=8),
       st.booleans(), st.lists(st.sampled_from([*COLUMNS, "extra", ""]), max_size=3))
def test_random_rows_never_raise_and_are_all_or_nothing(changes, with_bom, header_noise):
    header = COLUMNS if not header_noise else (*COLUMNS, *header_noise)
    data = csv_bytes(*[row(**change) for change in changes], header=header)
    assert_all_or_nothing(parse(b"\xef\xbb\xbf" + data if with_bom else data))


# Dates of birth against the incident, unborn children, NHS numbers, clock changes, very long fields -------------


def test_a_date_of_birth_after_the_incident_is_refused_naming_the_row_and_column():
    assert only_error(csv_bytes(row(date_of_birth="2026-11-21"))) == RowError(
        2, "date_of_birth", "date_of_birth '2026-11-21' is after the incident (20/11/2026): everyone named was born by "
                            "then; check both dates, and give an unborn child's expected_date_of_birth instead")


def test_a_person_born_on_the_day_of_the_incident_is_accepted():
    assert parse(csv_bytes(row(person_role="child", date_of_birth="2026-11-20", sex="U"))).ok


def test_an_unborn_child_is_notified_with_an_expected_date_of_birth_and_no_name_yet():
    result = parse(csv_bytes(row(), row(person_role="child", first_name="", date_of_birth="",
                                        expected_date_of_birth="02/03/2027", sex="u")))
    unborn = result.incidents[0].people[1]
    assert (unborn.first_name, unborn.date_of_birth, unborn.expected_date_of_birth, unborn.sex) == (
        "Unborn", None, date(2027, 3, 2), "U")


@pytest.mark.parametrize(("changes", "column", "message"), [
    ({"person_role": "victim"}, "expected_date_of_birth",
     "expected_date_of_birth is only for an unborn child: leave it blank for a victim"),
    ({"date_of_birth": "2020-01-01"}, "expected_date_of_birth",
     "Give date_of_birth or, for a child not yet born, expected_date_of_birth, not both"),
    ({"sex": "F"}, "sex", "sex must be U for an unborn child (one with an expected_date_of_birth), as the CIN census "
                          "requires"),
    ({"expected_date_of_birth": "2027-10-01"}, "expected_date_of_birth",
     "expected_date_of_birth '2027-10-01' must be within 10 months after the incident and no more than 4 weeks "
     "before it; if the child was born by then, give their date_of_birth instead"),
    ({"expected_date_of_birth": "2026-10-01"}, "expected_date_of_birth",
     "expected_date_of_birth '2026-10-01' must be within 10 months after the incident and no more than 4 weeks "
     "before it; if the child was born by then, give their date_of_birth instead"),
    ({"expected_date_of_birth": "March 2027"}, "expected_date_of_birth",
     "expected_date_of_birth must be a date like 2015-06-01 or 01/06/2015, or left blank; found 'March 2027'"),
])
def test_an_expected_date_of_birth_that_does_not_fit_is_refused(changes, column, message):
    unborn = row(person_role="child", first_name="", date_of_birth="", expected_date_of_birth="2027-03-02", sex="U")
    assert only_error(csv_bytes(unborn | changes)) == RowError(2, column, message)


def test_a_child_with_neither_date_of_birth_nor_expected_date_is_refused():
    assert only_error(csv_bytes(row(person_role="child", date_of_birth=""))) == RowError(
        2, "date_of_birth", "Enter the child's date_of_birth, or expected_date_of_birth if the child is not born yet: "
                            "every child's record needs one. Ask the police for it and send the file again")


def test_an_adult_may_have_no_date_of_birth():
    assert parse(csv_bytes(row(person_role="other_adult", date_of_birth=""))).ok


def test_an_nhs_number_is_checked_and_kept_as_ten_digits():
    result = parse(csv_bytes(row(nhs_number="943 476 5919")))
    assert result.incidents[0].people[0].nhs_number == "9434765919"
    assert only_error(csv_bytes(row(nhs_number="943 476 5918"))) == RowError(
        2, "nhs_number", "nhs_number is not valid: this is not a valid NHS number: check each digit, like "
                         "943 476 5919; found '943 476 5918'. Leave it blank if it is not known")
    assert only_error(csv_bytes(row(nhs_number="12345"))).column == "nhs_number"


def test_a_file_without_the_columns_added_later_is_still_read():
    header = [column for column in COLUMNS if column not in ("expected_date_of_birth", "nhs_number")]
    person = parse(csv_bytes(row(), header=header)).incidents[0].people[0]
    assert (person.expected_date_of_birth, person.nhs_number) == (None, "")


@pytest.mark.parametrize("value", ["2026-03-29T01:30", "29/03/2026 01:00", "2026-03-29 01:59"])
def test_a_time_the_spring_clock_change_skips_is_refused(value):
    error = only_error(csv_bytes(row(incident_datetime=value, reported_datetime="2026-03-29T03:00")))
    assert (error.row, error.column) == (2, "incident_datetime")
    assert error.message == (f"incident_datetime {value!r} is not a time in the UK: the clocks went forward an hour "
                             "at 01:00 on 29/03/2026, so 01:00 to 01:59 did not happen. Check the time, or give it "
                             "with its offset from UTC, like 2026-03-29T01:30+00:00")


def test_a_skipped_time_with_its_offset_and_the_times_either_side_are_accepted():
    for incident_at in ("2026-03-29T01:30+00:00", "2026-03-29T00:59", "2026-03-29T02:00"):
        assert parse(csv_bytes(row(incident_datetime=incident_at, reported_datetime="2026-03-29T03:00"))).ok


def test_the_hour_the_autumn_clock_change_repeats_is_read_as_summer_time_unless_an_offset_says():
    first = parse(csv_bytes(row(incident_datetime="2026-10-25T01:30", reported_datetime="2026-10-25T03:00")))
    assert first.incidents[0].incident_datetime.utcoffset().total_seconds() == 3600
    second = parse(csv_bytes(row(incident_datetime="2026-10-25T01:30+00:00", reported_datetime="2026-10-25T03:00")))
    assert second.incidents[0].incident_datetime.utcoffset().total_seconds() == 0


CSV_DEFAULT_LIMIT = 131_072  # csv.field_size_limit() in a fresh Python: the reader refuses longer fields


def test_a_field_longer_than_the_csv_readers_limit_is_refused_naming_the_row_and_column():
    data = csv_bytes(row(), row(first_name="Dean", summary="x" * (CSV_DEFAULT_LIMIT + 10)))
    assert only_error(data) == RowError(3, "summary", f"summary must be 2,000 characters or fewer; it has "
                                                      f"{CSV_DEFAULT_LIMIT + 10:,}")


@pytest.mark.parametrize(("column", "value", "why"), [
    ("first_name", "Jo\u200bdie", "first_name must not contain an invisible character, zero width space (U+200B)"),
    ("last_name", "\u202eMarsh", "last_name must not contain a hidden character that changes the direction"),
    ("last_name", "Marsh 😀", "last_name must not contain emoji or symbols (😀)"),
    ("officer_name", "PC 4471 Amir\u00adKhan", "officer_name must not contain an invisible character, soft hyphen"),
])
def test_a_name_that_could_never_be_found_refuses_its_row_saying_why(column, value, why):
    good, bad = row(police_reference="WYP/26/1"), row(police_reference="WYP/26/2", **{column: value})
    error = only_error(csv_bytes(good, bad))
    assert (error.row, error.column) == (3, column)
    assert error.message.startswith(why)
