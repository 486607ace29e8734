"""Form fields shared by every app (the GOV.UK date input as a Django field), and save_or_show: the one way
a page passes a form to a service and shows its refusal."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name
from django.utils import timezone

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


def save_or_show(request, form, save):
    """The one way a page writes: call `save(form.cleaned_data)` (a service call) on a valid POST and return
    what it returned, or None when the page should be shown again with the form's errors.

    A service's refusal (a ValidationError keyed by field) goes onto the form; the service's transaction means
    nothing is half-saved. A service that returns nothing gives SAVED, which is true, so a view may write
    `if save_or_show(...)` or `created = save_or_show(...)`. A save must not return a false value such as 0 or
    an empty list: it would read as "not saved" (a TypeError says so). Checks that apply to every write (a stale
    edit, a repeated submit) belong here, once.
    """
    if request.method != "POST":
        return None
    limit_text(form)
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    if result is None:
        return SAVED
    if not result:
        raise TypeError(f"save_or_show: the save returned {result!r}, which reads as 'not saved'")
    return result
