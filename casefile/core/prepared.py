"""Querysets built and compiled to SQL once, then run again with other ids.

Building a queryset (filter, select_related) and compiling it to SQL costs Django far more than running the
SQL for the few rows a page reads about one child: on the chronology, whose providers run one query each, the
ORM's building and compiling took about a third of the page. A query whose shape is the same on every request
(the same filters and joins, other ids) can be built once:

    @prepared
    def _visits(ids):
        return Visit.objects.order_by().filter(child_id__in=ids).select_related("worker", "recorded_by")

    for visit in _visits(scope.ids): ...

The function must build its queryset from its arguments alone (nothing from the clock, the user, the request or
settings): it is called once per shape with stand-in ids, and the SQL it compiles to is kept with the places of
the stand-ins among its parameters; each call then runs that SQL with the real ids and makes the rows into model
instances (or tuples, for values_list) as the queryset itself would, select_related objects and annotations
included. Arguments are ids (ints, or lists of ints, whose length is part of the shape) and dates. The queries go
through the connection's cursor like any other, so they are counted, logged and inside the request's transaction.

A list of more than MAX_IDS ids is one shape whatever its length, when the function hands it to `id_list` (below):
the SQL then carries the list as one parameter, a JSON array, which each call replaces. A queryset this cannot keep
(prefetch_related, values() dicts, related managers' known objects, a stand-in the SQL does not carry as a
parameter, an empty list, a long list not given to id_list) is built and run in full each time, so a prepared
function always answers what its queryset would.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesListIterable,
    create_namedtuple_class,
    get_related_populators,
)

# Stand-in ids: far above any real id, inside a 32-bit integer so no lookup treats them as out of range.
STAND_IN = 2_000_000_000
# Shapes kept per function (a list's length is part of the shape); past this, queries are built each time.
MAX_SHAPES = 64
# Past this many ids, a list is one shape (MANY) and id_list sends it as one JSON parameter.
MAX_IDS = 200
MANY = "many"


@dataclass
class _Kept:
    """A compiled query: its SQL, its parameters with the stand-ins' places, and how to make its rows."""

    compiler: object
    sql: str
    params: tuple
    # (parameter index, argument index, index in a list argument, or MANY for a long list's one JSON parameter)
    places: list[tuple[int, int, int | str | None]]
    iterable: type
    model_setup: tuple | None  # (model, start, end, field names, populators, annotations) for model rows
    named: type | None  # the row class of values_list(named=True)
    # Per connection (each thread has its own): [(column, (converter functions, expression))].
    converters: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)

    def run_raw(self, arguments: Sequence) -> list[tuple]:
        params = list(self.params)
        for place, argument, item in self.places:
            if item == MANY:
                params[place] = json.dumps(arguments[argument])
                continue
            value = arguments[argument] if item is None else arguments[argument][item]
            # A date is a parameter as the backend adapted its stand-in: text on SQLite, a date on PostgreSQL.
            params[place] = str(value) if isinstance(params[place], str) else value
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def run(self, arguments: Sequence) -> list:
        rows = self.run_raw(arguments)
        converted = self._convert(rows, connections[DEFAULT_DB_ALIAS])
        if self.named is not None:
            return [tuple.__new__(self.named, row) for row in converted]
        if self.iterable is ValuesListIterable:
            return list(converted)
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in converted]
        return [self._instance(row) for row in converted]

    def _convert(self, rows: list[tuple], connection) -> Iterable:
        """The rows with Django's converters applied, as results_iter would; the converters are worked out once per
        connection (finding them for each column of each query was a tenth of a prepared query's time)."""
        converters = self.converters.get(connection)
        if converters is None:
            compiler = copy.copy(self.compiler)
            compiler.connection = connection
            fields = [column[0] for column in compiler.select[0:compiler.col_count]]
            if compiler.has_composite_fields(fields):
                return compiler.results_iter(results=[rows], tuple_expected=self.iterable is ValuesListIterable)
            converters = self.converters[connection] = list(compiler.get_converters(fields).items())
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted if self.iterable is not ValuesListIterable else map(tuple, converted)

    def _instance(self, row):
        model, start, end, names, populators, annotations = self.model_setup
        instance = model.from_db(DEFAULT_DB_ALIAS, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations:
            setattr(instance, name, row[position])
        return instance


def _stand_ins(shape: tuple) -> list:
    """Stand-in arguments for a shape: None for an int, "date" for a date, MANY for a long list, else a list's
    length."""
    arguments, number = [], 0
    for length in shape:
        if length == MANY:
            length = MAX_IDS + 1
        if length == "date":
            arguments.append(datetime.date(1001 + number, 1, 1))
            number += 1
        elif length is None:
            arguments.append(STAND_IN + number)
            number += 1
        else:
            arguments.append([STAND_IN + number + i for i in range(length)])
            number += length
    return arguments


def _compile(queryset: QuerySet, arguments: list) -> _Kept | None:
    """The query kept for these stand-in arguments, or None if it cannot be."""
    iterable = queryset._iterable_class
    if (queryset.db != DEFAULT_DB_ALIAS or queryset._prefetch_related_lookups or queryset._known_related_objects
            or iterable not in (ModelIterable, ValuesListIterable, NamedValuesListIterable, FlatValuesListIterable)):
        return None
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
    except Exception:  # noqa: BLE001 - an empty result (EmptyResultSet) or anything else: not kept, run in full
        return None
    wanted = {}
    for index, value in enumerate(arguments):
        if isinstance(value, list) and len(value) > MAX_IDS:
            wanted[json.dumps(value)] = (index, MANY)  # id_list's one parameter, or not kept
            continue
        for item, stand_in in ([(None, value)] if isinstance(value, int | datetime.date) else enumerate(value)):
            wanted[stand_in] = (index, item)
            if isinstance(stand_in, datetime.date):
                wanted[str(stand_in)] = (index, item)
    places = [(place, *wanted[value]) for place, value in enumerate(params)
              if type(value) in (int, str, datetime.date) and value in wanted]
    if {(argument, item) for _, argument, item in places} != set(wanted.values()):
        return None  # a stand-in is not among the parameters (written into the SQL, or dropped): not kept
    setup = None
    if iterable is ModelIterable:
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        setup = (klass_info["model"], start, end, names, get_related_populators(klass_info, select, DEFAULT_DB_ALIAS),
                 list(compiler.annotation_col_map.items()))
    named = None
    if iterable is NamedValuesListIterable:
        query = queryset.query
        named = create_namedtuple_class(*(queryset._fields or [*query.extra_select, *query.values_select,
                                                                *query.annotation_select]))
        iterable = ValuesListIterable
    return _Kept(compiler, sql, tuple(params), places, iterable, setup, named)


def prepared(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """`build(ids, ...)` as a list of its rows, its queryset built and compiled once per shape (see above)."""
    return _prepare(build, raw=False)


def prepared_rows(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """As `prepared`, but each row as the database driver returns it, without Django's converters: for readers that
    convert the values themselves (oversight/signals.py). An argument may also be None (for everyone), which is
    built and run in full each time."""
    return _prepare(build, raw=True)


def driver_rows(queryset: QuerySet) -> list[tuple]:
    """The queryset's rows as the database driver returns them (no converters)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _prepare(build: Callable[..., QuerySet], raw: bool) -> Callable[..., list]:
    kept: dict[tuple, _Kept | None] = {}
    lock = threading.Lock()

    def in_full(arguments: list) -> list:
        return driver_rows(build(*arguments)) if raw else list(build(*arguments))

    @functools.wraps(build)
    def run(*arguments) -> list:
        arguments = [value if value is None or isinstance(value, int | datetime.date) else list(dict.fromkeys(value))
                     for value in arguments]
        values = list(_flat(arguments))
        if any(value == [] for value in arguments) or any(_kind(value) == "" for value in values):
            return in_full(arguments)
        shape = (connections[DEFAULT_DB_ALIAS].vendor, *(_length(value) for value in arguments))
        if shape not in kept:
            with lock:
                if shape not in kept and len(kept) < MAX_SHAPES:
                    kept[shape] = _compile(build(*_stand_ins(shape[1:])), _stand_ins(shape[1:]))
        query = kept.get(shape)
        if query is None:
            return in_full(arguments)
        return query.run_raw(arguments) if raw else query.run(arguments)

    run.kept = kept  # for tests: which shapes were compiled, and whether each could be kept
    return run


def _length(value) -> str | int | None:
    if not isinstance(value, list):
        return _kind(value)
    return MANY if len(value) > MAX_IDS else len(value)


def _flat(arguments: list):
    for value in arguments:
        yield from (value if isinstance(value, list) else [value])


def _kind(value) -> str | None:
    """None for an int (one a database column can hold), "date" for a date (not a datetime), else "" (not one
    this can keep: an id past 64 bits, from a URL, is left to the queryset, which finds no such row; None)."""
    if type(value) is int:
        return None if -(2**63) <= value < 2**63 else ""
    return "date" if type(value) is datetime.date else ""


def install_prefetched(instance, accessor: str, rows: list) -> None:
    """Make `instance.<accessor>.all()` (a reverse foreign key) answer `rows` without a query, as prefetch_related
    would have, each row's foreign key pointing back at `instance`: for rows read by a prepared query."""
    manager = getattr(instance, accessor)
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset
    for row in rows:
        manager.field.set_cached_value(row, instance)


def id_list(ids: list[int]) -> list[int] | RawSQL:
    """For `field__in=`, a foreign key's too (`pk__among`, core/lookups.py, is for integer fields): the ids as they
    are when few, else a subquery over one parameter, a JSON array (both databases read JSON natively). With one
    parameter, thousands of ids are not each made a parameter by Django and the driver, SQLite's limit on variables
    cannot be reached, and a prepared query keeps one shape for every long list (see above)."""
    ids = list(ids)
    if len(ids) <= MAX_IDS:
        return ids
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return RawSQL("SELECT value::bigint FROM jsonb_array_elements_text(%s::jsonb)", (json.dumps(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
