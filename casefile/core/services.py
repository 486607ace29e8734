"""What every app's service functions share when they validate and write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


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
