"""Pages for police domestic-abuse notifications: upload and preview a daily file, confirm it as contacts, the
triage queue, its CSV export and bulk triage of standard-risk notifications.

Every view goes through @front_door_view. Lists show only children the user may see (policy.viewable_people);
writes go through services/imports.py and services/decisions.py, whose refusals are shown on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.audit.models import Action
from casefile.audit.services import record_many
from casefile.core.exports import csv_response
from casefile.core.forms import save_or_show
from casefile.core.pagination import paginate
from casefile.core.presenters import plural
from casefile.frontdoor import tasks
from casefile.frontdoor.access import front_door_view
from casefile.frontdoor.forms.imports import BulkTriageForm, QueueFilterForm, ResolutionsForm, UploadForm
from casefile.frontdoor.models import ImportBatch
from casefile.frontdoor.services import decisions, imports, triage
from casefile.frontdoor.standards import front_door_settings
from casefile.rules.police_notifications import MAX_BYTES


def _render(request, template: str, **context):
    return render(request, f"frontdoor/police/{template}", {"navigation_active": "front_door", **context})


# Batches ------------------------------------------------------------------------------------------------


# The format summary shown under the upload (the full description is docs/police-notifications.md).
FORMAT_COLUMNS = [
    ("police_reference", "The police incident number, like WYP/26/004512; rows with the same one are one incident"),
    ("incident_datetime", "When it happened: 2026-11-20T22:40 or 20/11/2026 22:40, UK time unless an offset is given"),
    ("reported_datetime", "When it was reported to the police, in the same form; not before the incident"),
    ("dash_risk", "standard, medium or high"),
    ("children_present", "yes, no or unknown"),
    ("household_address", "The address of the household, up to 300 characters"),
    ("postcode", "A real UK postcode, like LS6 2AB"),
    ("person_role", "victim, perpetrator, child or other_adult; every incident needs at least one child"),
    ("first_name", "Required; for an unborn child, blank or Unborn"),
    ("last_name", "Required"),
    ("date_of_birth", "2017-05-30 or 30/05/2017; required for a child who is born, blank for an adult if not known"),
    ("expected_date_of_birth", "Only for an unborn child (then date_of_birth is blank and sex is U); optional column"),
    ("sex", "M, F or U"),
    ("nhs_number", "10 digits, like 943 476 5919; blank if not known; optional column"),
    ("officer_name", "The reporting officer, with collar number"),
    ("summary", "What happened, in the officer's words, up to 2,000 characters"),
]


def _batches_page(request, form: UploadForm, **context):
    batches = paginate(request, ImportBatch.objects.select_related("uploaded_by", "decided_by"))
    return _render(request, "batches.html", batches=batches, form=form, format_columns=FORMAT_COLUMNS,
                   page_title="Police notifications", **context)


@front_door_view("GET")
def police_batches(request):
    return _batches_page(request, UploadForm())


@front_door_view("GET", "POST")
def police_upload(request):
    if request.method == "GET":
        return redirect("frontdoor:police_batches")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _batches_page(request, form)
    upload = form.cleaned_data["file"]
    # One byte more than the limit is enough for the parser to say the file is too big.
    data = upload.read(MAX_BYTES + 1)
    try:
        batch = imports.stage_file(actor=request.user, request=request, data=data, filename=upload.name)
    except imports.ImportRefused as refused:
        return _batches_page(request, form, refused=refused.errors, earlier=refused.earlier, filename=upload.name)
    if batch.already_imported:
        return _batches_page(request, UploadForm(), already=batch)
    return redirect("frontdoor:police_batch", batch_id=batch.pk)


def _batch(batch_id: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("uploaded_by", "decided_by"), pk=batch_id)


def _preview_page(request, batch: ImportBatch, errors: dict | None = None, chosen: dict | None = None):
    notifications = list(batch.notifications.order_by("first_row")
                         .select_related("contact").prefetch_related("people__person"))
    counts = imports.household_incidents(notifications)
    incidents = [{"notification": notification, "people": list(notification.people.all()),
                  "incidents": counts[notification.pk],
                  "rag": imports.suggested_rag(notification, counts[notification.pk])}
                 for notification in notifications]
    errors = errors or {}
    # The file's people and the records they match (or may match): which batch, and which records were shown.
    record_shown(request, [candidate["id"] for item in incidents for entry in item["people"]
                           for candidate in [{"id": entry.person_id}, *entry.candidates] if candidate.get("id")],
                 subject=batch)
    summary = [{"text": message, "href": f"#{field}" if field != "__all__" else "#incidents"}
               for field, field_messages in errors.items() for message in field_messages]
    return _render(request, "batch.html", batch=batch, incidents=incidents, errors=errors, error_list=summary,
                   chosen=chosen or {}, page_title=f"Police notifications: {batch.filename}")


@front_door_view("GET")
def police_batch(request, batch_id: int):
    return _preview_page(request, _batch(batch_id))


def _resolutions(data: dict) -> dict[int, int | None]:
    """What was chosen for each possible match: a record's id, "row:N" for the same person as row N of the file,
    None for a new record; unanswered are left out."""
    resolutions = {}
    for name, value in data.items():
        entry_id = int(name.removeprefix("person_"))
        if value == "new":
            resolutions[entry_id] = None
        elif value.isdigit():
            resolutions[entry_id] = int(value)
        elif value.startswith(imports.SAME_ROW):
            resolutions[entry_id] = value  # the same person as an earlier row of the file; checked by the service
    return resolutions


@front_door_view("POST")
def police_confirm(request, batch_id: int):
    batch = _batch(batch_id)
    form = ResolutionsForm(request.POST, batch=batch)
    # A large file takes minutes: a background worker confirms it while the person watches its progress.
    job = save_or_show(request, form, lambda data: tasks.confirm_in_background(
        actor=request.user, batch=batch, resolutions=_resolutions(data)))
    if not job:
        chosen = {name: request.POST.get(name, "") for name in form.fields}
        return _preview_page(request, batch, errors=form.errors, chosen=chosen)
    return redirect("core:job", job_id=job.pk)


@front_door_view("POST")
def police_discard(request, batch_id: int):
    batch = _batch(batch_id)
    form = Form(request.POST)  # a button: no fields, but a refusal still comes back on the form
    if not save_or_show(request, form, lambda data: imports.discard_batch(
            actor=request.user, request=request, batch=batch)):
        return _preview_page(request, batch, errors=form.errors)
    messages.success(request, f"{batch.filename} was discarded: nothing from it was imported")
    return redirect("frontdoor:police_batches")


# The triage queue ---------------------------------------------------------------------------------------


@front_door_view("GET")
def triage_queue(request):
    filters = QueueFilterForm(request.GET)
    page = paginate(request, triage.queue_links(request.user, **filters.values()))
    rows = triage.rows_for(page.object_list, request)
    record_shown(request, [row.link.child_id for row in rows])
    return _render(request, "queue.html", rows=rows, page=page,
                   filters=filters,
                   may_bulk_triage=permissions.may_bulk_triage(request.user),
                   months=front_door_settings().repeat_incident_months, page_title="Police notifications to triage")


CSV_HEADER = ["Child", "Date of birth", "Police reference", "Incident", "DASH risk", "Children present",
              "Children named", "Incidents in the household", "RAG", "Received", "Waiting (working hours)",
              "Waiting (working days)", "Held by", "Address", "Summary"]


def _csv_cells(row) -> list:
    notification, contact = row.notification, row.contact
    return [row.child.full_name, f"{row.child.date_of_birth:%d/%m/%Y}" if row.child.date_of_birth else "",
            notification.police_reference, f"{timezone.localtime(notification.incident_at):%d/%m/%Y %H:%M}",
            notification.get_dash_risk_display(), notification.get_children_present_display(),
            row.children_named, row.incidents, contact.get_rag_display(),
            f"{timezone.localtime(contact.received_at):%d/%m/%Y %H:%M}", row.waiting.working_hours,
            row.waiting.working_days, contact.holder or "",
            f"{notification.household_address}, {notification.postcode}", notification.summary]


@front_door_view("GET")
def triage_queue_csv(request):
    filters = QueueFilterForm(request.GET)
    rows = triage.queue(request.user, request, **filters.values())
    response = csv_response(f"police-triage-queue-{timezone.localdate():%Y-%m-%d}.csv", CSV_HEADER,
                            map(_csv_cells, rows))
    # One audit event per child, appended in one insert: thousands of single appends took seconds.
    record_many(Action.EXPORT, request=request, events=[
        (row.contact, row.child, {"what": "police triage queue CSV", "rows": len(rows)}) for row in rows])
    return response


def _selected_ids(values) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@front_door_view("GET", "POST")
def bulk_triage(request):
    source = request.POST if request.method == "POST" else request.GET
    rows = triage.queue(request.user, request, ids=_selected_ids(source.getlist("contact_child")))
    if not rows:
        messages.info(request, "Select the standard-risk notifications to triage together")
        return redirect("frontdoor:triage_queue")
    if not permissions.may_bulk_triage(request.user):
        # Said before any form: the page explains who may, and what this user can do instead.
        record_shown(request, [row.link.child_id for row in rows])
        return _render(request, "bulk_triage.html", rows=rows, form=None, may_bulk_triage=False,
                       back_url=reverse("frontdoor:triage_queue"), page_title="Triage police notifications together")
    form = BulkTriageForm(request.POST if request.method == "POST" else None, rows=rows)
    months = front_door_settings().repeat_incident_months
    if save_or_show(request, form, lambda data: decisions.bulk_triage(
            actor=request.user, request=request, contact_children=[row.link for row in rows],
            outcome=data["outcome"], rationale=data["rationale"], level=data["level"],
            child_rationales=form.child_rationales(),
            child_history={row.link.pk: row.history(months) for row in rows})):
        messages.success(request, f"Triage decisions recorded for {plural(len(rows), 'child', 'children')}: they "
                                  "wait for a manager to authorise them")
        return redirect("frontdoor:triage_queue")
    record_shown(request, [row.link.child_id for row in rows])
    return _render(request, "bulk_triage.html", rows=rows, form=form, may_bulk_triage=True,
                   back_url=reverse("frontdoor:triage_queue"), page_title="Triage police notifications together")


urlpatterns = [
    path("police/", police_batches, name="police_batches"),
    path("police/upload/", police_upload, name="police_upload"),
    path("police/<int:batch_id>/", police_batch, name="police_batch"),
    path("police/<int:batch_id>/confirm/", police_confirm, name="police_confirm"),
    path("police/<int:batch_id>/discard/", police_discard, name="police_discard"),
    path("police/queue/", triage_queue, name="triage_queue"),
    path("police/queue.csv", triage_queue_csv, name="triage_queue_csv"),
    path("police/bulk-triage/", bulk_triage, name="bulk_triage"),
]
