"""Who the children are, as rules/diversity.py reads them: each child's ethnicity, religion, disability and sex,
in two queries whatever the number of children. Only codes are read, no names."""

from __future__ import annotations

from collections.abc import Iterable

from casefile.people.models import Disability, Person
from casefile.rules.codes import NO_DISABILITY

QUERIES = 2


def characteristics(among: Iterable[int] | None = None) -> dict[int, dict]:
    """Every child's recorded characteristics by id (or only those `among` these ids): `disabled` is None when no
    disability is recorded, False when only "no disability" is, True otherwise."""
    people, disabilities = Person.objects.filter(kind=Person.Kind.CHILD), Disability.objects.all()
    if among is not None:
        among = list(among)
        people = people.filter(pk__among=among)
        disabilities = disabilities.filter(person__in=people.values("pk"))
    children = {pk: {"ethnicity": ethnicity, "religion": religion, "sex": sex, "disabled": None}
                for pk, ethnicity, religion, sex in people.order_by().values_list("pk", "ethnicity", "religion", "sex")}
    for person, code in disabilities.order_by().values_list("person_id", "code"):
        if person in children:
            children[person]["disabled"] = bool(children[person]["disabled"]) or code != NO_DISABILITY
    return children
