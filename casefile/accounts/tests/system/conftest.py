# The browser set-up shared by every system test: Debian's Chromium, the live server, the audit-trail guards.
from tests.system.conftest import (  # noqa: F401
    _audit_guards_restored,
    _empty_audit_trail_before_flush,
    browser_context_args,
    browser_type_launch_args,
)
