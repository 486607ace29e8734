"""Read and check the police's daily domestic-abuse notification CSV (format: docs/police-notifications.md).

The batch is all-or-nothing: `parse_notifications` returns either clean incidents (each with its people)
or the errors, never both, so a half-good file can never be staged. Plain Python, no Django.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from casefile.rules.identifiers import InvalidIdentifier, validate_nhs_number, validate_postcode
from casefile.rules.names import name_problem

LONDON = ZoneInfo("Europe/London")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_ERRORS = 500
UTF8_BOM = b"\xef\xbb\xbf"

DASH_RISK = {"standard": "Standard", "medium": "Medium", "high": "High"}
CHILDREN_PRESENT = {"yes": "Yes", "no": "No", "unknown": "Not known"}
PERSON_ROLE = {"victim": "Victim", "perpetrator": "Perpetrator", "child": "Child", "other_adult": "Other adult"}
SEX = {"M": "Male", "F": "Female", "U": "Unknown or not recorded"}

INCIDENT_COLUMNS = (
    "police_reference", "incident_datetime", "reported_datetime", "dash_risk", "children_present",
    "household_address", "postcode", "officer_name", "summary",
)
PERSON_COLUMNS = ("person_role", "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex",
                  "nhs_number")
COLUMNS = INCIDENT_COLUMNS[:7] + PERSON_COLUMNS + INCIDENT_COLUMNS[7:]
# Values that may be left blank.
OPTIONAL_COLUMNS = frozenset({"date_of_birth", "expected_date_of_birth", "nhs_number"})
# Columns added after the first version of the format: a file without them is still read, as if they were blank.
ADDED_COLUMNS = frozenset({"expected_date_of_birth", "nhs_number"})
# An unborn child's record is named this when the police leave first_name blank (as people.services asks).
UNBORN_FIRST_NAME = "Unborn"
# An unborn child's expected date of birth, from the day of the incident: at most 10 months after it, and not long
# before it (a baby can be overdue). people.services applies the same limits, from today, to a record typed in.
EXPECTED_BIRTH_LATEST_DAYS = 305
EXPECTED_BIRTH_OVERDUE_DAYS = 28
MAX_LENGTH = {
    "police_reference": 30, "household_address": 300, "officer_name": 100,
    "first_name": 100, "last_name": 100, "summary": 2000,
}

_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9/-]*")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?")
_UK_DATETIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class RowError:
    """One problem. `row` counts the header as row 1 (None for the whole file); `column` is None for the row."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}" if self.row else "File", self.column or ""]
        return f"{', '.join(part for part in where if part)}: {self.message}"


@dataclass(frozen=True)
class Person:
    row: int
    person_role: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: str
    expected_date_of_birth: date | None = None  # an unborn child's; then date_of_birth is None
    nhs_number: str = ""  # ten digits, checked


@dataclass(frozen=True)
class Incident:
    """One police incident, ready for staging. Datetimes are aware, in UK time."""

    police_reference: str
    incident_datetime: datetime
    reported_datetime: datetime
    dash_risk: str
    children_present: str
    household_address: str
    postcode: str
    officer_name: str
    summary: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class ParseResult:
    """Exactly one of `incidents` and `errors` is non-empty."""

    incidents: tuple[Incident, ...] = ()
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(ValueError):
    """A cell's value is wrong; the message says what is expected."""


def neutralise_for_spreadsheet(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula, by prefixing a quote (OWASP CSV injection).

    >>> neutralise_for_spreadsheet("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_for_spreadsheet("Smith")
    'Smith'
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def parse_notifications(data: bytes, *, now: datetime) -> ParseResult:
    """Check a whole file as at `now` (no date in it may be later); return every clean incident, or every error
    (up to MAX_ERRORS)."""
    now = now.astimezone(LONDON)
    text, file_error = _decode(data)
    if file_error:
        return _failed([file_error])
    try:
        records = _read_records(text)
    except _TooManyRows:
        return _failed([RowError(None, None, f"The file has more than {MAX_ROWS:,} rows of people. "
                                             f"Split it into files of at most {MAX_ROWS:,} rows and import each one")])
    except _Unreadable as unreadable:
        return _failed([RowError(unreadable.row, None, f"This row could not be read as CSV ({unreadable.error}). "
                                                       "Save the file from the police system as CSV UTF-8 and send "
                                                       "it again")])
    header_errors = _check_header(records)
    if header_errors:
        return _failed(header_errors)
    header = [name.strip().lower() for name in records[0][1]]
    rows = [(number, cells) for number, cells in records[1:] if any(cell.strip() for cell in cells)]
    if not rows:
        return _failed([RowError(None, None, "The file has a header row but no notifications: "
                                             "add one row for each person involved in each incident")])
    return _build(header, rows, now)


def _failed(errors: list[RowError]) -> ParseResult:
    if len(errors) > MAX_ERRORS:
        errors = errors[:MAX_ERRORS] + [RowError(None, None, f"Only the first {MAX_ERRORS} problems are listed: "
                                                              "fix these and import the file again")]
    return ParseResult(errors=tuple(errors))


def _decode(data: bytes) -> tuple[str, RowError | None]:
    if len(data) > MAX_BYTES:
        size = len(data) / (1024 * 1024)
        return "", RowError(None, None, f"The file is {size:.1f} MB; the largest file accepted is "
                                        f"{MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", RowError(None, None, "The file is in UTF-16; save it as CSV UTF-8 and send it again")
    body = data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + len(data) - len(body)
        line = data[:offset].count(b"\n") + 1
        return "", RowError(None, None, f"The file is not UTF-8: byte {offset + 1} (0x{data[offset]:02X}) on line "
                                        f"{line} is not valid UTF-8. Save the file as CSV UTF-8 and send it again")
    if not text.strip():
        return "", RowError(None, None, "The file is empty: it should have a header row and then "
                                        "one row for each person involved in each incident")
    return text, None


class _TooManyRows(Exception):
    pass


class _Unreadable(Exception):
    def __init__(self, row: int, error: csv.Error):
        self.row, self.error = row, error


def _read_records(text: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) with the header as row 1; blank lines keep their number, as in a spreadsheet."""
    # The csv module refuses a field over its limit (128 KB by default) with a message naming no row or column.
    # The whole file is at most MAX_BYTES, so with the limit raised to that every long value reaches the length
    # check of its column, which names the row and the column.
    if csv.field_size_limit() < MAX_BYTES:
        csv.field_size_limit(MAX_BYTES)
    records = []
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            raise _Unreadable(len(records) + 1, error) from error
        if len(records) >= MAX_ROWS + 1:
            raise _TooManyRows
        records.append((len(records) + 1, cells))


def _check_header(records: list[tuple[int, list[str]]]) -> list[RowError]:
    names = [name.strip().lower() for name in records[0][1]]
    expected = ", ".join(COLUMNS)
    errors = []
    repeated = sorted({name for name in names if names.count(name) > 1 and name})
    if repeated:
        errors.append(RowError(1, None, f"The header names these columns more than once: {', '.join(repeated)}. "
                                        "Each column must appear once"))
    missing = [name for name in COLUMNS if name not in names and name not in ADDED_COLUMNS]
    if missing:
        errors.append(RowError(1, None, f"The header is missing these columns: {', '.join(missing)}. "
                                        f"The first row must name these columns: {expected}"))
    extra = [name or "(a column with no name)" for name in names if name not in COLUMNS]
    if extra:
        errors.append(RowError(1, None, f"The header has columns this import does not know: {', '.join(extra)}. "
                                        f"Remove them or correct the spelling; the columns are: {expected}"))
    return errors


def _build(header: list[str], rows: list[tuple[int, list[str]]], now: datetime) -> ParseResult:
    errors: list[RowError] = []
    incidents: dict[str, list[tuple[int, dict]]] = {}
    for number, cells in rows:
        if len(cells) != len(header):
            errors.append(RowError(number, None, f"This row has {len(cells)} values but the header has "
                                                 f"{len(header)} columns: check for a stray or unquoted comma"))
            continue
        raw = dict.fromkeys(ADDED_COLUMNS, "") | dict(zip(header, cells, strict=True))
        values, row_errors = _clean_row(number, raw, now)
        errors += row_errors
        if "police_reference" in values:
            incidents.setdefault(values["police_reference"], []).append((number, values))
    for reference, group in incidents.items():
        errors += _check_incident(reference, group)
    if errors:
        return _failed(sorted(errors, key=lambda error: (error.row or 0, COLUMNS.index(error.column)
                                                         if error.column in COLUMNS else -1)))
    return ParseResult(incidents=tuple(_incident(group) for group in incidents.values()))


def _clean_row(number: int, raw: dict[str, str], now: datetime) -> tuple[dict, list[RowError]]:
    raw = {column: value.strip() for column, value in raw.items()}
    if raw["expected_date_of_birth"] and not raw["first_name"]:
        raw["first_name"] = UNBORN_FIRST_NAME  # an unborn child often has no name yet
    values, errors = {}, []
    for column in COLUMNS:
        try:
            values[column] = _clean_cell(column, raw[column], now)
        except _Invalid as error:
            errors.append(RowError(number, column, str(error)))
    incident_at, reported_at = values.get("incident_datetime"), values.get("reported_datetime")
    if incident_at and reported_at and reported_at < incident_at:
        message = ("reported_datetime must be the same as or after incident_datetime: "
                   "the incident is reported after it happens")
        errors.append(RowError(number, "reported_datetime", message))
    errors += [RowError(number, column, message) for column, message in _birth_problems(raw, values)]
    return values, errors


def _birth_problems(raw: dict[str, str], values: dict) -> list[tuple[str, str]]:
    """(column, message) for dates of birth that do not fit the person's role or the incident."""
    born, expected = values.get("date_of_birth"), values.get("expected_date_of_birth")
    role, incident_at = values.get("person_role"), values.get("incident_datetime")
    problems = []
    if born and incident_at and born > incident_at.date():
        problems.append(("date_of_birth", f"date_of_birth {_shown(raw['date_of_birth'])} is after the incident "
                                          f"({incident_at:%d/%m/%Y}): everyone named was born by then; check both "
                                          "dates, and give an unborn child's expected_date_of_birth instead"))
    if expected:
        if incident_at and not (-EXPECTED_BIRTH_OVERDUE_DAYS <= (expected - incident_at.date()).days
                                <= EXPECTED_BIRTH_LATEST_DAYS):
            shown = _shown(raw["expected_date_of_birth"])
            problems.append(("expected_date_of_birth", f"expected_date_of_birth {shown} must be within 10 months "
                                                       "after the incident and no more than 4 weeks before it; if the "
                                                       "child was born by then, give their date_of_birth instead"))
        if role and role != "child":
            problems.append(("expected_date_of_birth", "expected_date_of_birth is only for an unborn child: leave it "
                                                       f"blank for a {role.replace('_', ' ')}"))
        if born:
            problems.append(("expected_date_of_birth", "Give date_of_birth or, for a child not yet born, "
                                                       "expected_date_of_birth, not both"))
        if values.get("sex") in ("M", "F"):
            problems.append(("sex", "sex must be U for an unborn child (one with an expected_date_of_birth), as "
                                    "the CIN census requires"))
    elif role == "child" and not born and "date_of_birth" in values and "expected_date_of_birth" in values:
        problems.append(("date_of_birth", "Enter the child's date_of_birth, or expected_date_of_birth if the child "
                                          "is not born yet: every child's record needs one. Ask the police for it and "
                                          "send the file again"))
    return problems


def _clean_cell(column: str, value: str, now: datetime):
    if not value:
        if column in OPTIONAL_COLUMNS:
            return "" if column == "nhs_number" else None
        raise _Invalid(f"Enter the {column}: it is required")
    if column in MAX_LENGTH and len(value) > MAX_LENGTH[column]:
        raise _Invalid(f"{column} must be {MAX_LENGTH[column]:,} characters or fewer; it has {len(value):,}")
    match column:
        case "first_name" | "last_name" | "officer_name":
            problem = name_problem(value)
            if problem:
                raise _Invalid(f"{column} {problem}")
        case "police_reference":
            return _reference(value)
        case "incident_datetime" | "reported_datetime":
            return _datetime(column, value, now)
        case "date_of_birth":
            return _date_of_birth(value, now)
        case "expected_date_of_birth":
            return _date(column, value)
        case "nhs_number":
            try:
                return validate_nhs_number(value)
            except InvalidIdentifier as error:
                message = str(error)
                raise _Invalid(f"nhs_number is not valid: {message[0].lower()}{message[1:]}; found {_shown(value)}. "
                               "Leave it blank if it is not known") from error
        case "dash_risk":
            return _code(column, value.lower(), DASH_RISK)
        case "children_present":
            return _code(column, value.lower(), CHILDREN_PRESENT)
        case "person_role":
            return _code(column, value.lower(), PERSON_ROLE)
        case "sex":
            return _code(column, value.upper(), SEX)
        case "postcode":
            try:
                return validate_postcode(value)
            except InvalidIdentifier as error:
                raise _Invalid(f"postcode must be a real UK postcode, like LS1 4AB; found {_shown(value)}") from error
    return value


def _shown(value: str) -> str:
    """The value as found, shortened, for a message."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _reference(value: str) -> str:
    reference = value.upper()
    if not _REFERENCE.fullmatch(reference):
        raise _Invalid("police_reference must be the incident number: letters, digits, / and - only, "
                       f"like WYP/25/004512; found {_shown(value)}")
    return reference


def _code(column: str, value: str, code_list: dict[str, str]) -> str:
    if value not in code_list:
        raise _Invalid(f"{column} must be one of {', '.join(code_list)}; found {_shown(value)}")
    return value


def _datetime(column: str, value: str, now: datetime) -> datetime:
    expected = f"{column} must be a date and time like 2025-03-14T22:30 or 14/03/2025 22:30; found {_shown(value)}"
    uk_match = _UK_DATETIME.fullmatch(value)
    if not (_ISO_DATETIME.fullmatch(value) or uk_match):
        raise _Invalid(expected)
    try:
        if uk_match:
            day, month, year, hour, minute = (int(part) for part in uk_match.groups())
            parsed = datetime(year, month, day, hour, minute)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise _Invalid(f"{column} is not a real date and time: {_shown(value)}. "
                       "Use a date and time like 2025-03-14T22:30 or 14/03/2025 22:30") from error
    if parsed.tzinfo is None:
        _check_uk_clock(column, value, parsed)
    # An hour the autumn clock change repeats (01:00 to 02:00 on the last Sunday of October) is read as its first
    # time, in British Summer Time (fold 0); an offset, like +00:00, says which.
    parsed = parsed.replace(tzinfo=LONDON) if parsed.tzinfo is None else parsed.astimezone(LONDON)
    if parsed > now:
        raise _Invalid(f"{column} must not be in the future; found {_shown(value)}")
    return parsed


def _check_uk_clock(column: str, value: str, local: datetime) -> None:
    """Refuse a UK time that never happened: the hour the clocks skip on the last Sunday of March."""
    there_and_back = local.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    if there_and_back != local:
        raise _Invalid(f"{column} {_shown(value)} is not a time in the UK: the clocks went forward an hour at 01:00 "
                       f"on {local:%d/%m/%Y}, so 01:00 to 01:59 did not happen. Check the time, or give it with its "
                       "offset from UTC, like 2026-03-29T01:30+00:00")


def _date(column: str, value: str) -> date:
    match = _ISO_DATE.fullmatch(value) or _UK_DATE.fullmatch(value)
    if not match:
        raise _Invalid(f"{column} must be a date like 2015-06-01 or 01/06/2015, or left blank; "
                       f"found {_shown(value)}")
    first, second, third = (int(part) for part in match.groups())
    try:
        return date(first, second, third) if match.re is _ISO_DATE else date(third, second, first)
    except ValueError as error:
        raise _Invalid(f"{column} is not a real date: {_shown(value)}. "
                       "Use a date like 2015-06-01 or 01/06/2015") from error


def _date_of_birth(value: str, now: datetime) -> date:
    born = _date("date_of_birth", value)
    if born > now.date():
        raise _Invalid(f"date_of_birth must not be in the future; found {_shown(value)}")
    if born.year < 1900:
        raise _Invalid(f"date_of_birth must be after 1900; found {_shown(value)}")
    return born


def _person_key(values: dict) -> tuple:
    return (values.get("first_name", "").casefold(), values.get("last_name", "").casefold(),
            values.get("date_of_birth") or values.get("expected_date_of_birth"))


def _check_incident(reference: str, group: list[tuple[int, dict]]) -> list[RowError]:
    """Every row of one incident repeats the same incident details, and names each person once."""
    errors = []
    first_number, first = group[0]
    seen: dict[tuple, int] = {}
    for number, values in group:
        for column in INCIDENT_COLUMNS[1:]:
            if column in values and column in first and values[column] != first[column]:
                errors.append(RowError(number, column, f"{column} differs from row {first_number} for police_reference "
                                                       f"{reference}: every row of one incident must give the same "
                                                       f"{column}"))
        key = _person_key(values)
        if key in seen:
            errors.append(RowError(number, None, f"This row repeats the person on row {seen[key]} for police_reference "
                                                 f"{reference} (same name and date of birth): list each person once "
                                                 "per incident"))
        else:
            seen[key] = number
    return errors


def _incident(group: list[tuple[int, dict]]) -> Incident:
    first = group[0][1]
    people = tuple(Person(row=number, **{column: values[column] for column in PERSON_COLUMNS})
                   for number, values in group)
    return Incident(**{column: first[column] for column in INCIDENT_COLUMNS}, people=people)
