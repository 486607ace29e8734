"""Police domestic-abuse notifications in bulk: stage a daily CSV, match its people, confirm it as contacts.

- `stage_file` checks the whole file (rules.police_notifications), refuses it with every problem or stages every
  incident, never some of each; the same file twice is one batch (its SHA-256 is the key).
- Each person is matched to existing records with the same scoring as the duplicate check
  (people.matching / rules.matching), in a fixed number of queries for the whole file, and to the other rows of the
  file. Only an exact match (rules.matching.is_exact) is linked without a person choosing; near matches, in the
  database or in the file, are possible matches to choose between.
- `confirm_batch` turns each incident into a contact (through `record_contacts`, so every contact is checked and
  audited per child like one typed in), creating the people who had no record, all or nothing, a few incidents
  per transaction. The web page queues it as a background task (frontdoor/tasks.py) and shows its progress
  (ADR 0011).
- `household_incidents` counts a household's police incidents in the repeat window, for the RAG and the queue.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casefile.access import policy
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record, record_many
from casefile.core.presenters import govuk_date, govuk_datetime
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import (
    Consent,
    Contact,
    ContactAdult,
    ContactChild,
    ImportBatch,
    NotificationPerson,
    PoliceNotification,
)
from casefile.frontdoor.services.contacts import new_contact_events, record_contacts
from casefile.frontdoor.standards import front_door_settings
from casefile.people.matching import facts_for_entry, facts_for_person
from casefile.people.models import Address, Alias, Person
from casefile.rules import codes, matching, names
from casefile.rules.front_door import RagRating, notification_rag, within_months
from casefile.rules.police_notifications import DASH_RISK, PERSON_ROLE, Incident, RowError, parse_notifications

LIVE = (ImportBatch.Status.STAGED, ImportBatch.Status.CONFIRMING, ImportBatch.Status.CONFIRMED)
# A resolution "row:5": the person is the same as the one on row 5 of the file.
SAME_ROW = "row:"
CONSENT_REASON = ("Notification shared by the police under their safeguarding duties; consent is sought at triage "
                  "where it is safe to")
# Keeps each IN (...) well inside every database's limit on query parameters.
CHUNK = 500


class ImportRefused(Exception):
    """The file was refused; `errors` are the RowErrors to show (row, column, message). `earlier` maps the row of an
    incident already imported or staged to that PoliceNotification, so the page can link to it."""

    def __init__(self, errors: Sequence[RowError], earlier: dict[int, PoliceNotification] | None = None):
        self.errors = tuple(errors)
        self.earlier = earlier or {}
        super().__init__(f"The file was refused with {len(self.errors)} problem(s)")


def _chunks(values: Iterable, size: int = CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


# Staging ------------------------------------------------------------------------------------------------


def live_batch_for(content_hash: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(content_hash=content_hash, status__in=LIVE).first()


def stage_file(*, actor: User, request=None, data: bytes, filename: str) -> ImportBatch:
    """Stage a police file for preview, or return the live batch of the same file (`.already_imported` set).

    Raises ImportRefused with every problem; then nothing is written but one IMPORT audit event."""
    filename = (filename or "police.csv")[:255]
    content_hash = hashlib.sha256(data).hexdigest()
    existing = live_batch_for(content_hash)
    if existing:
        existing.already_imported = True
        return existing
    result = parse_notifications(data, now=timezone.now())
    errors = list(result.errors)
    earlier = _already_imported(result.incidents) if result.ok else {}
    if result.ok:
        errors += _without_children(result.incidents) + [error for error, _ in earlier.values()]
    if errors:
        record(Action.IMPORT, actor=actor, request=request,
               details={"refused": True, "errors": len(errors), "filename": filename})
        raise ImportRefused(sorted(errors, key=lambda error: (error.row or 0)),
                            earlier={row: notification for row, (_, notification) in earlier.items()})
    try:
        with transaction.atomic():
            batch = _stage(actor, request, filename, content_hash, result.incidents)
    except IntegrityError:
        # Someone staged the same file a moment ago: theirs is the batch.
        existing = live_batch_for(content_hash)
        if existing is None:
            raise
        existing.already_imported = True
        return existing
    batch.already_imported = False
    return batch


def _without_children(incidents: Sequence[Incident]) -> list[RowError]:
    return [RowError(incident.people[0].row, "person_role",
                     f"No child named for police_reference {incident.police_reference}: list each child who lives in "
                     "or was present at the household with person_role child, or leave the incident out")
            for incident in incidents if not any(person.person_role == "child" for person in incident.people)]


def _already_imported(incidents: Sequence[Incident]) -> dict[int, tuple[RowError, PoliceNotification]]:
    """For each incident already in a live batch: its first row -> (the error, the earlier notification)."""
    by_reference = {incident.police_reference: incident for incident in incidents}
    found: dict[str, PoliceNotification] = {}
    for chunk in _chunks(by_reference):
        for notification in (PoliceNotification.objects.filter(police_reference__in=chunk, batch__status__in=LIVE)
                             .select_related("batch").order_by("batch__uploaded_at", "pk")):
            found.setdefault(notification.police_reference, notification)
    earlier = {}
    for reference, notification in found.items():
        row = by_reference[reference].people[0].row
        earlier[row] = (RowError(row, "police_reference", _already_message(notification)), notification)
    return earlier


def _already_message(notification: PoliceNotification) -> str:
    """What to do about an incident that is already in Casefile: advice that can be followed whatever its state."""
    batch, reference = notification.batch, notification.police_reference
    uploaded = govuk_date(timezone.localdate(batch.uploaded_at))
    if batch.status == ImportBatch.Status.CONFIRMED:
        imported = govuk_date(timezone.localdate(batch.decided_at or batch.uploaded_at))
        return (f"police_reference {reference} was already imported from {batch.filename} on {imported}, and is a "
                "contact at the front door: remove this incident from the file and upload the rest again. Anything "
                "new the police say about it belongs on that contact")
    return (f"police_reference {reference} is already in {batch.filename} (uploaded {uploaded}), which is waiting for "
            "confirmation: remove this incident from this file, or discard that file first if it was wrong")


def _stage(actor: User, request, filename: str, content_hash: str, incidents: Sequence[Incident]) -> ImportBatch:
    batch = save_with_history(ImportBatch(
        content_hash=content_hash, filename=filename, uploaded_by=actor,
        incident_count=len(incidents), person_count=sum(len(incident.people) for incident in incidents)), actor)
    notifications = bulk_create_with_history([
        PoliceNotification(batch=batch, police_reference=incident.police_reference,
                           incident_at=incident.incident_datetime, reported_at=incident.reported_datetime,
                           dash_risk=incident.dash_risk, children_present=incident.children_present,
                           household_address=incident.household_address, postcode=incident.postcode,
                           officer_name=incident.officer_name, summary=incident.summary,
                           first_row=incident.people[0].row)
        for incident in incidents], PoliceNotification, default_user=actor)
    entries = [(notification, incident, person)
               for notification, incident in zip(notifications, incidents, strict=True) for person in incident.people]
    matches = match_people(actor, [(person, incident.postcode) for _, incident, person in entries])
    bulk_create_with_history([
        NotificationPerson(notification=notification, row=person.row, role=person.person_role,
                           first_name=person.first_name, last_name=person.last_name,
                           date_of_birth=person.date_of_birth, expected_date_of_birth=person.expected_date_of_birth,
                           sex=person.sex, nhs_number=person.nhs_number, **found)
        for (notification, _, person), found in zip(entries, matches, strict=True)], NotificationPerson,
        default_user=actor)
    record(Action.IMPORT, actor=actor, request=request, subject=batch,
           details={"staged": True, "filename": filename, "incidents": batch.incident_count,
                    "people": batch.person_count})
    return batch


# Matching -----------------------------------------------------------------------------------------------


def _kind_for(role: str) -> str:
    return Person.Kind.CHILD if role == "child" else Person.Kind.ADULT


def match_people(actor: User, entries: Sequence[tuple]) -> list[dict]:
    """For each (parsed person, postcode): the NotificationPerson fields match, person, candidates and same_as_row.

    Within the file, a person exactly the same as one on an earlier row (rules.matching.is_exact) is SAME as that
    row, so both become one record; near matches on earlier rows are offered as possible matches. Against existing
    records, the candidates come from the duplicate check's blocks (date of birth, expected date of birth, NHS
    number, surname sound, alias surname sound, postcode), fetched once for the whole file, and are scored by
    rules.matching as on the create page. A record is linked without a person choosing only when it is an exact
    match and the only likely one."""
    facts = [facts_for_entry({"first_name": person.first_name, "last_name": person.last_name,
                              "date_of_birth": person.date_of_birth,
                              "expected_date_of_birth": person.expected_date_of_birth,
                              "nhs_number": person.nhs_number, "sex": person.sex,
                              "address": {"postcode": postcode}}) for person, postcode in entries]
    kinds = [_kind_for(person.person_role) for person, _ in entries]
    same_as, in_file = _match_within_file([person.row for person, _ in entries], kinds, facts)
    pool = _candidate_pool(actor, [entered for index, entered in enumerate(facts) if index not in same_as])
    pool_facts = {person.pk: facts_for_person(person) for person in pool.values()}
    blocks = _blocks(pool.values())
    likely: dict[int, list] = {}
    for index, entered in enumerate(facts):
        if index in same_as:
            continue
        ids = sorted(pk for key in _keys(entered) for pk in blocks.get(key, ()) if pool[pk].kind == kinds[index])
        likely[index] = [(pk, found, matching.is_exact(entered, pool_facts[pk])) for pk, found in
                         matching.likely_matches(entered, ((pk, pool_facts[pk]) for pk in dict.fromkeys(ids)))]
    visible = _visible_ids(actor, {pk for found in likely.values() for pk, _, _ in found})
    results: dict[int, dict] = {}
    for index in sorted(range(len(entries)), key=lambda index: entries[index][0].row):
        if index in same_as:
            results[index] = _same_fields(results[same_as[index]], entries[same_as[index]][0].row)
        else:
            nearby = [_row_candidate(entries[other][0], found) for other, found in in_file.get(index, [])]
            results[index] = _match_fields(likely[index], pool, visible, nearby)
    return [results[index] for index in range(len(entries))]


def _identifier_keys(facts: matching.PersonFacts) -> set[tuple]:
    return {(kind, value) for kind, value in (("dob", facts.date_of_birth), ("edd", facts.expected_date_of_birth),
                                              ("nhs", facts.nhs_number)) if value}


def _in_file_keys(facts: matching.PersonFacts) -> set[tuple]:
    """Blocks for comparing rows of one file: an identifier, or both names sounding alike (a surname alone would
    put a whole family, or every Smith in a large file, in one block)."""
    legal = facts.names[0]
    return _identifier_keys(facts) | {("name", names.phonetic_key(legal.last), names.phonetic_key(legal.first))}


def _match_within_file(rows: Sequence[int], kinds: Sequence[str], facts: Sequence[matching.PersonFacts]
                       ) -> tuple[dict[int, int], dict[int, list]]:
    """Who in the file is someone on an earlier row: {index: index of the first row of that person} for exact
    matches, and {index: [(earlier index, Match), ...]} for near matches worth asking about. Rows are compared
    only with earlier first rows of people of the same kind sharing a block, so a file of 10,000 rows is quick."""
    same_as: dict[int, int] = {}
    near: dict[int, list] = {}
    firsts: dict[tuple, list[int]] = defaultdict(list)  # block -> the first row of each person in it
    for index in sorted(range(len(rows)), key=lambda index: rows[index]):
        keys = [(kinds[index], *key) for key in _in_file_keys(facts[index])]
        earlier = sorted({other for key in keys for other in firsts.get(key, ())}, key=lambda other: rows[other])
        exact = [other for other in earlier if matching.is_exact(facts[index], facts[other])]
        if exact:
            same_as[index] = exact[0]
            continue
        found = [(other, matching.compare(facts[index], facts[other])) for other in earlier]
        found = [(other, match) for other, match in found if match.is_likely and _names_could_agree(match)]
        if found:
            near[index] = sorted(found, key=lambda pair: pair[1].score, reverse=True)
        for key in keys:
            firsts[key].append(index)
    return same_as, near


def _names_could_agree(found: matching.Match) -> bool:
    """In one file, twins share a date of birth, a surname and a postcode: only a first name that is a variant, sounds
    alike or is spelt alike (or the same NHS number) makes two rows worth asking about."""
    return found.same_nhs_number or any(item.detail == "first_name" and item.reason for item in found.evidence)


def _row_candidate(person, found: matching.Match) -> dict:
    return {"row": person.row, "name": f"{person.first_name} {person.last_name}",
            "dob": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "score": found.score, "reasons": found.reasons}


def _same_fields(first: dict, first_row: int) -> dict:
    """A later row of a person already in the file: linked as their first row is, or SAME as it until confirmed."""
    if first["match"] == NotificationPerson.Match.MATCHED:
        return {**first, "same_as_row": None}
    return {"match": NotificationPerson.Match.SAME, "person": None, "candidates": [], "same_as_row": first_row}


def _keys(facts: matching.PersonFacts) -> set[tuple]:
    keys = {("key", names.phonetic_key(name.last)) for name in facts.names if names.normalise(name.last)}
    return keys | _identifier_keys(facts) | {("postcode", postcode) for postcode in facts.postcodes}


def _candidate_pool(actor: User, facts: Sequence[matching.PersonFacts]) -> dict[int, Person]:
    """Every unmerged record sharing a block with anyone in the file, with aliases and addresses; never a restricted
    record the importer is not named on (policy.matchable_people), so the preview does not reveal one."""
    keys = set().union(*(_keys(entered) for entered in facts)) if facts else set()
    ids: set[int] = set()
    for kind, field in (("dob", "date_of_birth"), ("edd", "expected_date_of_birth"), ("nhs", "nhs_number"),
                        ("key", "last_name_key")):
        for chunk in _chunks(value for name, value in keys if name == kind):
            ids |= set(Person.objects.filter(**{f"{field}__in": chunk}).values_list("pk", flat=True))
    for chunk in _chunks(value for name, value in keys if name == "key"):
        ids |= set(Alias.objects.filter(last_name_key__in=chunk).values_list("person_id", flat=True))
    for chunk in _chunks(value for name, value in keys if name == "postcode"):
        ids |= set(Address.objects.filter(postcode__in=chunk).values_list("person_id", flat=True))
    pool: dict[int, Person] = {}
    for chunk in _chunks(sorted(ids)):
        people = (policy.matchable_people(actor, Person.objects.filter(pk__in=chunk, merged_into__isnull=True))
                  .prefetch_related("aliases", "addresses"))
        pool.update((person.pk, person) for person in people)
    return pool


def _blocks(people: Iterable[Person]) -> dict[tuple, set[int]]:
    blocks: dict[tuple, set[int]] = defaultdict(set)
    for person in people:
        for kind, value in (("dob", person.date_of_birth), ("edd", person.expected_date_of_birth),
                            ("nhs", person.nhs_number)):
            if value:
                blocks[(kind, value)].add(person.pk)
        for name in [person.last_name, *(alias.last_name for alias in person.aliases.all())]:
            if names.normalise(name or ""):
                blocks[("key", names.phonetic_key(name))].add(person.pk)
        for address in person.addresses.all():
            blocks[("postcode", address.postcode)].add(person.pk)
    return blocks


def _visible_ids(actor: User, ids: set[int]) -> set[int]:
    visible: set[int] = set()
    for chunk in _chunks(sorted(ids)):
        visible |= set(policy.viewable_people(actor, Person.objects.filter(pk__in=chunk)).values_list("pk", flat=True))
    return visible


def _match_fields(found: list, pool: dict[int, Person], visible: set[int], in_file: list[dict]) -> dict:
    """`found`: (pk, Match, exact) for each likely record; `in_file`: candidates on earlier rows of the file."""
    shown = [(pk, match, exact) for pk, match, exact in found if pk in visible]
    hidden = len(found) - len(shown)
    if len(found) == 1 and found[0][2] and not hidden and not in_file:
        return {"match": NotificationPerson.Match.MATCHED, "person": pool[found[0][0]], "candidates": [],
                "same_as_row": None}
    if not found and not in_file:
        return {"match": NotificationPerson.Match.NEW, "person": None, "candidates": [], "same_as_row": None}
    candidates = [{"id": pk, "name": pool[pk].full_name,
                   "dob": pool[pk].date_of_birth.isoformat() if pool[pk].date_of_birth else "",
                   "score": match.score, "reasons": match.reasons, "exact": exact} for pk, match, exact in shown]
    candidates += in_file
    if hidden:
        # Records this user may not open are never described, and the page does not say how many, only whom to ask.
        candidates.append({"id": None, "hidden": hidden})
    return {"match": NotificationPerson.Match.POSSIBLE, "person": None, "candidates": candidates, "same_as_row": None}


# Confirming ---------------------------------------------------------------------------------------------


def _describe(person: NotificationPerson) -> str:
    return f"{person.first_name} {person.last_name} (row {person.row})"


def _not_waiting(batch: ImportBatch) -> str:
    return (f"This batch is {batch.get_status_display().lower()}: only a batch waiting for confirmation can be "
            "confirmed")


def _check_resolutions(batch: ImportBatch, people: list[NotificationPerson], resolutions: dict) -> dict[int, Person]:
    """The record chosen for each possible match (None: a new record); every problem raised at once."""
    errors = Errors()
    if batch.status != ImportBatch.Status.STAGED:
        errors.add("__all__", _not_waiting(batch))
    chosen_ids = {value for value in resolutions.values() if isinstance(value, int)}
    chosen = Person.objects.in_bulk(list(chosen_ids))
    for entry in people:
        if entry.match != NotificationPerson.Match.POSSIBLE:
            continue
        field = f"person_{entry.pk}"
        if entry.pk not in resolutions:
            errors.add(field, f"Choose a record for {_describe(entry)}, or choose to create a new record")
            continue
        choice = resolutions[entry.pk]
        offered = {candidate.get("id") for candidate in entry.candidates}
        if isinstance(choice, str):
            if _same_row(choice) not in {candidate.get("row") for candidate in entry.candidates}:
                errors.add(field, f"Choose one of the rows listed for {_describe(entry)}, or create a new record")
        elif choice is not None and (choice not in offered or choice not in chosen):
            errors.add(field, f"Choose one of the records listed for {_describe(entry)}, or create a new record")
        elif choice is not None and (chosen[choice].merged_into_id or chosen[choice].kind != _kind_for(entry.role)):
            errors.add(field, f"The record chosen for {_describe(entry)} has been merged or is not a "
                              f"{_kind_for(entry.role)}'s record: choose another, or create a new record")
    errors.raise_if_any()
    return chosen


def check_confirmation(*, batch: ImportBatch, resolutions: dict[int, int | str | None]) -> None:
    """What confirm_batch would refuse in these choices, before any work is queued: every problem at once."""
    people = NotificationPerson.objects.filter(notification__batch=batch)
    _check_resolutions(batch, list(people), resolutions)


def _no_progress(done: int, total: int, stage: str) -> None:
    pass


# Incidents written in one transaction. On SQLite a transaction holds the database's one write lock, and every web
# request writes (its session, its audit event), so each step must be short for other people's pages to stay quick.
CONFIRM_STEP = 25
# Audit events appended in one transaction once every record is written (one per new person, one per child on a
# contact).
AUDIT_STEP = 500
# A pause after each step on SQLite. A request waiting for the write lock retries only every 50-100 ms (SQLite's
# busy handler), so without a pause the worker takes the lock again before the request has looked, for seconds.
SQLITE_PAUSE_SECONDS = 0.1


def _let_others_write() -> None:
    if connection.vendor == "sqlite":
        time.sleep(SQLITE_PAUSE_SECONDS)


def confirm_batch(*, actor: User, request=None, batch: ImportBatch, resolutions: dict[int, int | str | None],
                  progress=_no_progress) -> ImportBatch:
    """Create a contact for each incident of a staged batch, with new records for people not matched.

    `resolutions` maps each possible-match NotificationPerson pk to the chosen Person pk, "row:N" for the same
    person as row N of the file (one of the rows offered), or None for a new record. Once only: the batch is locked
    and marked "being imported" first, so a second confirmation (a double click, a task run twice) is refused. In
    short steps (ADR 0011): the records are written CONFIRM_STEP incidents at a time, each step committed, with
    `progress(done, total, stage)` between steps, and no audit event yet; if any step fails (a refused contact, a
    database error) the records the earlier steps wrote are deleted again and the batch waits for confirmation as
    before. Then their audit events are appended, AUDIT_STEP at a time, and the
    batch is marked imported."""
    total = batch.incident_count
    progress(0, total, "Reading the incidents")
    notifications = list(batch.notifications.order_by("first_row").prefetch_related("people__person"))
    people = [entry for notification in notifications for entry in notification.people.all()]
    chosen = _check_resolutions(batch, people, resolutions)
    progress(0, total, "Counting earlier police incidents at each household")
    for entry in people:
        # The records chosen count towards each household's history, as the records matched do.
        choice = resolutions.get(entry.pk)
        if entry.match == NotificationPerson.Match.POSSIBLE and choice is not None and _same_row(choice) is None:
            entry.person = chosen[choice]
    counts = household_incidents(notifications)
    _begin_confirming(actor, batch)
    created: list[Person] = []
    written: list[tuple] = []
    try:
        for step in _chunks(notifications, CONFIRM_STEP):
            progress(len(written), total, "Writing the contacts")
            with transaction.atomic():
                created += _settle_people(actor, [entry for n in step for entry in n.people.all()], resolutions,
                                          chosen, everyone=people)
                drafts = [_contact_draft(batch, notification, counts[notification.pk]) for notification in step]
                contacts = record_contacts(actor=actor, request=request, drafts=drafts, audit=False)
                for notification, contact in zip(step, contacts, strict=True):
                    notification.contact = contact
                bulk_update_with_history(step, PoliceNotification, ["contact"], default_user=actor)
            written += [(contact, draft["children"]) for contact, draft in zip(contacts, drafts, strict=True)]
            _let_others_write()
    except BaseException as error:
        _take_back(actor, request, batch, notifications, people, created, error)
        raise
    _audit_in_steps(actor, request, batch, notifications, created, written, progress)
    progress(total, total, "Imported")
    return batch


def _audit_in_steps(actor: User, request, batch: ImportBatch, notifications: list, created: list, written: list,
                    progress) -> None:
    """Append the CREATE events for everything written, AUDIT_STEP at a time, then mark the batch imported.

    Once the first step commits, audited records can no longer be deleted (the audit trail protects them), so a
    failure from here on leaves the batch "Being imported" with every record written (ADR 0011)."""
    events = [(person, person, {"source": "police notification import", "batch": batch.pk}) for person in created]
    events += new_contact_events(written)
    try:
        for done in range(0, len(events), AUDIT_STEP):
            progress(done, len(events), "Recording the audit trail")
            record_many(Action.CREATE, actor=actor, request=request, events=events[done:done + AUDIT_STEP])
            _let_others_write()
        with transaction.atomic():
            batch.status, batch.decided_by, batch.decided_at = ImportBatch.Status.CONFIRMED, actor, timezone.now()
            save_with_history(batch, actor)
            # Each new record and each child's contact also has its own CREATE event.
            record(Action.IMPORT, actor=actor, request=request, subject=batch,
                   details={"confirmed": True, "filename": batch.filename, "incidents": len(notifications),
                            "contacts": [n.contact_id for n in notifications],
                            "new_people": [person.pk for person in created]})
    except Exception as error:
        raise ValidationError({"__all__": [
            f"Every contact from {batch.filename} was written, but recording them in the audit trail stopped "
            f"part-way ({type(error).__name__}). The file stays 'Being imported' and is not in the triage queue: "
            "ask your system administrator to finish it."]}) from error


def _begin_confirming(actor: User, batch: ImportBatch) -> None:
    with transaction.atomic():
        # Two confirmations at once (a double click, two tabs): the second waits here, then finds it taken.
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.STAGED:
            batch.refresh_from_db()
            raise ValidationError({"__all__": [_not_waiting(locked)]})
        batch.status = ImportBatch.Status.CONFIRMING
        save_with_history(batch, actor)


def _take_back(actor: User, request, batch: ImportBatch, notifications: list, people: list, created: list,
               error: BaseException) -> None:
    """Delete what the committed steps wrote (no audit event names it yet), and let the batch wait again."""
    contact_ids = [n.contact_id for n in notifications if n.contact_id]
    created_ids = [person.pk for person in created]
    with transaction.atomic():
        linked = [n for n in notifications if n.contact_id]
        for notification in linked:
            notification.contact = None
        bulk_update_with_history(linked, PoliceNotification, ["contact"], default_user=actor)
        for ids in _chunks(contact_ids):
            for model in (ContactAdult, ContactChild, Contact):
                (model.objects.filter(pk__in=ids) if model is Contact else model.objects.filter(contact_id__in=ids)
                 ).delete()
        relinked = [entry for entry in people if entry.match != NotificationPerson.Match.MATCHED and entry.person_id]
        for entry in relinked:
            entry.person = None
        bulk_update_with_history(relinked, NotificationPerson, ["person"], default_user=actor)
        for ids in _chunks(created_ids):
            Person.objects.filter(pk__in=ids).delete()
        batch.status = ImportBatch.Status.STAGED
        save_with_history(batch, actor)
        record(Action.IMPORT, actor=actor, request=request, subject=batch,
               details={"taken_back": True, "filename": batch.filename, "error": str(error)[:500],
                        "contacts_removed": contact_ids, "people_removed": created_ids})


def _same_row(choice) -> int | None:
    """The row number in a resolution "row:N" (the same person as row N of the file), else None."""
    if isinstance(choice, str) and choice.startswith(SAME_ROW) and choice[len(SAME_ROW):].isdigit():
        return int(choice[len(SAME_ROW):])
    return None


def _settle_people(actor: User, people: list[NotificationPerson], resolutions: dict, chosen: dict, *,
                   everyone: list[NotificationPerson]) -> list[Person]:
    """Link each person to their record: the match, the record chosen, or a new one (created in bulk, with
    history); a person on a later row of the file shares the record of the earlier row they are the same as.
    `everyone` is every person on the file, so a row written in an earlier step is found. Returns the new records."""
    new_entries, later_rows = [], []
    for entry in people:
        if entry.match == NotificationPerson.Match.MATCHED and entry.person_id:
            continue
        choice = resolutions.get(entry.pk) if entry.match == NotificationPerson.Match.POSSIBLE else None
        same_row = entry.same_as_row if entry.match == NotificationPerson.Match.SAME else _same_row(choice)
        if same_row:
            later_rows.append((entry, same_row))
        elif choice is not None:
            entry.person = chosen[choice]
        else:
            new_entries.append(entry)
    created = bulk_create_with_history([
        # bulk_create skips Person.save, so the sounds-alike key is set here.
        Person(kind=_kind_for(entry.role), first_name=entry.first_name, last_name=entry.last_name,
               last_name_key=names.phonetic_key(entry.last_name), date_of_birth=entry.date_of_birth,
               expected_date_of_birth=entry.expected_date_of_birth, nhs_number=entry.nhs_number, sex=entry.sex,
               created_by=actor) for entry in new_entries], Person, default_user=actor)
    for entry, person in zip(new_entries, created, strict=True):
        entry.person = person
    by_row = {entry.row: entry for entry in everyone}
    for entry, same_row in sorted(later_rows, key=lambda pair: pair[0].row):
        entry.person = by_row[same_row].person  # always an earlier row, so already settled
    bulk_update_with_history([entry for entry in people if entry.match != NotificationPerson.Match.MATCHED],
                             NotificationPerson, ["person"], default_user=actor)
    return created


def contact_summary(notification: PoliceNotification) -> str:
    return (f"{notification.summary}\n\nPolice reference {notification.police_reference}. Incident on "
            f"{govuk_datetime(notification.incident_at)}. DASH risk: {DASH_RISK[notification.dash_risk]}. "
            f"Children present: "
            f"{notification.get_children_present_display()}. Address: {notification.household_address}, "
            f"{notification.postcode}.")


def suggested_rag(notification: PoliceNotification, incidents: int) -> RagRating:
    """`incidents` counts this one too, as household_incidents does."""
    return notification_rag(notification.dash_risk, notification.children_present, max(incidents - 1, 0))


def _contact_draft(batch: ImportBatch, notification: PoliceNotification, incidents: int) -> dict:
    """record_contact's arguments for one incident (record_contacts writes them all at once)."""
    entries = list(notification.people.all())
    # Someone chosen as the same person as another row of the same incident is on the contact once.
    roles: dict[Person, str] = {}
    for entry in entries:
        if entry.role != "child":
            roles.setdefault(entry.person, PERSON_ROLE[entry.role])
    return {
        "label": f"Row {notification.first_row}, police_reference {notification.police_reference}",
        "received_at": batch.uploaded_at, "source": codes.POLICE,
        "children": list(dict.fromkeys(entry.person for entry in entries if entry.role == "child")),
        "adults": list(roles.items()),
        "summary": contact_summary(notification), "referrer_name": notification.officer_name,
        "referrer_organisation": "Police", "consent_to_share": Consent.NOT_SOUGHT,
        "consent_to_share_reason": CONSENT_REASON, "consent_to_assessment": Consent.NOT_SOUGHT,
        "consent_to_assessment_reason": CONSENT_REASON, "rag": suggested_rag(notification, incidents).rag.value,
    }


def discard_batch(*, actor: User, request=None, batch: ImportBatch) -> ImportBatch:
    """Set a staged batch aside; the same file may then be uploaded again."""
    if batch.status != ImportBatch.Status.STAGED:
        raise ValidationError({"__all__": [f"This batch is {batch.get_status_display().lower()}: only a batch "
                                           "waiting for confirmation can be discarded"]})
    with transaction.atomic():
        batch.status, batch.decided_by, batch.decided_at = ImportBatch.Status.DISCARDED, actor, timezone.now()
        save_with_history(batch, actor)
        record(Action.IMPORT, actor=actor, request=request, subject=batch,
               details={"discarded": True, "filename": batch.filename})
    return batch


# Household history --------------------------------------------------------------------------------------


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def first_line(address: str) -> str:
    """The address's first line, ignoring case, spacing and punctuation ("14 Elm Grove," = "14 elm grove")."""
    return " ".join(_NOT_WORD.sub(" ", address.split(",")[0].casefold()).split())


def _address_key(notification: PoliceNotification) -> tuple[str, str]:
    return notification.postcode, first_line(notification.household_address)


def household_incidents(notifications: Sequence[PoliceNotification], *,
                        today: datetime.date | None = None) -> dict[int, int]:
    """Police incidents (this one included) at each notification's household in the repeat window.

    The window ends `today` (the queue) or, without it, on the day of each incident (its RAG). The same household
    shares a person's record, or the postcode and first line of the address. Live batches only; a fixed number of
    queries however many notifications."""
    months = front_door_settings().repeat_incident_months
    if not notifications:
        return {}
    days = {n.pk: today or timezone.localtime(n.incident_at).date() for n in notifications}
    earliest = datetime.datetime.combine(min(days.values()) - datetime.timedelta(days=31 * months + 1),
                                         datetime.time.min, tzinfo=timezone.get_current_timezone())
    person_ids = _person_ids(notifications)
    wanted = {pk for ids in person_ids.values() for pk in ids}
    postcodes = {n.postcode for n in notifications}
    others: dict[int, PoliceNotification] = {}
    for postcode_chunk in _chunks(postcodes):
        query = Q(postcode__in=postcode_chunk)
        others.update((n.pk, n) for n in _live_since(earliest).filter(query))
    for id_chunk in _chunks(wanted):
        others.update((n.pk, n) for n in _live_since(earliest).filter(people__person_id__in=id_chunk).distinct())
    person_ids |= _person_ids([n for n in others.values() if n.pk not in person_ids], fetch=True)
    # Index the household history by address and by person, so each notification looks only at its own.
    by_address: dict[tuple, set[int]] = defaultdict(set)
    by_person: dict[int, set[int]] = defaultdict(set)
    for other in others.values():
        by_address[_address_key(other)].add(other.pk)
        for person_id in person_ids[other.pk]:
            by_person[person_id].add(other.pk)
    incident_days = {pk: timezone.localtime(other.incident_at).date() for pk, other in others.items()}
    counts = {}
    for notification in notifications:
        same = {notification.pk} | by_address[_address_key(notification)]
        for person_id in person_ids[notification.pk]:
            same |= by_person[person_id]
        counts[notification.pk] = 1 + sum(1 for pk in same - {notification.pk} if pk in incident_days
                                          and within_months(incident_days[pk], days[notification.pk], months))
    return counts


def _live_since(earliest: datetime.datetime):
    return PoliceNotification.objects.filter(batch__status__in=LIVE, incident_at__gte=earliest).only(
        "pk", "postcode", "household_address", "incident_at")


def _person_ids(notifications: Sequence[PoliceNotification], *, fetch: bool = False) -> dict[int, set[int]]:
    """The records named on each notification: from its prefetched people, or in queries of CHUNK ids."""
    found: dict[int, set[int]] = defaultdict(set)
    if not fetch:
        for notification in notifications:
            found[notification.pk] = {entry.person_id for entry in notification.people.all() if entry.person_id}
        return found
    for chunk in _chunks(n.pk for n in notifications):
        for notification_id, person_id in NotificationPerson.objects.filter(
                notification_id__in=chunk, person__isnull=False).values_list("notification_id", "person_id"):
            found[notification_id].add(person_id)
    for notification in notifications:
        found.setdefault(notification.pk, set())
    return found
