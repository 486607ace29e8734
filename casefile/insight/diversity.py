"""Who the children are, as rules/diversity.py reads them: each child's ethnicity, religion, disability and sex,
in two queries whatever the number of children. Only codes are read, no names."""

from __future__ import annotations

from collections.abc import Iterable

from casefile.core.prepared import driver_rows
from casefile.people.models import Disability, Person
from casefile.rules import diversity as rules
from casefile.rules.codes import NO_DISABILITY

QUERIES = 2


def characteristics(among: Iterable[int] | None = None, only: Iterable[str] | None = None) -> dict[int, dict]:
    """Every child's recorded characteristics by id (or only those `among` these ids, and only the characteristics
    named in `only`): `disabled` is None when no disability is recorded, False when only "no disability" is, True
    otherwise. Disabilities are read only when asked for."""
    # The column each characteristic is read from (rules.SOURCES; "disabled" from the child's disabilities).
    wanted = {rules.SOURCES[name] for name in only} if only is not None else set(rules.SOURCES.values())
    columns = [column for column in ("ethnicity", "religion", "sex") if column in wanted]
    people, disabilities = Person.objects.filter(kind=Person.Kind.CHILD), Disability.objects.all()
    if among is not None:
        # A set, not a list: Django would otherwise look at each of tens of thousands of ids before sending them.
        people = people.filter(pk__among=frozenset(among))
        disabilities = disabilities.filter(person__in=people.values("pk"))
    children = {pk: dict(zip(columns, values, strict=True), disabled=None)
                for pk, *values in driver_rows(people.order_by().values_list("pk", *columns))}
    if "disabled" in wanted:
        for person, code in disabilities.order_by().values_list("person_id", "code"):
            if person in children:
                children[person]["disabled"] = bool(children[person]["disabled"]) or code != NO_DISABILITY
    return children
