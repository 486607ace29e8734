"""Whatever a police file looks like, staging it either stages it or refuses it, and a refusal changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.frontdoor.models import ImportBatch, NotificationPerson
from casefile.frontdoor.services import imports
from casefile.frontdoor.tests.test_police_files import example_bytes

ROWS = list(csv.reader(io.StringIO(example_bytes().decode())))


def _write(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _delete_column(data, column):
    return [[cell for index, cell in enumerate(row) if index != column % len(row)] for row in data]


def _duplicate_column(data, column):
    return [row + [row[column % len(row)]] for row in data]


def _garble_cell(data, row, column, text):
    data = [list(cells) for cells in data]
    target = data[1 + row % (len(data) - 1)]
    target[column % len(target)] = text
    return data


GARBLES = st.sampled_from(["30/02/2026 10:00", "2099-01-01T10:00", "severe", "maybe", "X", "LS99", "", "1899-12-31",
                           "=cmd|' /C calc'!A0", "2026-13-01", "neighbour", "A" * 400, "WYP/26/004512",
                           # The optional columns: an NHS number, an expected date of birth, an unborn child's sex;
                           # a time the spring clock change skips; a field longer than the csv reader's own limit.
                           "943 476 5919", "943 476 5918", "2027-03-02", "2026-11-01", "U", "child",
                           "2026-03-29T01:30", "x" * 140_000])
EDITS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("duplicate"), st.integers(0, 20)),
    st.tuples(st.just("garble"), st.integers(0, 20), st.integers(0, 20), GARBLES),
)


def _apply(edits) -> bytes:
    data = [list(row) for row in ROWS]
    for edit in edits:
        if edit[0] == "delete":
            data = _delete_column(data, edit[1])
        elif edit[0] == "duplicate":
            data = _duplicate_column(data, edit[1])
        else:
            data = _garble_cell(data, *edit[1:])
    return _write(data)


FILES = st.one_of(
    st.lists(EDITS, min_size=1, max_size=4).map(_apply),
    st.binary(max_size=300),
    st.integers(0, len(example_bytes())).map(lambda cut: example_bytes()[:cut]),
    st.tuples(st.integers(0, len(example_bytes())), st.binary(min_size=1, max_size=8)).map(
        lambda spliced: example_bytes()[:spliced[0]] + spliced[1] + example_bytes()[spliced[0]:]),
)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FILES)
def test_staging_never_fails_except_by_refusing_and_a_refusal_leaves_the_records_as_they_were(org, data):
    ImportBatch.objects.update(status=ImportBatch.Status.DISCARDED)  # each example starts with no live batch
    before = row_counts()
    try:
        batch = imports.stage_file(actor=org.fran, data=data, filename="fuzz.csv")
    except imports.ImportRefused as refused:
        assert refused.errors and all(error.message for error in refused.errors)
        # A problem in a row names the row: only whole-file problems have none.
        assert all(error.row or not error.column for error in refused.errors)
        after = row_counts()
        assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
        assert after == before
    else:
        assert batch.status == ImportBatch.Status.STAGED and batch.incident_count >= 1
        assert batch.notifications.count() == batch.incident_count
        people = NotificationPerson.objects.filter(notification__batch=batch)
        rows = set(people.values_list("row", flat=True))
        for entry in people.filter(match=NotificationPerson.Match.SAME):
            assert entry.same_as_row in rows and entry.same_as_row < entry.row
