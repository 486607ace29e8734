"""Form fields shared by every app (the GOV.UK date input as a Django field), and save_or_show: the one way
a page passes a form to a service and shows its refusal, which also refuses a stale edit and saves a repeated
submission once (ADR 0016)."""

from __future__ import annotations

import dataclasses
import datetime
import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Max
from django.forms.utils import pretty_name
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from markupsafe import Markup

from casefile.core.models import SubmissionToken
from casefile.core.services import consume_submission_token, release_submission_token
from casefile.rules import text_limits

DATE_PARTS = ("day", "month", "year")
MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}
MONTH_NAMES["sept"] = 9


def lower_first(text: str) -> str:
    """'Date of birth' -> 'date of birth', but leave acronyms such as 'NHS number' alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes named <name>_day, <name>_month and <name>_year (GOV.UK date input)."""

    # Tells the form_field macro to render govukDateInput.
    govuk_date = True

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)  # named <name>_day etc.

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with the error messages the GOV.UK pattern asks for.

    Errors carry `params={"parts": [...]}` naming the boxes at fault, so the page can highlight just those.
    """

    widget = GovukDateWidget

    def __init__(self, *, not_in_future: bool = False, not_in_past: bool = False, **kwargs):
        self.not_in_future = not_in_future
        self.not_in_past = not_in_past
        self.message_label = kwargs.get("label") or "Date"
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        # The label is only known once the field is on a form; messages need it ("Date of birth must ...").
        self.message_label = str(self.label or pretty_name(field_name))
        return super().get_bound_field(form, field_name)

    def prepare_value(self, value):
        return value if isinstance(value, list | tuple) else self.widget.decompress(value)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            value = self.widget.decompress(value) if value else [None, None, None]
        parts = [str(part or "").strip() for part in (value or [None, None, None])]
        if not any(parts):
            return None
        return self._parse(*parts)

    def _parse(self, day: str, month: str, year: str) -> datetime.date:
        label = self.message_label
        missing = [name for name, part in zip(DATE_PARTS, (day, month, year), strict=True) if not part]
        if missing:
            raise ValidationError(
                f"{label} must include a {' and '.join(missing)}", code="incomplete", params={"parts": missing}
            )
        month_number = MONTH_NAMES.get(month.lower(), month)
        numbers = {"day": day, "month": month_number, "year": year}
        not_numbers = [name for name, part in numbers.items() if not str(part).isdigit()]
        if not_numbers:
            raise ValidationError(f"{label} must be a real date", code="invalid", params={"parts": not_numbers})
        if len(year) != 4:
            raise ValidationError(
                f"The year of {lower_first(label)} must include 4 numbers", code="year", params={"parts": ["year"]}
            )
        try:
            return datetime.date(int(year), int(month_number), int(day))
        except ValueError:
            raise ValidationError(
                f"{label} must be a real date", code="invalid", params={"parts": list(DATE_PARTS)}
            ) from None

    def validate(self, value):
        if value is None:
            if self.required:
                raise ValidationError(f"Enter {lower_first(self.message_label)}", code="required")
            return
        today = timezone.localdate()
        if self.not_in_future and value > today:
            raise ValidationError(f"{self.message_label} must be today or in the past", code="future")
        if self.not_in_past and value < today:
            raise ValidationError(f"{self.message_label} must be today or in the future", code="past")


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, or at the top.

    Services key their messages by field. Where a service's field is shown on another box of the form (the
    service's `received_at` is the form's `received_date`), the form says so in `service_fields`; a field mapped
    to None, or one the form does not have, is shown at the top. Never match on a message's text.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    moved = getattr(form, "service_fields", {})
    for field, messages in error.message_dict.items():
        target = moved.get(field, field)
        form.add_error(target if target in form.fields else None, messages)


def uploaded(request, limit: int):
    """The file posted as "file" (None on a GET or when none was chosen) and its first `limit` + 1 bytes: one more
    than the limit is enough for the service to say the file is too big."""
    upload = request.FILES.get("file") if request.method == "POST" else None
    return upload, upload.read(limit + 1) if upload else b""


def posted(request):
    """The form data on a POST (even an empty one, so its errors show), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


class _Saved:
    """What save_or_show returns when the service wrote but returned nothing: true, so `if save_or_show(...)`."""

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "SAVED"


SAVED = _Saved()


class _TextLimit:
    """A text box's length limit, with a message naming the box and the limit (rules/text_limits.py)."""

    def __init__(self, label: str, limit: int):
        self.label, self.limit = label, limit

    def __call__(self, value):
        message = text_limits.too_long(self.label, value, self.limit)
        if message:
            raise ValidationError(message, code="max_length")


def limit_text(form) -> None:
    """Give every text box on the form its limit: LONG_TEXT for several lines, SHORT_TEXT for one, or the
    box's own limit when that is lower."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        default = text_limits.LONG_TEXT if isinstance(field.widget, forms.Textarea) else text_limits.SHORT_TEXT
        limit = min(field.max_length or default, default)
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator | _TextLimit)]
        field.validators.append(_TextLimit(str(field.label or pretty_name(name)), limit))


SUBMISSION_FIELD = "_submission_token"
VERSION_FIELD = "_record_version"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class RepeatedSubmission(Exception):  # noqa: N818 (not an error: the first submission saved)
    """A form sent again after it saved. core.middleware.RepeatedSubmissionMiddleware sends the browser where the
    first submission led, as if this one had saved."""

    def __init__(self, used: SubmissionToken):
        super().__init__(f"Form already sent to {used.path}")
        self.used = used


@dataclasses.dataclass
class StaleEdit(Exception):  # noqa: N818 (a refusal shown on the form, like a ValidationError)
    """Someone saved the record after this form was opened: who, when, and each detail as it is now."""

    who: str
    when: datetime.datetime
    version: int
    changes: list[tuple[str, str, str]]  # (label, as saved now, as in this form)
    boxes: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)  # the form's boxes that differ

    @property
    def message(self) -> str:
        from casefile.core import presenters  # presenters import this module

        return (f"{self.who} changed these details on {presenters.govuk_datetime(self.when)}, after you opened "
                f"this page. Your answers are below and have not been saved: check what changed, then save again")

    @property
    def table(self) -> dict:
        from casefile.core import presenters

        return presenters.table_params(
            caption="What changed since you opened this page", first_cell_is_header=True,
            head=["Detail", f"Now, saved by {self.who}", "Your answer, not saved yet"], rows=self.changes)


def current_version(record: models.Model) -> int:
    """The record's version: the id of its newest django-simple-history row (0 if it has none)."""
    return record.history.aggregate(version=Max("history_id"))["version"] or 0


def _shown(field: models.Field, value) -> str:
    """A model field's value in words, for the table of what changed."""
    from casefile.core import presenters

    if value is None or value == "" or value == []:
        return "Not recorded"
    if isinstance(value, models.Model):
        return str(value)
    if field.is_relation:
        return str(field.related_model._base_manager.filter(pk=value).first() or value)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return presenters.govuk_datetime(value)
    if isinstance(value, datetime.date):
        return presenters.govuk_date(value)
    return str(value)


def _changed_since(record: models.Model, opened: int, form: forms.Form) -> StaleEdit | None:
    """What others saved to the record after the form was opened (as version `opened`), or None.

    The newest history row is the record as it is now; the row at `opened` is how the form found it. A save
    that changed nothing the history keeps is no conflict."""
    newest = record.history.filter(history_id__gt=opened).select_related("history_user").order_by(
        "-history_id").first()
    if newest is None:
        return None
    before = record.history.filter(history_id__lte=opened).order_by("-history_id").first()
    if before is not None:
        names = [change.field for change in newest.diff_against(before).changes]
    else:  # opened before it had a history: compare what the form holds
        names = [field.name for field in record._meta.concrete_fields if field.name in form.fields]
    moved = getattr(form, "service_fields", {})
    changes = []
    for name in names:
        field = record._meta.get_field(name)
        now = _shown(field, getattr(newest, field.attname))
        box = moved.get(name, name)
        yours = _shown(field, form.cleaned_data[box]) if box in form.cleaned_data else "Not on this page"
        if before is not None or yours != now:  # with no earlier row, only what the form would overwrite
            label = str(form.fields[box].label or pretty_name(box)) if box in form.fields else str(
                field.verbose_name).capitalize()
            label = label.removesuffix(" (optional)")
            changes.append((label, now, yours, box))
    if not changes:
        return None
    who = str(newest.history_user) if newest.history_user else "Someone"
    return StaleEdit(who=who, when=newest.history_date, version=newest.history_id,
                     changes=[change[:3] for change in changes],
                     boxes={box: (label, now) for label, now, yours, box in changes
                            if box in form.fields and yours != now})


def _show_stale(form: forms.Form, stale: StaleEdit) -> None:
    """The second writer's answers stay on the form; the summary says who changed what, and saving again keeps
    theirs over the newer version."""
    form.add_error(None, stale.message)
    for box, (label, now) in stale.boxes.items():
        form.add_error(box, f"{label} was changed by {stale.who} to ‘{now}’: check your answer")
    form.stale = stale
    form.guard["version"] = stale.version


def _posted_version(request) -> int | None:
    value = request.POST.get(VERSION_FIELD, "") if request.method == "POST" else ""
    return int(value) if value.isdigit() else None


def _guard(request, form, record) -> tuple[str | None, int | None]:
    """Give the form its hidden token (and the record's version) to carry; return what was posted of both."""
    posted_token = request.POST.get(SUBMISSION_FIELD, "") if request.method == "POST" else ""
    posted_token = posted_token if _TOKEN.fullmatch(posted_token) else None
    opened = _posted_version(request)
    form.guard = {"token": posted_token or secrets.token_urlsafe(24)}
    if record is not None:
        form.guard["version"] = current_version(record) if opened is None else opened
    return posted_token, opened


def _claim(request, form, token: str | None) -> None:
    """Use up the form's token in this transaction; a token used before means the form was sent again."""
    if token is None:  # a client that never showed the form (a script, an older test) claims nothing
        return
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    used = consume_submission_token(token, user=user, path=request.path)
    if used is None:
        request.submission_token = token
    elif used.user_id == (user.pk if user else None):
        raise RepeatedSubmission(used)
    else:  # someone else's token: not this person's repeat, so a new one to send the form with
        form.guard["token"] = secrets.token_urlsafe(24)
        raise ValidationError("This form has expired: check your answers and send it again")


def _release(request, token: str | None) -> None:
    if token is not None and getattr(request, "submission_token", None) == token:
        release_submission_token(token)
        del request.submission_token


def form_guard(form=None, record: models.Model | None = None) -> Markup:
    """The hidden fields save_or_show gave the form (its one-time token, the record's version): put
    `{{ form_guard(form) }}` beside `{{ csrf_input }}` in every form that posts to save_or_show. A form shown
    by another page than the one it posts to gets a new token here, and the version of the `record` it changes."""
    guard = getattr(form, "guard", None)
    if not guard:
        guard = {"token": secrets.token_urlsafe(24)}
        if record is not None:
            guard["version"] = current_version(record)
    return Markup("").join(
        format_html('<input type="hidden" name="{}" value="{}">', name, guard[key])
        for key, name in (("token", SUBMISSION_FIELD), ("version", VERSION_FIELD)) if key in guard)


def save_or_show(request, form, save, *, record: models.Model | None = None):
    """The one way a page writes: call `save(form.cleaned_data)` (a service call) on a valid POST and return
    what it returned, or None when the page should be shown again with the form's errors.

    A service's refusal (a ValidationError keyed by field) goes onto the form; the service's transaction means
    nothing is half-saved. A service that returns nothing gives SAVED, which is true, so a view may write
    `if save_or_show(...)` or `created = save_or_show(...)`. A save must not return a false value such as 0 or
    an empty list: it would read as "not saved" (a TypeError says so).

    Checks that apply to every write are here, once (ADR 0016), with the hidden fields `form_guard(form)` shows:
    - a repeated submission saves once: the form carries a one-time token, used up in the save's transaction;
      sent again, RepeatedSubmission takes the browser where the first submission led;
    - a stale edit is refused: an edit page passes the `record` it changes, the form carries the record's
      version (its newest history row), and if someone saved it since, the form is shown again with the
      person's answers, who changed it, when, and each detail as it is now.
    """
    token, opened = _guard(request, form, record)
    if request.method != "POST":
        return None
    limit_text(form)
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            _claim(request, form, token)
            if record is not None and opened is not None:
                # Lock the row (PostgreSQL; SQLite's IMMEDIATE transactions already write one at a time), then
                # compare versions: a save that started earlier has committed, or waits for this one.
                type(record)._base_manager.select_for_update().filter(pk=record.pk).values_list("pk").first()
                stale = _changed_since(record, opened, form)
                if stale is not None:
                    raise stale
            result = save(form.cleaned_data)
            if isinstance(result, HttpResponse) and not result.has_header("Location"):
                _release(request, token)  # a page asking a further question: nothing is saved yet
    except StaleEdit as stale:
        _show_stale(form, stale)
        return None
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    if result is None:
        return SAVED
    if not result:
        raise TypeError(f"save_or_show: the save returned {result!r}, which reads as 'not saved'")
    return result
