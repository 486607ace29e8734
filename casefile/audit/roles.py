"""The PostgreSQL role the application runs as in production (docs/audit-trail.md, "Database roles").

Migrations run as the role that owns the tables; the application connects as another role that owns nothing, so it
cannot drop or disable the audit table's triggers, and may only read and add audit rows.
"""

from __future__ import annotations

from django.db import connection

from casefile.audit.guards import TABLE


def app_role_grants(role: str) -> list[str]:
    """GRANT statements for the application's role over every table Django manages (run them as the owner, after
    each migration that adds a table)."""
    name = connection.ops.quote_name(role)
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    statements = [f"GRANT USAGE ON SCHEMA public TO {name}",
                  f"GRANT SELECT ON django_migrations TO {name}"]
    for table in tables:
        privileges = "SELECT, INSERT" if table == TABLE else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {privileges} ON {connection.ops.quote_name(table)} TO {name}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
    return statements
