"""Every change to people, their names, addresses, relationships and households, and to merges.

Each function validates everything first and raises ValidationError keyed by field, with a message that
says what is expected; then writes inside one transaction, tells django-simple-history who made the
change, and adds an audit event. Nothing is half-saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.services import Errors, save_with_history
from casefile.people.models import (
    Address,
    Alias,
    Disability,
    Household,
    HouseholdMember,
    MatchDecision,
    Merge,
    Person,
    Relationship,
)
from casefile.rules import codes, names
from casefile.rules.identifiers import InvalidIdentifier, validate_nhs_number, validate_postcode, validate_upn

# What create_person and update_person accept. Restriction and merges have their own ways in.
IDENTITY_FIELDS = (
    "kind",
    "first_name",
    "middle_names",
    "last_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "religion",
    "first_language",
    "interpreter_needed",
    "nhs_number",
    "upn",
    "upn_unknown_reason",
    "date_of_death",
)
TEXT_FIELDS = ("first_name", "middle_names", "last_name", "known_as", "gender_identity", "religion",
               "first_language", "nhs_number", "upn", "upn_unknown_reason", "sex", "ethnicity", "kind")
NAME_FIELDS = ("first_name", "middle_names", "last_name", "known_as")
ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode", "start_date", "end_date")
# An unborn child's expected date: not long past (the birth may not be recorded yet), at most 10 months ahead.
EXPECTED_BIRTH_LATEST_DAYS = 305
EXPECTED_BIRTH_OVERDUE_DAYS = 28


def _today() -> datetime.date:
    return timezone.localdate()


def _field_label(model: type[models.Model], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label if label[:3].isupper() else label.lower()


def _check_lengths(model: type[models.Model], values: dict, errors: Errors) -> None:
    for name, value in values.items():
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            errors.add(name, f"Enter a {_field_label(model, name)} of {max_length} characters or fewer")


def _check_names(model: type[models.Model], values: dict, errors: Errors) -> None:
    """Names that could never be found by typing them (invisible characters, direction controls, emoji)."""
    for name, value in values.items():
        message = names.name_error(_field_label(model, name), value or "")
        if message:
            errors.add(name, message)


def _refuse_if_merged(person: Person) -> None:
    if person.merged_into_id is not None:
        raise ValidationError(
            {"__all__": [f"This record was merged into {person.merged_into}: make changes on that record instead"]}
        )


# People ------------------------------------------------------------------------------------------


def _clean_identity(values: dict, errors: Errors, *, changed: set[str]) -> dict:
    """Check a whole set of identity values; `changed` says which the user has just entered."""
    values = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    today = _today()
    if values["kind"] not in Person.Kind.values:
        errors.add("kind", "Select whether this person is a child or an adult")
    if not values["first_name"]:
        errors.add("first_name", "Enter the first name (for an unborn child, enter ‘Unborn’)")
    if not values["last_name"]:
        errors.add("last_name", "Enter the last name")
    _check_births_and_deaths(values, errors, today=today, changed=changed)
    unborn = values["kind"] == Person.Kind.CHILD and values["expected_date_of_birth"] and not values["date_of_birth"]
    if values["sex"] and values["sex"] not in codes.SEX:
        errors.add("sex", "Select the sex: male (M), female (F) or unknown (U)")
    elif unborn and values["sex"] in (codes.SEX_MALE, codes.SEX_FEMALE):
        errors.add("sex", "Record an unborn child’s sex as unknown (U), as the census requires")
    if values["ethnicity"] and values["ethnicity"] not in codes.ETHNICITY:
        errors.add("ethnicity", "Select an ethnicity from the census list, for example White British (WBRI)")
    if values["interpreter_needed"] not in (None, True, False):
        errors.add("interpreter_needed", "Select whether an interpreter is needed: yes, no or not known")
    _clean_identifiers(values, errors)
    _check_names(Person, {k: values[k] for k in NAME_FIELDS if k not in errors}, errors)
    _check_lengths(Person, {k: v for k, v in values.items() if k in TEXT_FIELDS and k not in errors}, errors)
    return values


def _check_births_and_deaths(values: dict, errors: Errors, *, today: datetime.date, changed: set[str]) -> None:
    born, expected, died = values["date_of_birth"], values["expected_date_of_birth"], values["date_of_death"]
    if values["kind"] == Person.Kind.CHILD:
        if born and expected:
            errors.add("expected_date_of_birth",
                       "Enter either a date of birth or, for an unborn child, an expected date of birth, not both")
        elif not born and not expected:
            errors.add("date_of_birth",
                       "Enter the child’s date of birth, or an expected date of birth if the child is not yet born")
    elif values["kind"] == Person.Kind.ADULT and expected:
        errors.add("expected_date_of_birth", "Leave the expected date of birth empty: it is only for an unborn child")
    if born and born > today:
        errors.add("date_of_birth", "Date of birth must be today or in the past")
    if expected and "expected_date_of_birth" in changed and "expected_date_of_birth" not in errors:
        if expected > today + datetime.timedelta(days=EXPECTED_BIRTH_LATEST_DAYS):
            errors.add("expected_date_of_birth", "Expected date of birth must be within the next 10 months")
        elif expected < today - datetime.timedelta(days=EXPECTED_BIRTH_OVERDUE_DAYS):
            errors.add("expected_date_of_birth",
                       "Expected date of birth must be in the last 4 weeks or in the future: "
                       "if the child has been born, enter their date of birth instead")
    if died:
        if died > today:
            errors.add("date_of_death", "Date of death must be today or in the past")
        elif born and died < born:
            errors.add("date_of_death", "Date of death must be the same as or after the date of birth")
        elif expected and not born:
            errors.add("date_of_death", "Enter the date of birth before recording a date of death")


def _clean_identifiers(values: dict, errors: Errors) -> None:
    for name, validate in (("nhs_number", validate_nhs_number), ("upn", validate_upn)):
        if values[name]:
            try:
                values[name] = validate(values[name])
            except InvalidIdentifier as problem:
                errors.add(name, str(problem))
    reason = values["upn_unknown_reason"]
    if reason and reason not in codes.UPN_UNKNOWN:
        errors.add("upn_unknown_reason", "Select why the UPN is not known, from UN1 to UN7")
    elif reason and values["upn"]:
        errors.add("upn_unknown_reason", "Leave the reason empty when a UPN is given: give a UPN or a reason, not both")


def _clean_disabilities(disability_codes: Iterable[str], errors: Errors) -> list[str]:
    chosen = list(dict.fromkeys(disability_codes))
    unknown = [code for code in chosen if code not in codes.DISABILITY]
    if unknown:
        errors.add("disabilities", "Select disabilities from the census list, for example Mobility (MOB)")
    elif codes.NO_DISABILITY in chosen and len(chosen) > 1:
        errors.add("disabilities", "Select ‘No disability’ on its own, or select the disabilities the person has")
    return chosen


def _empty_identity() -> dict:
    blank = {name: "" for name in IDENTITY_FIELDS}
    return blank | {"date_of_birth": None, "expected_date_of_birth": None, "date_of_death": None,
                    "interpreter_needed": None}


def _refuse_unknown_fields(given: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def validate_new_person(*, disabilities: Iterable[str] = (), address: dict | None = None, **identity) -> dict:
    """Check what a user entered for a new person, without saving; returns the cleaned values.

    The create page calls this before looking for possible duplicates, so matches are only shown for
    details that could be saved.
    """
    _refuse_unknown_fields(identity, IDENTITY_FIELDS)
    errors = Errors()
    values = _clean_identity(_empty_identity() | identity, errors, changed=set(identity))
    values["disabilities"] = _clean_disabilities(disabilities, errors)
    values["address"] = _clean_address(address, errors) if address and any(address.values()) else None
    errors.raise_if_any()
    return values


CANNOT_CREATE = ("Only practitioners, managers, the front door and administrators record new people: "
                 "ask the front door to record them")


def create_person(*, actor, request=None, disabilities: Iterable[str] = (), address: dict | None = None,
                  **identity) -> Person:
    """Record a new child or adult, with their disabilities and first address if given."""
    if not permissions.may_create_person(actor):
        raise PermissionDenied(CANNOT_CREATE)
    values = validate_new_person(disabilities=disabilities, address=address, **identity)
    disability_codes, address_values = values.pop("disabilities"), values.pop("address")
    with transaction.atomic():
        person = Person(**values, created_by=actor)
        save_with_history(person, actor)
        for code in disability_codes:
            save_with_history(Disability(person=person, code=code), actor)
        if address_values:
            save_with_history(Address(person=person, **address_values), actor)
        record(Action.CREATE, actor=actor, request=request, subject=person, child=person,
               details={"kind": person.kind, "disabilities": len(disability_codes), "address": bool(address_values)})
    return person


def update_person(*, actor, request=None, person: Person, **changes) -> Person:
    """Change identity details. The audit event names the fields; the history keeps before and after."""
    _refuse_unknown_fields(changes, IDENTITY_FIELDS)
    _refuse_if_merged(person)
    current = {name: getattr(person, name) for name in IDENTITY_FIELDS}
    errors = Errors()
    entered = {name for name, value in changes.items() if value != current[name]}
    values = _clean_identity(current | changes, errors, changed=entered)
    errors.raise_if_any()
    changed = sorted(name for name in IDENTITY_FIELDS if values[name] != current[name])
    if not changed:
        return person
    with transaction.atomic():
        for name in changed:
            setattr(person, name, values[name])
        save_with_history(person, actor)
        record(Action.UPDATE, actor=actor, request=request, subject=person, child=person,
               details={"changed": changed})
    return person


def set_disabilities(*, actor, request=None, person: Person, disability_codes: Iterable[str]) -> list[str]:
    """Replace the person's disabilities with these census codes. An empty list means not recorded."""
    _refuse_if_merged(person)
    errors = Errors()
    chosen = _clean_disabilities(disability_codes, errors)
    errors.raise_if_any()
    with transaction.atomic():
        existing = {row.code: row for row in person.disabilities.all()}
        for code, row in existing.items():
            if code not in chosen:
                row._history_user = actor
                row.delete()
        for code in chosen:
            if code not in existing:
                save_with_history(Disability(person=person, code=code), actor)
        record(Action.UPDATE, actor=actor, request=request, subject=person, child=person,
               details={"disabilities": chosen})
    return chosen


# Names and addresses ------------------------------------------------------------------------------


def add_alias(*, actor, request=None, person: Person, first_name: str = "", last_name: str = "",
              kind: str = Alias.Kind.ALIAS) -> Alias:
    """Another name the person is or was known by. Aliases and previous names are searched too."""
    _refuse_if_merged(person)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = Errors()
    if kind not in Alias.Kind.values:
        errors.add("kind", "Select whether this is an alias, a previous name or a nickname")
    if not first_name and not last_name:
        errors.add("first_name", "Enter a first name, a last name or both")
    _check_names(Alias, {"first_name": first_name, "last_name": last_name}, errors)
    _check_lengths(Alias, {"first_name": first_name, "last_name": last_name}, errors)
    errors.raise_if_any()
    with transaction.atomic():
        alias = Alias(person=person, kind=kind, first_name=first_name, last_name=last_name)
        save_with_history(alias, actor)
        record(Action.CREATE, actor=actor, request=request, subject=alias, child=person, details={"kind": kind})
    return alias


def _clean_address(values: dict, errors: Errors) -> dict:
    _refuse_unknown_fields(values, ADDRESS_FIELDS)
    cleaned = {name: values.get(name) for name in ADDRESS_FIELDS}
    for name in ("line_1", "line_2", "town", "postcode"):
        cleaned[name] = (cleaned[name] or "").strip()
    if not cleaned["line_1"]:
        errors.add("line_1", "Enter the first line of the address, such as the house number and street")
    if not cleaned["postcode"]:
        errors.add("postcode", "Enter the postcode, like LS1 4AB")
    else:
        try:
            cleaned["postcode"] = validate_postcode(cleaned["postcode"])
        except InvalidIdentifier as problem:
            errors.add("postcode", str(problem))
    start, end = cleaned["start_date"], cleaned["end_date"]
    if start and start > _today():
        errors.add("start_date", "The date they moved in must be today or in the past")
    if end and start and end < start:
        errors.add("end_date", "The date they moved out must be the same as or after the date they moved in")
    _check_lengths(Address, {k: cleaned[k] for k in ("line_1", "line_2", "town") if k not in errors}, errors)
    return cleaned


def add_address(*, actor, request=None, person: Person, **address) -> Address:
    """Add an address to the person's history. Moving in on a date ends the address they lived at before."""
    _refuse_if_merged(person)
    errors = Errors()
    values = _clean_address(address, errors)
    errors.raise_if_any()
    with transaction.atomic():
        new_address = Address(person=person, **values)
        if values["start_date"] and not values["end_date"]:
            for previous in person.addresses.filter(end_date__isnull=True, start_date__lt=values["start_date"]):
                previous.end_date = values["start_date"]
                save_with_history(previous, actor)
        save_with_history(new_address, actor)
        record(Action.CREATE, actor=actor, request=request, subject=new_address, child=person,
               details={"current": new_address.end_date is None})
    return new_address


# Relationships and households ----------------------------------------------------------------------


def add_relationship(*, actor, request=None, person: Person, relative: Person, kind: str,
                     parental_responsibility: bool | None = None, start_date: datetime.date | None = None,
                     ) -> Relationship:
    """Record that `person` is the `kind` of `relative`: for example Dawn is the parent of Lily."""
    errors = Errors()
    if relative is None:
        errors.add("relative", "Choose the person they are related to")
    elif relative.pk == person.pk:
        errors.add("relative", "Choose someone else: a person cannot be related to themselves")
    elif relative.merged_into_id is not None or person.merged_into_id is not None:
        errors.add("relative", "Choose a record that has not been merged into another")
    if kind not in Relationship.Kind.values:
        errors.add("kind", "Select the relationship: parent, step-parent, sibling, grandparent, carer or "
                           "household member")
    if parental_responsibility and relative is not None and relative.kind != Person.Kind.CHILD:
        errors.add("parental_responsibility",
                   "Parental responsibility is only held for a child: select no or not known")
    if start_date and start_date > _today():
        errors.add("start_date", "The date the relationship started must be today or in the past")
    if not errors.messages and Relationship.objects.filter(
        person=person, relative=relative, kind=kind, end_date__isnull=True
    ).exists():
        errors.add("kind", "This relationship is already recorded")
    errors.raise_if_any()
    with transaction.atomic():
        relationship = Relationship(person=person, relative=relative, kind=kind,
                                    parental_responsibility=parental_responsibility, start_date=start_date)
        save_with_history(relationship, actor)
        details = {"kind": kind, "person_id": person.pk, "relative_id": relative.pk,
                   "parental_responsibility": parental_responsibility}
        for side in (person, relative):
            record(Action.CREATE, actor=actor, request=request, subject=relationship, child=side, details=details)
    return relationship


def create_household(*, actor, request=None, name: str) -> Household:
    name = (name or "").strip()
    errors = Errors()
    if not name:
        errors.add("name", "Enter a name for the household, such as the family surname")
    _check_lengths(Household, {"name": name}, errors)
    errors.raise_if_any()
    with transaction.atomic():
        household = Household(name=name)
        save_with_history(household, actor)
        record(Action.CREATE, actor=actor, request=request, subject=household, details={})
    return household


def add_household_member(*, actor, request=None, household: Household, person: Person,
                         start_date: datetime.date | None = None) -> HouseholdMember:
    _refuse_if_merged(person)
    errors = Errors()
    if start_date and start_date > _today():
        errors.add("start_date", "The date they joined the household must be today or in the past")
    if household.members.filter(person=person, end_date__isnull=True).exists():
        errors.add("household", "This person is already a member of that household")
    errors.raise_if_any()
    with transaction.atomic():
        member = HouseholdMember(household=household, person=person, start_date=start_date)
        save_with_history(member, actor)
        record(Action.CREATE, actor=actor, request=request, subject=member, child=person,
               details={"household_id": household.pk})
    return member


# Possible duplicates and merging --------------------------------------------------------------------


def record_match_decision(*, actor, request=None, outcome: str, chosen: Person, candidates: list[dict],
                          entered: dict) -> MatchDecision:
    """Keep what the user decided when shown possible duplicates: the same person, or a new one."""
    if outcome not in MatchDecision.Outcome.values:
        raise ValidationError({"outcome": ["Select whether this is the same person or a new person"]})
    with transaction.atomic():
        decision = MatchDecision.objects.create(outcome=outcome, chosen=chosen, candidates=candidates,
                                                entered=entered, decided_by=actor)
        record(Action.MATCH_DECISION, actor=actor, request=request, subject=decision, child=chosen,
               details={"outcome": outcome, "chosen_id": chosen.pk,
                        "candidate_ids": [candidate["id"] for candidate in candidates]})
    return decision


def merge_people(*, actor, request=None, kept: Person, merged: Person, reason: str) -> Merge:
    """Mark `merged` as a duplicate of `kept`. Both records and their histories stay; an administrator can undo it."""
    reason = (reason or "").strip()
    errors = Errors()
    if merged.pk == kept.pk:
        errors.add("merged", "Choose a different record: a record cannot be merged into itself")
    elif kept.merged_into_id is not None:
        errors.add("merged", f"This record was already merged into {kept.merged_into}: merge into that record")
    elif merged.merged_into_id is not None:
        errors.add("merged", "That record was already merged into another record")
    elif merged.kind == Person.Kind.CHILD and kept.kind == Person.Kind.ADULT:
        errors.add("merged", "A child’s record cannot be merged into an adult’s record")
    elif not (policy.can_edit(actor, kept) and policy.can_edit(actor, merged)):
        errors.add("merged", "You can only merge records you may change: ask an administrator to merge these")
    if not reason:
        errors.add("reason", "Enter why these records are the same person")
    errors.raise_if_any()
    with transaction.atomic():
        merged.merged_into = kept
        save_with_history(merged, actor)
        merge = Merge.objects.create(kept=kept, merged=merged, reason=reason, merged_by=actor)
        details = {"kept_id": kept.pk, "merged_id": merged.pk, "merge_id": merge.pk}
        for side in (kept, merged):
            record(Action.MERGE, actor=actor, request=request, subject=merge, child=side, reason=reason,
                   details=details)
    return merge


def unmerge_people(*, actor, request=None, merged: Person, reason: str) -> Merge:
    """Undo a merge: administrators only. The merge stays on record with who reversed it, when and why."""
    if not permissions.may_separate_merged_records(actor):
        raise PermissionDenied("Only an administrator can separate merged records")
    reason = (reason or "").strip()
    errors = Errors()
    merge = (Merge.objects.filter(merged=merged, kept_id=merged.merged_into_id, reversed_at__isnull=True)
             .order_by("-merged_at").first())
    if merged.merged_into_id is None or merge is None:
        errors.add("merged", "Choose a record that is currently merged into this one")
    if not reason:
        errors.add("reason", "Enter why these records are not the same person")
    errors.raise_if_any()
    with transaction.atomic():
        kept = merged.merged_into
        merged.merged_into = None
        save_with_history(merged, actor)
        merge.reversed_by, merge.reversed_at, merge.reversal_reason = actor, timezone.now(), reason
        merge.save(update_fields=["reversed_by", "reversed_at", "reversal_reason"])
        details = {"kept_id": kept.pk, "merged_id": merged.pk, "merge_id": merge.pk}
        for side in (kept, merged):
            record(Action.UNMERGE, actor=actor, request=request, subject=merge, child=side, reason=reason,
                   details=details)
    return merge
