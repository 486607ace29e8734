"""What every app's service functions share when they validate and write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from casefile.core.models import SubmissionToken


class Errors:
    """Collects messages by field so every problem is reported at once, then raises them together."""

    def __init__(self):
        self.messages: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.messages.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.messages

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def save_with_history(obj: models.Model, actor) -> models.Model:
    """Save a row so that django-simple-history records who made the change."""
    obj._history_user = actor
    obj.save()
    return obj


def consume_submission_token(token: str, *, user, path: str) -> SubmissionToken | None:
    """Mark a form's one-time token as used, inside the caller's transaction; the row that used it before, if any.

    The unique token makes the database refuse a second insert, on SQLite and PostgreSQL and across processes:
    a second request sent at the same moment waits for the first to commit and then finds its row here."""
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token, user=user, path=path[:500])
    except IntegrityError:
        return SubmissionToken.objects.get(token=token)
    return None


def release_submission_token(token: str) -> None:
    """Let a form's token be used again: its first submission only led to a further question."""
    SubmissionToken.objects.filter(token=token).delete()


def note_where_it_led(token: str, location: str) -> None:
    """Keep where the first submission of a form led, so a repeat of it is sent to the same place."""
    SubmissionToken.objects.filter(token=token, redirect_to="").update(redirect_to=location[:500])
