"""Formatting for pages, kept out of templates so it can be tested on its own."""

from __future__ import annotations

import datetime
import textwrap

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markupsafe import Markup, escape

from casefile.core.forms import DATE_PARTS, lower_first
from casefile.rules.identifiers import format_nhs_number

MISSING = Markup('<span class="cf-missing">Not recorded</span>')


def govuk_date(value: datetime.date | None) -> str:
    """Dates as GOV.UK style asks: 5 January 2024.

    >>> govuk_date(datetime.date(2024, 1, 5))
    '5 January 2024'
    """
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: datetime.datetime | None) -> str:
    """Date and time as GOV.UK style asks, in local time.

    >>> govuk_datetime(datetime.datetime(2024, 1, 5, 14, 30, tzinfo=datetime.timezone.utc))
    '5 January 2024 at 2:30pm'
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{govuk_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun, singular for one.

    >>> plural(1, "decision")
    '1 decision'
    >>> plural(1200, "child", "children")
    '1,200 children'
    """
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def called(person) -> str:
    """The first name a person goes by: their known-as name when they have one.

    >>> from types import SimpleNamespace as P
    >>> called(P(first_name="Jacob", known_as="Jake", last_name="Hutchinson"))
    'Jake'
    """
    return person.known_as or person.first_name


def possessive(person_or_name, short: bool = False) -> str:
    """The possessive of a person's name. A person is named as they are known (“Jake Hutchinson’s case”), never
    with the possessive after a bracket (“Jacob Hutchinson (known as Jake)’s case”); short gives their first
    name alone. Staff and other names are given as text.

    >>> from types import SimpleNamespace as P
    >>> jake = P(first_name="Jacob", known_as="Jake", last_name="Hutchinson")
    >>> possessive(jake), possessive(jake, short=True), possessive("Sam Worker")
    ('Jake Hutchinson’s', 'Jake’s', 'Sam Worker’s')
    """
    if hasattr(person_or_name, "known_as"):
        first = called(person_or_name)
        name = first if short else " ".join(part for part in (first, person_or_name.last_name) if part)
    elif hasattr(person_or_name, "get_full_name"):
        name = person_or_name.get_full_name() or str(person_or_name)
    else:
        name = str(person_or_name)
    return f"{name}’s"


def nhs_number(value: str) -> str:
    """NHS numbers in groups of 3, 3 and 4.

    >>> nhs_number('9434765919')
    '943 476 5919'
    """
    return format_nhs_number(value) if value else ""


def or_missing(value) -> Markup | str:
    """Show missing identity data as missing, never as a default."""
    if value is None or value == "":
        return MISSING
    return escape(value)


def yes_no(value: bool | None) -> Markup | str:
    """An answer to a yes or no question, or missing when nobody answered it.

    >>> yes_no(True), yes_no(False)
    ('Yes', 'No')
    """
    return MISSING if value is None else ("Yes" if value else "No")


def age_text(date_of_birth: datetime.date | None, today: datetime.date, date_of_death=None) -> str:
    """Age in years, or months for babies.

    >>> age_text(datetime.date(2020, 3, 1), datetime.date(2024, 2, 29))
    '3 years'
    >>> age_text(datetime.date(2024, 1, 15), datetime.date(2024, 4, 1))
    '2 months'
    """
    if date_of_birth is None:
        return ""
    end = min(today, date_of_death) if date_of_death else today
    months = (end.year - date_of_birth.year) * 12 + end.month - date_of_birth.month
    if end.day < date_of_birth.day:
        months -= 1
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


# Forms: Django bound fields turned into the parameters the GOV.UK Frontend macros take.
# The "components/forms.html" macros call these, so pages only write `form_field(form["name"])`.

REQUIRED_MESSAGE = str(forms.Field.default_error_messages["required"])
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)


def counted(number: int, singular: str, plural: str = "") -> str:
    """A number with its noun, in the singular only for one.

    >>> counted(1, "decision"), counted(3, "decision"), counted(2, "child", "children")
    ('1 decision', '3 decisions', '2 children')
    """
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def shortened(text: str, width: int = 60) -> str:
    """Text cut to `width` characters at a word, with an ellipsis when cut: for a link's hidden words, which a
    screen reader says in full, so never cut mid-word.

    >>> shortened("Update the chronology and share it with the core group before the review", 40)
    'Update the chronology and share it with…'
    >>> shortened("Visit weekly"), shortened("Antidisestablishmentarianism", 10)
    ('Visit weekly', 'Antidises…')
    """
    cut = textwrap.shorten(text, width, placeholder="…")
    return cut if cut != "…" else text[:width - 1] + "…"  # one word longer than the width: cut it


def with_hint(text, hint) -> str:
    """A table cell's text with a grey line under it (a role under a name, a time under a person)."""
    return format_html('{}<span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{}</span>', text, hint)


def _cell(value, numeric: bool) -> dict:
    """A govukTable cell: safe HTML (Markup, format_html) as HTML, anything else as text (which the macro
    escapes); a dict is kept as it is."""
    if isinstance(value, dict):
        cell = dict(value)
    elif hasattr(value, "__html__"):  # Markup, or Django's format_html
        cell = {"html": value}
    else:
        cell = {"text": "" if value is None else str(value)}
    if numeric:
        cell.setdefault("format", "numeric")
    return cell


def table_params(*, head: list, rows: list[list], caption: str = "", id: str = "", first_cell_is_header: bool = False,
                 numeric: tuple[int, ...] = (), caption_classes: str = "govuk-table__caption--m") -> dict:
    """The parameters of govukTable (components/table.html) from column headings and rows of plain values.

    `numeric` lists the columns (by position) whose numbers line up on the right; a caption only for screen
    readers takes caption_classes="govuk-visually-hidden". A cell that is Markup is
    shown as HTML, so a presenter builds links with format_html, which escapes what it is given."""
    return {
        "caption": caption, "captionClasses": caption_classes if caption else "",
        "firstCellIsHeader": first_cell_is_header, "attributes": {"id": id} if id else {},
        "head": [_cell(heading, index in numeric) for index, heading in enumerate(head)],
        "rows": [[_cell(value, index in numeric) for index, value in enumerate(row)] for row in rows],
    }


def field_errors(bound_field) -> list[str]:
    """A field's messages, with Django's bare "This field is required." made to name the field."""
    return [_required_message(bound_field) if str(e) == REQUIRED_MESSAGE else str(e) for e in bound_field.errors]


def _required_message(bound_field) -> str:
    verb = "Select" if isinstance(bound_field.field.widget, CHOICE_WIDGETS + (forms.CheckboxInput,)) else "Enter"
    return f"{verb} {lower_first(str(bound_field.label))}"


def error_target_id(bound_field) -> str:
    """The id the error summary links to: the first box at fault for a date, else the field itself."""
    if getattr(bound_field.field.widget, "govuk_date", False):
        parts = date_parts_in_error(bound_field) or list(DATE_PARTS)
        return f"{bound_field.auto_id}_{parts[0]}"
    return bound_field.auto_id


def date_parts_in_error(bound_field) -> list[str]:
    parts: list[str] = []
    for error in bound_field.errors.as_data():
        for part in (error.params or {}).get("parts", []):
            if part not in parts:
                parts.append(part)
    return sorted(parts, key=DATE_PARTS.index)


def error_summary_items(form) -> list[dict]:
    """Every problem on the form, in page order, as govukErrorSummary's errorList."""
    items = [{"text": str(message)} for message in form.non_field_errors()]
    for bound_field in form:
        for message in field_errors(bound_field):
            if bound_field.is_hidden:
                items.append({"text": f"{bound_field.label}: {message}"})
            else:
                items.append({"text": message, "href": f"#{error_target_id(bound_field)}"})
    return items


def form_field_params(bound_field, **options) -> dict:
    """Which GOV.UK macro renders this field, and its parameters: {"macro": "input", "params": {...}}.

    Options: label, hint, classes, label_classes, is_page_heading, autocomplete, input_type, inputmode,
    spellcheck, rows, attributes, items (for radios/checkboxes), legend_classes, prefix, suffix.
    """
    widget = bound_field.field.widget
    if getattr(widget, "govuk_date", False):
        return {"macro": "date", "params": _date_params(bound_field, options)}
    if isinstance(widget, forms.CheckboxInput):
        return {"macro": "checkboxes", "params": _single_checkbox_params(bound_field, options)}
    # CheckboxSelectMultiple is a kind of RadioSelect in Django, so it is checked first.
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return {"macro": "checkboxes", "params": _choice_params(bound_field, options)}
    if isinstance(widget, forms.RadioSelect):
        return {"macro": "radios", "params": _choice_params(bound_field, options)}
    if isinstance(widget, forms.Select):
        return {"macro": "select", "params": _select_params(bound_field, options)}
    if isinstance(widget, forms.Textarea):
        return {"macro": "textarea", "params": _textarea_params(bound_field, options)}
    if isinstance(widget, forms.PasswordInput):
        return {"macro": "password", "params": _password_params(bound_field, options)}
    return {"macro": "input", "params": _input_params(bound_field, options)}


def _common(bound_field, options) -> dict:
    params = {"id": bound_field.auto_id, "name": bound_field.html_name}
    hint = options.get("hint", bound_field.help_text)
    if hint:
        params["hint"] = {"text": str(hint)}
    errors = field_errors(bound_field)
    if errors:
        params["errorMessage"] = {"text": " ".join(errors)}
    if options.get("classes"):
        params["classes"] = options["classes"]
    attributes = {**_extra_widget_attributes(bound_field), **options.get("attributes", {})}
    if attributes:
        params["attributes"] = attributes
    return params


# Attributes the GOV.UK macros set themselves, or that GOV.UK advises against (browser validation, maxlength).
_MANAGED_ATTRIBUTES = {
    "id",
    "name",
    "class",
    "type",
    "value",
    "required",
    "maxlength",
    "minlength",
    "autocomplete",
    "spellcheck",
    "inputmode",
    "rows",
    "cols",
    "checked",
    "selected",
    "multiple",
    "step",
    "min",
    "max",
    "placeholder",  # GOV.UK: placeholders are not labels or hints
}


def _extra_widget_attributes(bound_field) -> dict:
    attrs = bound_field.field.widget.attrs
    return {k: v for k, v in attrs.items() if k not in _MANAGED_ATTRIBUTES and v not in (None, False)}


def _label(bound_field, options) -> dict:
    label = {"text": str(options.get("label", bound_field.label))}
    if options.get("label_classes"):
        label["classes"] = options["label_classes"]
    if options.get("is_page_heading"):
        label["isPageHeading"] = True
        label.setdefault("classes", "govuk-label--l")
    return label


def _legend(bound_field, options) -> dict:
    legend = {"text": str(options.get("label", bound_field.label))}
    label_classes = options.get("label_classes", "").replace("govuk-label", "govuk-fieldset__legend")
    classes = options.get("legend_classes") or label_classes
    if options.get("is_page_heading"):
        legend["isPageHeading"] = True
        classes = classes or "govuk-fieldset__legend--l"
    if classes:
        legend["classes"] = classes
    return {"legend": legend}


def _text_value(bound_field) -> str:
    value = bound_field.value()
    return "" if value is None else str(value)


def _input_params(bound_field, options) -> dict:
    widget = bound_field.field.widget
    params = {**_common(bound_field, options), "label": _label(bound_field, options), "value": _text_value(bound_field)}
    input_type = options.get("input_type", getattr(widget, "input_type", "text"))
    if isinstance(widget, forms.NumberInput) and "input_type" not in options:
        # GOV.UK advises a text box with a numeric keyboard over type="number".
        input_type, params["inputmode"], params["spellcheck"] = "text", "numeric", False
    if input_type == "email":
        # No autocomplete="email" by default: most addresses entered here are someone else's.
        params["spellcheck"] = False
    params["type"] = input_type
    params.update(_typing_hints(widget, options))
    for option in ("prefix", "suffix"):
        if option in options:
            params[option] = {"text": options[option]}
    return params


def _typing_hints(widget, options) -> dict:
    """autocomplete, inputmode and spellcheck: from the options, else from the Django widget's attrs."""
    hints = {}
    for key in ("autocomplete", "inputmode", "spellcheck"):
        value = options.get(key, widget.attrs.get(key))
        if value is not None:
            hints[key] = value
    return hints


def _password_params(bound_field, options) -> dict:
    params = {**_common(bound_field, options), "label": _label(bound_field, options)}
    params["autocomplete"] = "current-password"
    params.update(_typing_hints(bound_field.field.widget, options))
    if bound_field.field.widget.render_value:
        params["value"] = _text_value(bound_field)
    return params


def _textarea_params(bound_field, options) -> dict:
    params = {**_common(bound_field, options), "label": _label(bound_field, options), "value": _text_value(bound_field)}
    params["rows"] = options.get("rows", 5)  # not the widget's: Django always sets rows="10"
    params.update(_typing_hints(bound_field.field.widget, options))
    return params


def _choices(bound_field) -> list[tuple[str, str]]:
    """The widget's choices as (value, label) strings, with option groups flattened."""
    flat: list[tuple[str, str]] = []
    for value, label in bound_field.field.widget.choices:
        if isinstance(label, list | tuple):
            flat.extend((str(v), str(lbl)) for v, lbl in label)
        else:
            flat.append(("" if value is None else str(value), str(label)))
    return flat


def _selected_values(bound_field) -> set[str]:
    value = bound_field.value()
    if value is None:
        return set()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(v) for v in values if v is not None}


def _select_params(bound_field, options) -> dict:
    selected = _selected_values(bound_field)
    items = [
        {
            "value": value,
            "text": "Select an option" if value == "" and label.startswith("---") else label,
            "selected": value in selected,
        }
        for value, label in _choices(bound_field)
    ]
    return {**_common(bound_field, options), "label": _label(bound_field, options), "items": items}


def _choice_params(bound_field, options) -> dict:
    selected = _selected_values(bound_field)
    items = options.get("items") or [
        {"value": value, "text": label, "checked": value in selected}
        for value, label in _choices(bound_field)
        if value != ""  # Django's blank "---------" choice has no place among radios
    ]
    params = _common(bound_field, options)
    params.pop("id")
    params["idPrefix"] = bound_field.auto_id
    params["fieldset"] = _legend(bound_field, options)
    params["items"] = items
    if options.get("classes"):
        params["classes"] = options["classes"]
    return params


def _single_checkbox_params(bound_field, options) -> dict:
    params = _common(bound_field, options)
    params.pop("id")
    hint = params.pop("hint", None)
    item = {"value": "true", "text": str(options.get("label", bound_field.label)), "checked": bool(bound_field.value())}
    if hint:
        item["hint"] = hint
    params["idPrefix"] = bound_field.auto_id
    params["items"] = [item]
    return params


def _date_params(bound_field, options) -> dict:
    value = bound_field.value()
    parts = value if isinstance(value, list | tuple) else bound_field.field.widget.decompress(value)
    has_errors = bool(bound_field.errors)
    parts_in_error = date_parts_in_error(bound_field) or (list(DATE_PARTS) if has_errors else [])
    widths = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}
    items = [
        {
            "id": f"{bound_field.auto_id}_{part}",
            "name": f"{bound_field.html_name}_{part}",
            "label": part.capitalize(),
            "value": "" if parts[index] is None else str(parts[index]),
            "classes": widths[part] + (" govuk-input--error" if part in parts_in_error else ""),
        }
        for index, part in enumerate(DATE_PARTS)
    ]
    params = {**_common(bound_field, options), "fieldset": _legend(bound_field, options), "items": items}
    if "hint" not in params and options.get("example", True):
        params["hint"] = {"text": options.get("example_hint", "For example, 27 3 2007")}
    return params


# The service navigation: (key, text, URL name, needs a team). Keys match the `navigation_active` context variable.
NAVIGATION = (
    ("my_work", "My work", "core:my_work", False),
    ("front_door", "Front door", "frontdoor:board", False),
    ("people", "Find a person", "people:search", False),
    ("team", "My team", "accounts:team", True),
)


def service_navigation(request, active: str | None = None) -> list[dict]:
    """The signed-in user's navigation items, marking the current one.

    `active` names the item a page belongs to; without it the request path decides.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    from casefile.access.permissions import may_use_front_door

    items = []
    for key, text, url_name, needs_team in NAVIGATION:
        if (needs_team and not user.team_id) or (key == "front_door" and not may_use_front_door(user)):
            continue
        href = reverse(url_name, kwargs={"team_id": user.team_id} if needs_team else None)
        item = {"href": href, "text": text}
        if request.path == href:
            item["current"] = True
        elif key == active or (active is None and href != "/" and request.path.startswith(href)):
            item["active"] = True
        items.append(item)
    return items


# Paging: the count in words and the GOV.UK pagination component's parameters (components/pagination.html).


def showing(page, noun: str, plural: str | None = None) -> str:
    """What a page of a list holds, MoJ style.

    >>> from django.core.paginator import Paginator
    >>> showing(Paginator(range(172), 50).page(1), "file")
    'Showing 1 to 50 of 172 files'
    >>> showing(Paginator(range(172), 50).page(4), "file")
    'Showing 151 to 172 of 172 files'
    >>> showing(Paginator(range(1), 50).page(1), "file")
    'Showing 1 file'
    """
    total = page.paginator.count
    nouns = noun if total == 1 else (plural or f"{noun}s")
    if page.paginator.num_pages == 1:
        return f"Showing {total:,} {nouns}"
    return f"Showing {page.start_index():,} to {page.end_index():,} of {total:,} {nouns}"


def _page_href(query: QueryDict, number: int) -> str:
    query = query.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def page_numbers(current: int, last: int) -> list[int | None]:
    """The first and last pages, and those either side of the current one; None where pages are left out.

    >>> page_numbers(1, 4)
    [1, 2, 3, 4]
    >>> page_numbers(6, 12)
    [1, None, 5, 6, 7, None, 12]
    """
    shown = sorted({1, last, *range(max(1, current - 1), min(last, current + 1) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] == 2:
            numbers.append(number - 1)  # an ellipsis would hide only one page: show it instead
        elif numbers and number - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination_params(page, query: QueryDict) -> dict:
    """govukPagination's parameters for a Django page, keeping the list's other query parameters (its filters)."""
    items = [{"ellipsis": True} if number is None else
             {"number": number, "href": _page_href(query, number), "current": number == page.number}
             for number in page_numbers(page.number, page.paginator.num_pages)]
    return {
        "items": items,
        "previous": {"href": _page_href(query, page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": _page_href(query, page.next_page_number())} if page.has_next() else None,
    }
