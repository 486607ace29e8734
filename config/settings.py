"""Casefile settings.

Everything that differs between a laptop demo and a council's production service comes from the
environment. With no environment at all, Casefile runs on SQLite for a demo on this machine only.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read a setting, or its `NAME_FILE` companion (for secrets mounted as files)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return default if value == "" else value.lower() in ("1", "true", "yes", "on")


def env_json(name: str, default: dict) -> dict:
    """A JSON object from the environment, e.g. CASEFILE_CLOCKS='{"convention": "anchor_is_day_1"}'."""
    value = env(name)
    if value == "":
        return default
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None
    if not isinstance(parsed, dict):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a JSON object, like {{\"key\": \"value\"}}")
    return parsed


DEBUG = env_bool("DEBUG", False)
# Demo mode: demo logins, no TOTP requirement, runs on loopback only. Never set it in production.
DEMO_MODE = env_bool("CASEFILE_DEMO", False)

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'casefile.sqlite3'}"),
        conn_max_age=60,
    )
}


def demo_secret_key(database: dict) -> str:
    """The demo's key: made once, kept in a file beside the demo's SQLite database (gitignored with it), so
    sessions survive a restart and no key is ever built into the code."""
    from django.core.exceptions import ImproperlyConfigured

    if database["ENGINE"] != "django.db.backends.sqlite3" or str(database["NAME"]) in ("", ":memory:"):
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE): the demo only makes its own beside an "
                                   "SQLite database file.")
    key_file = Path(f"{database['NAME']}.secret-key")
    if not key_file.exists():
        import secrets

        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only; created exclusively, so two processes starting together agree on one key.
        try:
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


# There is no built-in key: production and development read SECRET_KEY (or SECRET_KEY_FILE), the demo makes its
# own (demo_secret_key) and the tests make one each run (config/settings_test.py).
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEMO_MODE:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value: Casefile has no "
                                   "built-in key. Only the demo (CASEFILE_DEMO=1) makes its own.")
    SECRET_KEY = demo_secret_key(DATABASES["default"])

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

# The name the service shows in its header; councils set their own.
SERVICE_NAME = env("CASEFILE_SERVICE_NAME", "Casefile")
AUTHORITY_NAME = env("CASEFILE_AUTHORITY_NAME", "Demo Borough Council")

# The authority's local choices. Every CASEFILE_* setting the code reads is declared here with its default
# (core/tests/test_settings_declared.py fails otherwise); the dict ones are JSON in the environment.
# Statutory clocks: convention, local limits, due-soon window (docs/architecture.md, casework/deadlines.py).
CASEFILE_CLOCKS = env_json("CASEFILE_CLOCKS", {})
# Caseload weights per kind of work, over the defaults in casework/caseloads.py, e.g. {"cp_plan": 4}.
CASEFILE_CASELOAD_WEIGHTS = env_json("CASEFILE_CASELOAD_WEIGHTS", {})
# How often staff are supervised (rules/supervision.py): e.g. {"usual": {"amount": 4, "unit": "weeks"},
# "newly_qualified": {"amount": 14, "unit": "days"}, "newly_qualified_months": 12, "due_soon_days": 7}.
CASEFILE_SUPERVISION = env_json("CASEFILE_SUPERVISION", {})
# Drift and quality signal thresholds over the defaults in rules/signals.py (SignalSettings), e.g.
# {"cin_review_interval_months": 3, "late_recording_working_days": 3} (oversight/signals.py).
CASEFILE_SIGNALS = env_json("CASEFILE_SIGNALS", {})
# Front-door standards: office hours, open limit, threshold levels (docs/front-door.md, frontdoor/standards.py).
CASEFILE_FRONT_DOOR = env_json("CASEFILE_FRONT_DOOR", {})
# The front door's phone number, printed in letters to referrers.
CASEFILE_FRONT_DOOR_PHONE = env("CASEFILE_FRONT_DOOR_PHONE", "")
# Retention periods per kind of child's record, over the defaults in rules/retention.py, each with its source, e.g.
# {"child_in_need": {"until_birthday": 25, "source": "Borough records policy, 4.2"}} (docs/production.md).
CASEFILE_RETENTION = env_json("CASEFILE_RETENTION", {})
# Working days allowed at each stage of a chair's practice concern, over the local defaults in rules/escalation.py,
# e.g. {"informal": 3, "service_manager": 15}.
CASEFILE_ESCALATION_WORKING_DAYS = env_json("CASEFILE_ESCALATION_WORKING_DAYS", {})
# Searches and duplicate checks one person may make in a minute; past it they are refused (429) and the burst is
# audited (access/throttle.py). Production needs a cache its processes share for the count to hold across them.
CASEFILE_LOOKUP_RATE_LIMIT = int(env("CASEFILE_LOOKUP_RATE_LIMIT", "60"))
# The authority's three-digit DfE LA code, the LEA in a CIN census file's header (returns/census.py). The default
# is the demo's, the DfE pseudo authority number the simulated UPNs also use.
CASEFILE_LA_CODE = env("CASEFILE_LA_CODE", "001")
# The largest CIN census file the validator page accepts, in bytes (a census of 50,000 children is about 60 MB).
CASEFILE_CIN_UPLOAD_MAX_BYTES = int(env("CASEFILE_CIN_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024)))
# Performance figures the nightly job does not keep (a 12 months to a chosen day) are worked out while the page loads
# when the record holds at most this many contacts to read; above it, in the background (insight/figures.py). On
# `large`, four years of contacts (400,000) take about 5 s to read and compute (bench/results.md).
CASEFILE_PAGE_CONTACTS_LIMIT = int(env("CASEFILE_PAGE_CONTACTS_LIMIT", "40000"))
# How many processes work out a scope's indicators in the background, each reading and computing its own groups of
# indicators (insight/figures.py `indicators_over`): 0 for one per core this process may run on.
CASEFILE_FIGURE_PROCESSES = int(env("CASEFILE_FIGURE_PROCESSES", "0"))

INSTALLED_APPS = [
    # First, so that its runserver (which keeps the demo on loopback) replaces staticfiles' own.
    "casefile.core",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "casefile.accounts",
    "casefile.audit",
    "casefile.people",
    "casefile.casework",
    "casefile.frontdoor",
    "casefile.quality",
    "casefile.oversight",
    "casefile.returns",
    "casefile.insight",
    "casefile.access",
    "casefile.retention",
    "casefile.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casefile.core.middleware.RequestIdMiddleware",
    # Outside everything but static files: every response to a signed-in user says Cache-Control: no-store.
    "casefile.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the person why they were signed out.
    "casefile.accounts.middleware.InactivityTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "casefile.accounts.middleware.RequireSignInMiddleware",
    "casefile.accounts.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "casefile.core.middleware.RepeatedSubmissionMiddleware",
    # Answers a refused search or duplicate check (access/throttle.py) with a 429 page.
    "casefile.access.throttle.ThrottleMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Pages are Jinja2 so the GOV.UK Frontend macros can be used as published.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "casefile" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "casefile.core.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "casefile.core.context_processors.service",
            ],
        },
    },
    {
        # Django's own template language, for the parts of allauth we do not restyle (e-mails).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("CASEFILE_PG_PREPARED_STATEMENTS",
                                                                                True):
    # Parameters bound by the server, and a statement prepared once a connection has run it 5 times (psycopg's
    # own threshold): PostgreSQL then stops planning the same query on every page, which took it longer than
    # running most of them (ADR 0026). Off for a connection pooler that cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout avoid "database is locked" under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Python keeps this many compiled statements per connection (128 by default): the pages run several hundred
        # query texts, which were compiled again and again (ADR 0026).
        "cached_statements": 1024,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

# The audit trail's anchor (ADR 0017, docs/audit-trail.md). The key that seals every audit event, never held by the
# database: CASEFILE_AUDIT_KEY, or CASEFILE_AUDIT_KEY_FILE naming a file that holds it (at least 32 characters).
CASEFILE_AUDIT_KEY = env("CASEFILE_AUDIT_KEY")
# The current key's id, stored on each event; on rotation give the new key a new id and retire the old one.
CASEFILE_AUDIT_KEY_ID = env("CASEFILE_AUDIT_KEY_ID", "1")
# Keys retired by rotation, still needed to check what they sealed: {"1": "the old key"} (JSON; or _FILE).
CASEFILE_AUDIT_RETIRED_KEYS = env_json("CASEFILE_AUDIT_RETIRED_KEYS", {})
# The demo (and DEBUG) on SQLite with no key set makes its own on first use, beside its database (gitignored).
_LOCAL_AUDIT = (DEMO_MODE or DEBUG) and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
_LOCAL_AUDIT_BASE = f"{DATABASES['default']['NAME']}.audit" if _LOCAL_AUDIT else ""
CASEFILE_AUDIT_LOCAL_KEY_FILE = f"{_LOCAL_AUDIT_BASE}-key" if _LOCAL_AUDIT and not CASEFILE_AUDIT_KEY else ""
if not (CASEFILE_AUDIT_KEY or CASEFILE_AUDIT_LOCAL_KEY_FILE):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set CASEFILE_AUDIT_KEY (or CASEFILE_AUDIT_KEY_FILE): see docs/audit-trail.md.")
# Checkpoints of the chain's head, appended to this file outside the database for an operator to ship elsewhere:
# written after an audit append at most every CASEFILE_AUDIT_CHECKPOINT_SECONDS, and by `manage.py audit_checkpoint`.
CASEFILE_AUDIT_CHECKPOINT_FILE = env("CASEFILE_AUDIT_CHECKPOINT_FILE", f"{_LOCAL_AUDIT_BASE}-checkpoints"
                                     if _LOCAL_AUDIT else "")
CASEFILE_AUDIT_CHECKPOINT_SECONDS = int(env("CASEFILE_AUDIT_CHECKPOINT_SECONDS", "60"))

# Background tasks (ADR 0011, docs/background-tasks.md): long work (confirming a police file, a long PDF) is queued
# in the database and run by `manage.py db_worker` processes, as many as needed, on any machine that reaches the
# database. CASEFILE_TASK_BACKEND may name another django-tasks backend (the tests use the immediate one).
TASKS = {
    "default": {
        "BACKEND": env("CASEFILE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The police file preview posts one answer per person who may already have a record: up to 10,000 rows
# (rules.police_notifications.MAX_ROWS), past Django's default limit of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 11_000

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:my_work"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: staff sign in with a username issued by the authority; no self sign-up.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "casefile.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins (ADR 0019, casefile/accounts/lockout.py). Councils sit behind one NAT address, so nothing a
# stranger can do locks anyone out for long: django-axes pauses one username at one address after
# SIGN_IN_FAILURES_PER_USER failures, for SIGN_IN_PAUSE_MINUTES after the last; an address is paused only after
# SIGN_IN_FAILURES_PER_ADDRESS failures (any usernames) in that time. Administrators see and clear pauses at
# /sign-in-locks/. allauth's own per-address counters are raised so they never fire before ours: they live in
# each process's memory and would block a whole office.
ACCOUNT_RATE_LIMITS = {"login": "600/m/ip", "login_failed": False}
# GOV.UK wording on allauth's own forms (labels, no placeholders, errors that say what to do).
ACCOUNT_FORMS = {
    "login": "casefile.accounts.forms.LoginForm",
    "reauthenticate": "casefile.accounts.forms.ReauthenticateForm",
    "reset_password": "casefile.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "casefile.accounts.forms.ResetPasswordKeyForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "casefile.accounts.forms.AuthenticateForm",
    "reauthenticate": "casefile.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "casefile.accounts.forms.ActivateTOTPForm",
    "deactivate_totp": "casefile.accounts.forms.DeactivateTOTPForm",
}
MFA_TOTP_ISSUER = SERVICE_NAME
# Staff roles must use TOTP outside the demo.
CASEFILE_REQUIRE_TOTP = env_bool("CASEFILE_REQUIRE_TOTP", not DEMO_MODE)
SOCIALACCOUNT_ADAPTER = "casefile.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict = {}
if env("OIDC_CLIENT_ID"):
    # Single sign-on (for example Entra ID). Accounts must already exist: SSO never creates staff.
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", "council"),
                "name": env("OIDC_PROVIDER_NAME", "Council sign-in"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ]
    }

# See the note above ACCOUNT_RATE_LIMITS.
SIGN_IN_FAILURES_PER_USER = int(env("SIGN_IN_FAILURES_PER_USER", "5"))
SIGN_IN_FAILURES_PER_ADDRESS = int(env("SIGN_IN_FAILURES_PER_ADDRESS", "100"))
SIGN_IN_PAUSE_MINUTES = int(env("SIGN_IN_PAUSE_MINUTES", "5"))
# This many refused sign-ins from one address within the pause is a burst: audited once, as a burst.
SIGN_IN_BURST = int(env("SIGN_IN_BURST", "20"))
AXES_FAILURE_LIMIT = SIGN_IN_FAILURES_PER_USER
AXES_COOLOFF_TIME = datetime.timedelta(minutes=SIGN_IN_PAUSE_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failure while paused does not extend the pause: otherwise a stranger could keep someone out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Mail (password reset). Production sends through the council's SMTP relay; the demo and development print
# messages in the terminal; the tests keep them in django.core.mail.outbox.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEMO_MODE or DEBUG
                    else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "casefile@localhost")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SERVICE_NAME}] "

# Sessions end after inactivity and when the browser closes. The session is saved when it changes, which the idle
# time-out does at most once a minute (accounts/middleware.py), not on every request.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CASEFILE_IDLE_TIMEOUT_SECONDS = SESSION_COOKIE_AGE

SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A refused form (expired session, a page left open too long) is answered in the service's layout.
CSRF_FAILURE_VIEW = "casefile.core.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

# A strict policy: only our own files, and inline scripts only with the per-response nonce
# (csp.constants.NONCE becomes 'nonce-...' whenever a page uses request.csp_nonce, as the layout does).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "casefile" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
