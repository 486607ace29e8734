"""Police notification CSV files for the tests (the documented example, and files built row by row), imported by
the other test_police_* modules."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from casefile.rules.police_notifications import COLUMNS

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "police-notifications-example.csv"

INCIDENT = {"incident_datetime": "2026-11-20T22:40", "reported_datetime": "2026-11-20T23:05", "dash_risk": "standard",
            "children_present": "yes", "household_address": "14 Elm Grove, Leeds", "postcode": "LS6 2AB",
            "officer_name": "PC 4471 Amir Khan", "summary": "Neighbour heard shouting."}


def example_bytes() -> bytes:
    return EXAMPLE.read_bytes()


def person(role: str, first: str, last: str, dob: str = "", sex: str = "F", **fields) -> dict:
    """One person's columns; `fields` for the optional ones (expected_date_of_birth, nhs_number)."""
    return {"person_role": role, "first_name": first, "last_name": last, "date_of_birth": dob, "sex": sex, **fields}


def incident(reference: str, *people: dict, **fields) -> list[dict]:
    """The rows of one incident: its details repeated on each person's row."""
    return [{"police_reference": reference, **INCIDENT, **fields, **someone} for someone in people]


def csv_bytes(*incidents: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for rows in incidents:
        writer.writerows(rows)
    return out.getvalue().encode()


def household(reference: str, surname: str = "Marsh", **fields) -> list[dict]:
    """A victim, a perpetrator and one child."""
    return incident(reference, person("victim", "Jodie", surname, "1994-03-12"),
                    person("perpetrator", "Dean", surname, "1990-11-02", "M"),
                    person("child", "Lily", surname, "2017-05-30"), **fields)


def test_the_files_built_here_are_valid_police_files():
    from django.utils import timezone

    from casefile.rules.police_notifications import parse_notifications

    assert parse_notifications(example_bytes(), now=timezone.now()).ok
    built = parse_notifications(csv_bytes(household("DA/1"), household("DA/2", surname="Reid")), now=timezone.now())
    assert built.ok and [len(found.people) for found in built.incidents] == [3, 3]
