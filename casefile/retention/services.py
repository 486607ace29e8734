"""The disposal run: delete every child's record past its retention date, in one transaction, leaving a tombstone.

What goes with a child's record is found from the database's own links, not from a list kept by hand: every row
that refers to the child (or to a row that does, and so on) is deleted, with the rows in django-simple-history's
tables that ever described any of them, since those hold the same personal data. Contacts and households left
with nobody on them go too. Rows are deleted directly (no signals), so no history row is written about a
deletion. Where the child is named in someone else's record by a link that may be empty (a participant at a
brother's conference, a person in a police notification on a contact still kept for a sibling), the row belongs
to that record and is kept under its own retention, with the link to the child emptied. Two things stay, by
design (ADR 0020):

- the audit trail, which is append-only: its events about the child keep their ids;
- so the child's own row stays too, emptied of every personal detail, because those events refer to it by a
  database foreign key. Only its id, its kind (child) and when it was created are left.

The run ends by asking the database to check every foreign key the deletions touched, so a link that this walk
missed fails the run and nothing is deleted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record
from casefile.frontdoor.models import Contact, ContactChild
from casefile.people.models import Household, HouseholdMember, Person
from casefile.retention import schedule as retention_schedule
from casefile.retention.models import DisposalRun, DisposedRecord

ONLY_ADMINISTRATORS = "Only an administrator can approve a disposal run."
LIST_CHANGED = ("The list of records due has changed since it was shown. List the records due again, check the "
                "new list, and approve that one.")
NOTHING_DUE = "No record is due for disposal, so there is nothing to approve."
# Person fields kept on an emptied row: none of them says who the child was.
KEPT_FIELDS = {"id", "kind", "created_at"}
_CHUNK = 500


def dispose_due_records(*, actor, fingerprint: str, today: datetime.date | None = None) -> DisposalRun:
    """Dispose of every record due today, if it is exactly the list the approver was shown (its fingerprint)."""
    if not permissions.is_administrator(actor):
        raise PermissionDenied(ONLY_ADMINISTRATORS)
    today = today or timezone.localdate()
    with transaction.atomic():
        schedule = retention_schedule.current_schedule()
        listing = retention_schedule.listing(today, schedule)
        if fingerprint != listing.fingerprint:
            raise ValidationError({"fingerprint": LIST_CHANGED})
        if not listing.due:
            raise ValidationError({"fingerprint": NOTHING_DUE})
        run = DisposalRun.objects.create(
            approved_by=actor, as_of=today, fingerprint=fingerprint,
            schedule={kind: {"rule": rule.describe(), "source": rule.source} for kind, rule in schedule.items()})
        touched: set[str] = set()
        for file in listing.due:
            tombstone = _dispose(file, run, touched)
            record(Action.DISPOSE, actor=actor, subject=tombstone, child=file.person, details={
                "run": run.pk, "reference": tombstone.reference, "retention_kind": tombstone.retention_kind,
                "rule": tombstone.rule, "source": tombstone.source,
                "retention_ended_on": tombstone.retention_ended_on, "deleted_rows": tombstone.deleted_rows})
        record(Action.DISPOSE, actor=actor, subject=run,
               details={"as_of": today, "records": len(listing.due), "fingerprint": fingerprint})
        # Every link the run touched must still point at a row; if the walk missed one, all of it is undone.
        connection.check_constraints(table_names=sorted(touched))
    return run


def _dispose(file: retention_schedule.File, run: DisposalRun, touched: set[str]) -> DisposedRecord:
    reference, verdict = file.person.reference, file.verdict
    deleted = _erase(file.ids, touched)
    return DisposedRecord.objects.create(
        run=run, record_type=Person._meta.label_lower, record_id=file.person.pk, reference=reference,
        merged_ids=file.merged_ids, retention_kind=verdict.kind, rule=verdict.rule.describe(),
        source=verdict.rule.source, statutory=verdict.rule.statutory,
        last_involvement_on=file.facts.last_involvement, retention_ended_on=verdict.dispose_on,
        deleted_rows=deleted)


def _erase(person_ids: list[int], touched: set[str]) -> dict[str, int]:
    """Delete everything that depends on these people and empty their own rows. Returns rows deleted by model,
    and adds to `touched` the tables whose foreign keys the caller must check before it commits."""
    unlink: dict[models.ForeignKey, set] = defaultdict(set)
    found = _dependents(Person, set(person_ids), unlink=unlink)
    _add_orphans(found)
    counts: dict[str, int] = {}
    for fk, pks in unlink.items():
        _unlink(fk, pks - found[fk.model])
    history_rows = _delete_history(found)
    for model, pks in found.items():
        if model is not Person:
            counts[model._meta.label] = _raw_delete(model, pks)
    _empty(Person, found[Person])
    # Restricted to nobody (its grants went with it): the emptied row opens for no one and is in no list or search.
    for chunk in _chunks(found[Person]):
        Person._base_manager.filter(pk__in=chunk).update(restriction=Person.Restriction.DISPOSED)
    counts["history rows"] = history_rows
    touched.update(_tables_referring_to(found))
    return {label: n for label, n in sorted(counts.items()) if n}


def _reverse_links(model: type[models.Model]) -> list:
    """Every foreign key into `model` from a case-record table (hidden ones too; not history, not the audit)."""
    return [rel for rel in model._meta.get_fields(include_hidden=True)
            if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
            and rel.related_model is not AuditEvent and not _is_history(rel.related_model)]


def _dependents(model: type[models.Model], pks: set, found: dict | None = None,
                unlink: dict | None = None) -> dict[type[models.Model], set]:
    """Rows to delete, by model. With `unlink`, rows naming a person by an optional link are put there instead."""
    found = found if found is not None else defaultdict(set)
    queue = [(model, pks)]
    while queue:
        model, pks = queue.pop()
        new = pks - found[model]
        if not new:
            continue
        found[model] |= new
        for rel in _reverse_links(model):
            ids = set()
            for chunk in _chunks(new):
                ids.update(rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": chunk})
                           .values_list("pk", flat=True))
            if not ids:
                continue
            if unlink is not None and model is Person and rel.field.null and rel.related_model is not Person:
                unlink[rel.field] |= ids
            else:
                queue.append((rel.related_model, ids))
    return found


def _unlink(fk: models.ForeignKey, pks: set) -> None:
    for chunk in _chunks(pks):
        fk.model._base_manager.filter(pk__in=chunk).update(**{fk.attname: None})


def _add_orphans(found: dict) -> None:
    """Contacts no longer about any child, and households with nobody left in them and no contact, go too."""
    contact_ids = set(ContactChild.objects.filter(pk__in=found[ContactChild]).values_list("contact_id", flat=True))
    still_about_someone = set(ContactChild.objects.filter(contact_id__in=contact_ids)
                              .exclude(pk__in=found[ContactChild]).values_list("contact_id", flat=True))
    _dependents(Contact, contact_ids - still_about_someone, found)
    household_ids = set(HouseholdMember.objects.filter(pk__in=found[HouseholdMember])
                        .values_list("household_id", flat=True))
    household_ids |= set(Contact.objects.filter(pk__in=found[Contact]).exclude(household=None)
                         .values_list("household_id", flat=True))
    in_use = set(HouseholdMember.objects.filter(household_id__in=household_ids).exclude(pk__in=found[HouseholdMember])
                 .values_list("household_id", flat=True))
    in_use |= set(Contact.objects.filter(household_id__in=household_ids).exclude(pk__in=found[Contact])
                  .values_list("household_id", flat=True))
    _dependents(Household, household_ids - in_use, found)


def _delete_history(found: dict) -> int:
    """Every history row that was about one of these rows, or pointed at one: they hold the same details."""
    deleted = 0
    for history in (m for m in apps.get_models() if _is_history(m)):
        source = history.instance_type
        if source in found:
            deleted += _raw_delete(history, found[source], field=source._meta.pk.attname)
        for fk in (f for f in history._meta.concrete_fields if f.is_relation and f.related_model in found):
            deleted += _raw_delete(history, found[fk.related_model], field=fk.attname)
    return deleted


def _empty(model: type[models.Model], pks: set) -> None:
    blank = {}
    for f in model._meta.concrete_fields:
        if f.name in KEPT_FIELDS:
            continue
        if not (f.null or isinstance(f, (models.CharField, models.TextField))):
            raise TypeError(f"{model._meta.label}.{f.name} cannot be emptied; decide whether to keep it")
        blank[f.attname] = None if f.null else ""
    for chunk in _chunks(pks):
        model._base_manager.filter(pk__in=chunk).update(**blank)


def _raw_delete(model: type[models.Model], pks: set, field: str = "pk") -> int:
    # QuerySet._raw_delete: one DELETE, no collector (PROTECT links are all being deleted together, and foreign
    # keys are checked at the end) and no signals (no history row written about the deletion).
    return sum(model._base_manager.filter(**{f"{field}__in": chunk})._raw_delete(connection.alias)
               for chunk in _chunks(pks))


def _tables_referring_to(found: dict) -> list[str]:
    tables = {model._meta.db_table for model in found}
    for model in found:
        tables |= {rel.related_model._meta.db_table for rel in model._meta.get_fields(include_hidden=True)
                   if rel.auto_created and not rel.concrete and not _is_history(rel.related_model)
                   and not rel.many_to_many}
    return sorted(tables)


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's historical models


def _chunks(ids: set) -> list[list]:
    ordered = sorted(ids)
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]
