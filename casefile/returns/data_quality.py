"""Data quality as you type (docs/returns.md, "Data quality as you type"): the census rules run on the record
now, not at census time.

- `check_child`: the census year in progress, the child's part of its return built from the record
  (census.census_for_child) and that year's rules run on it. Each issue says the rule and why, the field in
  plain words with its value, and where on the record to put it right; a query shows its explanation if one was
  given. Rules about the return as a whole (fewer than 8 disability codes) or across children (a UPN used twice)
  are not one child's: the data-quality page's check of the whole record finds those.
- `explain_query`: a worker says why a queried record is right; the census allows queries to be explained, and
  the explanations go with the return as its notes (`notes_rows`).
- `check_record` (a background job) and `problems`: the data-quality page, every child with a problem now, by
  team and worker, limited to the children the reader may see.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.models import Allocation
from casefile.core import jobs
from casefile.core.batches import in_batches
from casefile.core.models import Job
from casefile.people.models import Person
from casefile.returns import census as census_export
from casefile.returns import validation
from casefile.returns.models import CensusValidation, QueryExplanation
from casefile.rules.census_projection import CensusYear, year_in_progress
from casefile.rules.cin import packs
from casefile.rules.cin.engine import ERROR, QUERY, Issue, Pack, Rule

KIND = "census_record_check"
EXPLANATION_MAX = 2000
CANNOT_SEE = "Only staff who hold, manage or report on children's cases can see the census data-quality page"

# Where on the record each part of the return comes from, so an issue says where to put it right.
DETAILS, DISABILITIES, EPISODE, PLANS = "details", "disabilities", "episode", "plans"
TABLE_HOMES = {
    "ChildIdentifiers": DETAILS, "ChildCharacteristics": DETAILS, "Disabilities": DISABILITIES,
    "CINdetails": EPISODE, "Assessments": EPISODE, "AssessmentFactorsList": EPISODE, "Section47": EPISODE,
    "CINplanDates": PLANS, "ChildProtectionPlans": PLANS, "Reviews": PLANS,
}
FIELD_LABELS = {
    "LAchildID": "Casefile reference", "UPN": "Unique pupil number (UPN)", "FormerUPN": "Former UPN",
    "UPNunknown": "Reason the UPN is not known", "PersonBirthDate": "Date of birth",
    "ExpectedPersonBirthDate": "Expected date of birth", "GenderCurrent": "Sex", "Sex": "Sex",
    "PersonDeathDate": "Date of death", "Ethnicity": "Ethnicity", "Disability": "Disability",
    "CINreferralDate": "Referral date", "ReferralSource": "Referral source", "PrimaryNeedCode": "Primary need",
    "CINclosureDate": "Case closure date", "ReasonForClosure": "Reason for closure",
    "DateOfInitialCPC": "Date of the initial child protection conference", "ReferralNFA": "No further action",
    "AssessmentActualStartDate": "Assessment start date", "AssessmentInternalReviewDate": "Assessment review date",
    "AssessmentAuthorisationDate": "Assessment authorised on", "AssessmentFactors": "Factors identified at assessment",
    "AssessmentFactor": "Factor identified at assessment", "CINPlanStartDate": "Child in need plan start date",
    "CINPlanEndDate": "Child in need plan end date", "S47ActualStartDate": "Section 47 enquiry start date",
    "InitialCPCtarget": "Initial conference due date", "ICPCnotRequired": "Initial conference not required",
    "CPPstartDate": "Child protection plan start date", "CPPendDate": "Child protection plan end date",
    "InitialCategoryOfAbuse": "Initial category of abuse", "LatestCategoryOfAbuse": "Latest category of abuse",
    "NumberOfPreviousCPP": "Number of previous child protection plans", "CPPreviewDate": "Review conference date",
}


def rules_for(year: CensusYear) -> Pack:
    """The year's rule pack; a year with no pack yet is checked by the newest (rules change little year to year),
    one before the first pack by the oldest."""
    if year.name in packs.PACKS:
        return packs.PACKS[year.name]
    known = sorted(packs.PACKS)
    earlier = [name for name in known if name < year.name]
    return packs.PACKS[earlier[-1] if earlier else known[0]]


@dataclasses.dataclass(frozen=True)
class ChildIssue:
    code: str
    kind: str
    message: str
    fields: tuple[str, ...]
    value: str
    fix_text: str
    fix_url: str
    explanation: QueryExplanation | None = None

    @property
    def is_error(self) -> bool:
        return self.kind == ERROR

    @property
    def field_labels(self) -> str:
        return ", ".join(FIELD_LABELS.get(field, field) for field in self.fields)

    @property
    def as_recorded(self) -> str:
        """Each field in plain words with its value ("Assessment start date: 2025-06-03; Assessment authorised on:
        not recorded"). The rules join several values with ", ", so they are split back when they line up."""
        values = self.value.split(", ") if len(self.fields) > 1 else [self.value]
        if len(values) != len(self.fields):
            return f"{self.field_labels}: {self.value or 'not recorded'}"
        return "; ".join(f"{FIELD_LABELS.get(field, field)}: {value or 'not recorded'}"
                         for field, value in zip(self.fields, values, strict=True))


@dataclasses.dataclass(frozen=True)
class ChildCheck:
    year: CensusYear
    issues: list[ChildIssue]

    @property
    def errors(self) -> list[ChildIssue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def open_queries(self) -> list[ChildIssue]:
        return [issue for issue in self.issues if not issue.is_error and issue.explanation is None]

    @property
    def explained(self) -> list[ChildIssue]:
        return [issue for issue in self.issues if not issue.is_error and issue.explanation is not None]


def check_child(person: Person, today: datetime.date | None = None) -> ChildCheck | None:
    """The census rules on this child's record now; None for someone who is not on the year's return."""
    year = year_in_progress(today or timezone.localdate())
    # Built in the file's own values (census.py), so the rules see what the DfE will read.
    part, episode_ids = census_export.census_and_episodes_for_child(person.pk, year)
    if not part.rows("ChildIdentifiers"):
        return None
    child_id = part.rows("ChildIdentifiers")[0]["LAchildID"]
    pack = rules_for(year)
    found = [issue for issue in validation.run_rules(part, pack) if issue.child == child_id]
    explanations = {e.rule: e for e in QueryExplanation.objects.filter(child=person).select_related("recorded_by")}
    issues, seen = [], set()
    for issue in found:
        issue = _about_what_is_missing(issue, pack.rules[issue.code])
        key = (issue.code, issue.fields, issue.value)
        if key in seen:  # the same value on several rows (each review, say) is one thing to put right
            continue
        seen.add(key)
        fix_text, fix_url = _where_to_fix(person, issue, part, episode_ids)
        issues.append(ChildIssue(issue.code, issue.kind, issue.message, issue.fields, issue.value, fix_text,
                                 fix_url, explanations.get(issue.code) if issue.kind == QUERY else None))
    return ChildCheck(year, issues)


def _about_what_is_missing(issue: Issue, rule: Rule) -> Issue:
    """A rule that flags the child as a whole because something is missing (no disability row, say) names the
    child's id; the person is told of the missing thing instead, and where it is recorded."""
    if issue.fields != ("LAchildID",) or rule.fields == ("LAchildID",):
        return issue
    return dataclasses.replace(issue, table=rule.table, fields=rule.fields, value="", row=-1)


def _where_to_fix(person: Person, issue: Issue, part, episode_ids: list[int]) -> tuple[str, str]:
    home = TABLE_HOMES.get(issue.table, DETAILS)
    ids = {"person_id": person.pk}
    if home == DISABILITIES:
        return "the child's disabilities", reverse("people:disabilities", kwargs=ids)
    if home == PLANS:
        return "the child's plans", reverse("casework:plans", kwargs=ids)
    if home == EPISODE:
        row = part.rows(issue.table)[issue.row] if issue.row >= 0 else {}  # row -1: a missing thing, no row
        number = row.get("CINdetailsID") or 0
        if 0 < number <= len(episode_ids):
            referral = part.rows("CINdetails")[number - 1]["CINreferralDate"]
            url = reverse("casework:episode", kwargs={**ids, "episode_id": episode_ids[number - 1]})
            return (f"the referral of {referral:%-d %B %Y}" if referral else "the referral"), url
        return "the child's referrals", reverse("casework:episodes", kwargs=ids)
    return "the child's details", reverse("people:edit", kwargs=ids)


# Explaining a query ---------------------------------------------------------------------------------------


def explain_query(*, actor: User, request=None, person: Person, rule: str, explanation: str) -> QueryExplanation:
    """Record why a queried record is right (one explanation per child and rule; a new one replaces it)."""
    if not policy.can_edit(actor, person):
        raise PermissionDenied("You cannot change this child's record")
    words = (explanation or "").strip()
    errors = {}
    if not words:
        errors["explanation"] = "Enter why the record is right, for the census notes"
    elif len(words) > EXPLANATION_MAX:
        errors["explanation"] = f"The explanation must be {EXPLANATION_MAX:,} characters or fewer"
    check = check_child(person)
    queried = {issue.code for issue in check.issues if not issue.is_error} if check else set()
    if rule not in queried:
        errors["rule"] = f"Rule {rule} does not query this child's record now, so there is nothing to explain"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        kept, created = QueryExplanation.objects.update_or_create(
            child=person, rule=rule,
            defaults={"explanation": words, "recorded_by": actor, "recorded_at": timezone.now()})
        record(Action.CREATE if created else Action.UPDATE, actor=actor, request=request, subject=kept, child=person,
               details={"rule": rule, "year": check.year.name})
    return kept


def notes_rows(year: CensusYear) -> list[list[str]]:
    """The return's notes: each explanation for a child on the year's return, in the return's own child ids."""
    children = census_export.episodes_in(year).values("child_id")
    explained = (QueryExplanation.objects.filter(child__in=children).select_related("recorded_by")
                 .order_by("child_id", "rule"))
    return [[Person.reference_for(e.child_id), e.rule, e.explanation,
             e.recorded_by.get_full_name() or e.recorded_by.username,
             timezone.localtime(e.recorded_at).strftime("%Y-%m-%d %H:%M")] for e in explained]


NOTES_COLUMNS = ("LAchildID", "Rule", "Explanation", "Explained by", "Explained at")


# The whole record, for the data-quality page ----------------------------------------------------------------


def start_check(*, actor: User, request=None) -> Job:
    """Check every child's record against the census rules of the year in progress, in the background."""
    from casefile.returns import data_quality_tasks  # the task module imports this one

    if not permissions.may_see_census_data_quality(actor):
        raise PermissionDenied(CANNOT_SEE)
    year = year_in_progress(timezone.localdate())
    kept = CensusValidation.objects.create(
        started_by=actor, source=CensusValidation.Source.RECORD, year=rules_for(year).year,
        filename=f"The record, census year {year.name}")
    record(Action.CREATE, actor=actor, request=request, subject=kept, details={"year": year.name})
    job = jobs.start(data_quality_tasks.check_the_record, actor=actor, kind=KIND,
                     back_url=reverse("returns:data_quality"),
                     description=f"Checking every child's record against the {year.name} census rules",
                     details={"validation_id": kept.pk}, validation_id=kept.pk)
    CensusValidation.objects.filter(pk=kept.pk).update(job=job)
    return job


def check_record(job: Job, validation_id: int) -> jobs.Result:
    kept = CensusValidation.objects.get(pk=validation_id)
    year = year_in_progress(timezone.localdate())
    progress = lambda done, total, stage: jobs.job_progress(job, done, total, stage)  # noqa: E731
    census = census_export.census_for_period(year, progress=progress)
    issues = validation.run_rules(census, rules_for(year), progress)
    validation.keep(kept, census, issues)
    jobs.job_progress(job, job.total, job.total, "Finished")
    return jobs.Result(url=reverse("returns:data_quality"))


def latest_check() -> CensusValidation | None:
    return (CensusValidation.objects.filter(source=CensusValidation.Source.RECORD, checked=True)
            .select_related("started_by").order_by("-created_at").first())


@dataclasses.dataclass(frozen=True)
class ChildProblems:
    person: Person
    team: str
    worker: str
    errors: int
    queries: int
    codes: list[str]


@dataclasses.dataclass(frozen=True)
class Problems:
    children: list[ChildProblems]
    by_team: list[tuple[str, int]]
    by_worker: list[tuple[str, int]]
    whole_return: list[validation.IssueRow]
    with_issues: int  # children with any issue in the check, whoever may open them (explained queries included)

    def only(self, *, team: str = "", worker: str = "") -> list[ChildProblems]:
        return [child for child in self.children
                if (not team or child.team == team) and (not worker or child.worker == worker)]


def problems(user: User, found: CensusValidation) -> Problems:
    """Every child with a problem in the latest check that this reader may see, with their team and worker now
    (a query explained since is no longer a problem); problems of the return as a whole are listed apart."""
    rows = validation.issues_of(found)
    by_child: dict[str, list[validation.IssueRow]] = defaultdict(list)
    for row in rows:
        if row.child:
            by_child[row.child].append(row)
    linked = validation.linked_children(user, by_child)
    people = Person.objects.in_bulk(linked.values())
    explained, holding = set(), {}
    for batch in in_batches(linked.values()):
        explained.update(QueryExplanation.objects.filter(child__in=batch).values_list("child_id", "rule"))
        holding.update((a.child_id, a) for a in Allocation.objects.filter(child__in=batch, end_date__isnull=True)
                       .select_related("team", "worker").order_by("pk"))
    children = []
    for child_id, pk in linked.items():
        left = [row for row in by_child[child_id] if row.kind == ERROR or (pk, row.code) not in explained]
        if not left:
            continue
        allocation = holding.get(pk)
        team_name = allocation.team.name if allocation else "Not allocated"
        worker_name = allocation.worker.get_full_name() if allocation else "Not allocated"
        errors = sum(1 for row in left if row.kind == ERROR)
        children.append(ChildProblems(people[pk], team_name, worker_name, errors, len(left) - errors,
                                      sorted({row.code for row in left})))
    by_team = Counter(child.team for child in children)
    by_worker = Counter(child.worker for child in children)
    children.sort(key=lambda child: (-child.errors, -child.queries, child.person.full_name))
    return Problems(children, sorted(by_team.items()), sorted(by_worker.items()),
                    [row for row in rows if not row.child], len(by_child))
