"""Time staging and confirming a police notification file of 1,000 incidents (about 3,000 people) on SQLite.

    .venv/bin/python bench/police_import.py [--incidents 1000] [--runs 3]

Each run builds a fresh SQLite file (tables from the models), a front-door practitioner, and 200 existing children
so that some people match; then times stage_file + confirm_batch on the same generated file (fixed seed). The
median of the runs goes to bench/results.md. Target: under 30 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

import _common

TARGET_SECONDS = 30
FIRST = ["Lily", "Noah", "Amara", "Tyler", "Zoe", "Oliver", "Ava", "Leo", "Mia", "Jack", "Isla", "Harry", "Ruby",
         "Oscar", "Freya", "Alfie", "Evie", "Charlie", "Poppy", "George"]
ADULT_FIRST = ["Jodie", "Dean", "Sean", "Kerry", "Marcus", "Zainab", "Paul", "Claire", "Tom", "Gemma"]
LAST = ["Marsh", "Okafor", "Walsh", "Reid", "Khan", "Patel", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans",
        "Thomas", "Roberts", "Hughes", "Lewis", "Kowalski", "Nowak", "Ahmed", "Begum"]
STREETS = ["Elm Grove", "Chapel Street", "Harehills Lane", "Station Road", "Park Avenue", "Church Lane"]
POSTCODES = ["LS6 2AB", "LS8 5HS", "BD1 5DL", "LS1 4AB", "LS9 7QP", "BD3 9LE", "LS11 5TT", "LS12 2JJ"]


def generate(incidents: int, seed: int = 1) -> bytes:
    from casefile.rules.police_notifications import COLUMNS

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    start = datetime.datetime(2026, 1, 1, 0, 0)
    for number in range(incidents):
        # A family name per incident: matches come from the seeded children. Letters, not digits: names are compared
        # without their digits, so "Marsh1" and "Marsh2" would be one family to the matching.
        surname = f"{rng.choice(LAST)}{_letters(number)}"
        when = start + datetime.timedelta(minutes=rng.randrange(0, 300 * 24 * 60))
        if (when.month, when.day, when.hour) == (3, 29, 1):
            when += datetime.timedelta(hours=1)  # 01:00-01:59 on 29 March 2026 never happened in the UK
        details = {"police_reference": f"WYP/26/{number:06d}", "incident_datetime": f"{when:%Y-%m-%dT%H:%M}",
                   "reported_datetime": f"{when + datetime.timedelta(minutes=40):%Y-%m-%dT%H:%M}",
                   "dash_risk": rng.choice(["standard"] * 6 + ["medium"] * 3 + ["high"]),
                   "children_present": rng.choice(["yes", "no", "unknown"]),
                   "household_address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}, Leeds",
                   "postcode": rng.choice(POSTCODES), "officer_name": f"PC {rng.randrange(1000, 9999)} Amir Khan",
                   "summary": "Neighbour called 999 after hearing shouting. " * rng.randrange(1, 5)}
        victim = rng.choice(ADULT_FIRST)
        people = [("victim", victim, "F"), ("perpetrator", rng.choice([n for n in ADULT_FIRST if n != victim]), "M")]
        people += [("child", rng.choice(FIRST), rng.choice("MFU")) for _ in range(rng.choice([1, 1, 2]))]
        for index, (role, first, sex) in enumerate(people):
            born = (datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(0, 5000)) if role == "child"
                    else datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9000)))
            writer.writerow({**details, "person_role": role, "first_name": f"{first}{'' if index < 2 else index}",
                             # Every child has a date of birth (the import refuses a child without one); one adult
                             # in ten has none.
                             "last_name": surname,
                             "date_of_birth": born.isoformat() if role == "child" or rng.random() > 0.1 else "",
                             "sex": sex})
    return out.getvalue().encode()


def _letters(number: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": a suffix of letters only."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if not number:
            return letters


def seed_children(rows: bytes, count: int) -> None:
    """Existing records for some of the children in the file, so matching finds them."""
    from casefile.people.models import Person

    children = [row for row in csv.DictReader(io.StringIO(rows.decode())) if row["person_role"] == "child"]
    Person.objects.bulk_create([
        Person(kind=Person.Kind.CHILD, first_name=row["first_name"], last_name=row["last_name"],
               date_of_birth=datetime.date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None,
               last_name_key=_key(row["last_name"]))
        for row in children[::max(len(children) // count, 1)][:count]])


def _key(last_name: str) -> str:
    from casefile.rules import names

    return names.phonetic_key(last_name)


def _fresh_tables() -> None:
    """Empty every table between runs (the schema stays)."""
    from django.apps import apps
    from django.db import connection, transaction

    # One transaction, so the deferred foreign-key checks see every table emptied, whatever the order.
    with transaction.atomic(), connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')  # noqa: S608 (table names from the models)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    database = Path(tempfile.gettempdir()) / "casefile-bench" / "police-import.sqlite3"
    _common.setup_django(database, fresh=True)
    environment = _common.environment()
    data = generate(options.incidents)
    results = []
    for run in range(options.runs):
        if run:
            _fresh_tables()
        results.append(_timed(data))
        print(f"run {len(results)}: stage {results[-1][0]:.1f} s, confirm {results[-1][1]:.1f} s, {results[-1][2]}")
    totals = [stage + confirm for stage, confirm, _ in results]
    median = statistics.median(totals)
    stage_median = statistics.median(stage for stage, _, _ in results)
    confirm_median = statistics.median(confirm for _, confirm, _ in results)
    facts = results[0][2]
    verdict = "under" if median < TARGET_SECONDS else "OVER"
    people = " / ".join(f"{facts[match]:,}" for match in ("matched", "possible", "new", "same"))
    _common.write_section("police_import", f"""
## Police notification import: {facts['incidents']:,} incidents on a fresh SQLite file

A generated daily file (fixed seed) of {facts['incidents']:,} incidents and {facts['people']:,} people, staged with
`stage_file` (checked, matched against {200} existing children) and confirmed with `confirm_batch`
({facts['contacts']:,} contacts, new records for everyone not matched). Median of {options.runs} runs.

| Measure | Result |
|---|---|
| Stage + confirm | **{median:.1f} s** ({verdict} the {TARGET_SECONDS} s target) |
| Stage (median) | {stage_median:.1f} s |
| Confirm (median) | {confirm_median:.1f} s |
| All runs | {", ".join(f"{total:.1f} s" for total in totals)} |
| People matched / possible / new / same as an earlier row | {people} |

Environment: {environment}.
""")
    print(f"Median stage + confirm: {median:.1f} s (target < {TARGET_SECONDS} s)")


def _timed(data: bytes) -> tuple[float, float, dict]:
    from casefile.frontdoor.models import Contact, ImportBatch, NotificationPerson
    from casefile.frontdoor.services import imports
    from casefile.testing import make_org

    org = make_org()
    seed_children(data, 200)
    started = time.perf_counter()
    batch = imports.stage_file(actor=org.fran, data=data, filename="bench.csv")
    staged = time.perf_counter()
    possible = NotificationPerson.objects.filter(notification__batch=batch, match="possible")
    # The work alone: the pauses that let other people's requests in between steps (ADR 0011) are measured by
    # bench/police_import_task.py, where there are other requests.
    imports.SQLITE_PAUSE_SECONDS = 0
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry.pk: None for entry in possible})
    done = time.perf_counter()
    matches = dict.fromkeys(("matched", "possible", "new", "same"), 0)
    for match in NotificationPerson.objects.values_list("match", flat=True):
        matches[match] += 1
    assert ImportBatch.objects.get().status == "confirmed"
    facts = {"incidents": batch.incident_count, "people": batch.person_count, "contacts": Contact.objects.count(),
             **matches}
    return staged - started, done - staged, facts


if __name__ == "__main__":
    main()
