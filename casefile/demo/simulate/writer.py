"""Writing the simulated rows: buffered as plain dicts with ids assigned up front, written in batches."""

from __future__ import annotations

import datetime
import json
from collections import Counter

from django.core.management.color import no_style
from django.db import connection, models

from casefile.access.models import RestrictedAccessGrant
from casefile.casework import models as cw
from casefile.frontdoor import models as fd
from casefile.people.models import Address, Disability, Household, HouseholdMember, Person, Relationship

# Writing rows ---------------------------------------------------------------------------------------------

# Parents before children, so every batch can be written (and checked) whichever database it is.
MODELS: list[type[models.Model]] = [
    Household, Person, Address, Disability, HouseholdMember, Relationship,
    cw.Episode, cw.Allocation, cw.Assessment, cw.AssessmentFactor, cw.AssessmentAdult,
    cw.StrategyDiscussion, cw.StrategyParticipant, cw.Section47Enquiry, cw.Conference, cw.ConferenceParticipant,
    cw.ConferenceReport, cw.Plan, cw.PlanOutcome, cw.PlanAction, cw.PlanReview, cw.ActionProgress, cw.CoreGroup,
    cw.AgreedAction, cw.Visit, cw.CaseNote, cw.EarlyHelpTransfer, RestrictedAccessGrant,
    fd.ImportBatch, fd.Contact, fd.ContactChild, fd.ContactAdult, fd.PoliceNotification, fd.NotificationPerson,
    fd.ThresholdDecision, fd.Handover, fd.ReferrerLetter,
]


class Writer:
    """Buffers new rows per model as plain dicts, with ids assigned up front, and writes them in batches.

    Rows stay in memory until `flush_if_full` between two referrals, so a journey can still change its own
    rows (an episode's closure, a plan's end) before they are written. On SQLite the rows go in with one
    prepared INSERT per model and executemany: the statement bulk_create would send, without its per-value
    compilation, which is most of the time for millions of rows. Other databases use bulk_create.
    """

    FLUSH_EVERY = 50_000

    def __init__(self) -> None:
        self.next_id = {model: (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 for model in MODELS}
        self.buffers: dict[type[models.Model], list[dict]] = {model: [] for model in MODELS}
        self.counts: Counter[str] = Counter()
        self.buffered = 0

    def add(self, model: type[models.Model], **values) -> dict:
        values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.buffers[model].append(values)
        self.buffered += 1
        return values

    def flush_if_full(self) -> None:
        if self.buffered >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for model in MODELS:
            rows = self.buffers[model]
            if rows:
                if connection.vendor == "sqlite":
                    _insert_sqlite(model, rows)
                else:
                    model.objects.bulk_create([model(**row) for row in rows], batch_size=2_000)
                self.counts[model._meta.label] += len(rows)
                self.buffers[model] = []
        self.buffered = 0

    def reset_sequences(self) -> None:
        """PostgreSQL sequences do not move when ids are given: move them past the new rows (SQLite needs nothing)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(sql)


def _insert_sqlite(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT every row, each field given or else its default, with values as Django's SQLite backend stores them."""
    columns = model._meta.concrete_fields
    # Table and column names come from the model, never from input.
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(  # noqa: S608
        model._meta.db_table, ", ".join(f'"{column.column}"' for column in columns), ", ".join("?" * len(columns)))
    # A field left out gets its default (computed once per batch); only date fields need converting.
    fields = [(column.attname, None if column.primary_key else column.get_default(),
               isinstance(column, models.DateField), isinstance(column, models.JSONField)) for column in columns]

    def convert(value, dated: bool, is_json: bool):
        if dated:
            return _SQLITE_TEXT[value]
        return json.dumps(value) if is_json and value is not None else value  # None: SQL NULL, as Django stores it

    def values(row: dict) -> list:
        return [convert(row.get(name, default), dated, is_json) for name, default, dated, is_json in fields]

    with connection.cursor() as cursor:
        cursor.executemany(sql, map(values, rows))


class _SqliteText(dict):
    """Dates as ISO text, aware datetimes as naive UTC text (as Django's SQLite operations store them), each
    converted once: a simulation has a few thousand distinct days and millions of dated rows."""

    def __missing__(self, value):
        if isinstance(value, datetime.datetime):
            text = str(value.astimezone(datetime.UTC).replace(tzinfo=None))
        else:
            text = value.isoformat()
        self[value] = text
        return text


_SQLITE_TEXT = _SqliteText({None: None})
