"""Test settings: the real stack, with a fast password hasher so a 2-core run stays quick."""

import os
import secrets

# The tests' own audit key, made for this run (never one committed here), in the environment so that the workers
# and commands the tests start as subprocesses seal with it too.
os.environ.setdefault("CASEFILE_AUDIT_KEY", secrets.token_hex(32))
# A key made for this run (and inherited by anything the tests start), never one written in the repository.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CASEFILE_REQUIRE_TOTP = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Tasks run in the request that queues them; the tests that need the real queue and worker say so.
# (The benchmark of a background import sets CASEFILE_TASK_BACKEND to the database backend.)
TASKS = {"default": {"BACKEND": os.environ.get("CASEFILE_TASK_BACKEND")
                                or "django_tasks.backends.immediate.ImmediateBackend"}}
