"""`pk__among=ids`: a filter on a list of whole numbers of any length, sent as one parameter (a JSON array read by
SQLite's json_each, a PostgreSQL array given as its text). `__in` sends one parameter per value, which SQLite
limits to 32,766 and Django prepares one by one: far slower for the tens of thousands of children behind a yearly
figure. Give the ids as a set: Django looks at every item of a list or tuple before the lookup sees it."""

from __future__ import annotations

import json

from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup
class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Whole numbers only: nothing else reaches the SQL. In order, so the rows are looked up in the order the
        # table keeps them (a fifth faster for a year's contacts' children on SQLite).
        return sorted(int(value) for value in self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            # As the array's text: the driver's own conversion of a list of tens of thousands of ids took longer
            # than the query (a fifth of a second for a year's contacts' children).
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, self.rhs)) + "}"]
        # lhs is the column Django names; the values travel as one parameter, never in the SQL text.
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(self.rhs)]  # noqa: S608
