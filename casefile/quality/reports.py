"""Reads the quality reports share: moderation's agreement (rate and Cohen's kappa, overall, per section and per
audit tool), the impact measured at re-audit, the theme report of grades by practice area across teams, and the
audit of audits (per auditor). Each is a fixed number of queries however many audits there are; the sums are in
rules/audit_grades.py and rules/audit_impact.py."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict

from django.db.models import Count, F, Q

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.casework.models import Allocation
from casefile.quality.models import (
    CaseFileAudit,
    CaseFileAuditAction,
    Moderation,
    ModerationGrade,
    PracticeArea,
    QuestionAnswer,
    SectionGrade,
)
from casefile.rules.audit_grades import GOOD, NO, OUTSTANDING, PARTLY, Agreement, agreement
from casefile.rules.audit_impact import Impact, Summary, impact, summarise_by_section, summarise_overall

SUBMITTED = (Moderation.Status.SUBMITTED, Moderation.Status.CONCLUDED)
AREA_ORDER = {area: position for position, area in enumerate(PracticeArea.values)}
AREA_LABELS = dict(PracticeArea.choices)


def _area_sorted(keys) -> list[str]:
    return sorted(keys, key=lambda area: AREA_ORDER.get(area, len(AREA_ORDER)))


# Moderation's agreement ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TemplateAgreement:
    name: str
    moderated: int
    overall: Agreement
    sections: Agreement


@dataclasses.dataclass(frozen=True)
class AgreementReport:
    moderated: int  # audits with at least one moderation submitted
    moderations: int
    overall: Agreement  # the first auditor's overall grade against the moderator's
    sections: Agreement  # every section's pair of grades, pooled
    by_section: list[tuple[str, Agreement]]  # (practice area, agreement), in the areas' order
    by_template: list[TemplateAgreement]


def agreement_report() -> AgreementReport:
    """Every submitted moderation against the audit it moderated: three queries."""
    moderations = list(Moderation.objects.filter(status__in=SUBMITTED).values_list(
        "pk", "audit_id", "audit__overall_grade", "overall_grade", "audit__template__name"))
    first = {(audit_id, section_id): grade for audit_id, section_id, grade in SectionGrade.objects.filter(
        audit__moderations__status__in=SUBMITTED).exclude(grade="").values_list("audit_id", "section_id", "grade")}
    audit_of = {pk: audit_id for pk, audit_id, *_ in moderations}
    template_of = {pk: name for pk, *_, name in moderations}
    section_pairs: list[tuple[str, str, str, str]] = []  # (template, area, first, second)
    for moderation_id, section_id, area, grade in ModerationGrade.objects.filter(
            moderation__status__in=SUBMITTED).exclude(grade="").values_list(
            "moderation_id", "section_id", "section__area", "grade"):
        earlier = first.get((audit_of.get(moderation_id), section_id))
        if earlier:
            section_pairs.append((template_of[moderation_id], area, earlier, grade))
    overall_pairs = [(name, before, after) for _, _, before, after, name in moderations if before and after]
    by_area: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_template_sections: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, area, before, after in section_pairs:
        by_area[area].append((before, after))
        by_template_sections[name].append((before, after))
    by_template_overall: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, before, after in overall_pairs:
        by_template_overall[name].append((before, after))
    audits_by_template: dict[str, set[int]] = defaultdict(set)
    for _, audit_id, _, _, name in moderations:
        audits_by_template[name].add(audit_id)
    return AgreementReport(
        moderated=len({audit_id for _, audit_id, *_ in moderations}), moderations=len(moderations),
        overall=agreement((before, after) for _, before, after in overall_pairs),
        sections=agreement((before, after) for _, _, before, after in section_pairs),
        by_section=[(area, agreement(by_area[area])) for area in _area_sorted(by_area)],
        by_template=[TemplateAgreement(name, len(audits_by_template[name]), agreement(by_template_overall[name]),
                                       agreement(by_template_sections[name]))
                     for name in sorted(audits_by_template)])


def audits_to_moderate(user: User):
    """Completed audits by others that this user has not moderated and may (permissions.
    may_moderate_case_file_audit, as a filter): a QA officer any unrestricted child's (starting samples the child),
    a manager those of children they may open. Newest first, with the tool and the child: one query."""
    audits = (CaseFileAudit.objects.filter(status=CaseFileAudit.Status.COMPLETED).exclude(auditor=user)
              .exclude(moderations__moderator=user).select_related("template", "child", "auditor")
              .order_by("-completed_on", "-pk"))
    if not permissions.may_conduct_case_file_audits(user) or permissions.is_administrator(user):
        return audits.none()
    if permissions.audits_through_a_sample(user):
        return audits.filter(child__restriction="", child__merged_into__isnull=True)
    return audits.filter(child__in=policy.viewable_children(user))


def moderations_of(audit: CaseFileAudit):
    """An audit's moderations, newest first, with the moderator and their grades: two queries."""
    return (audit.moderations.select_related("moderator").prefetch_related("grades")
            .order_by("-started_on", "-pk"))


# Impact at re-audit ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReAudit:
    re_audit: CaseFileAudit
    earlier: CaseFileAudit
    impact: Impact


@dataclasses.dataclass(frozen=True)
class ImpactReport:
    re_audits: list[ReAudit]  # newest first
    overall: Summary
    by_section: list[tuple[str, Summary]]  # (practice area, summary), in the areas' order


def impact_report(start: datetime.date | None = None, end: datetime.date | None = None) -> ImpactReport:
    """Every completed re-audit of a completed audit (those completed from `start` to `end` when given), with the
    change in grade: two queries. The impact page shows them all; the self-evaluation pack, a period's."""
    completed = CaseFileAudit.objects.filter(
        re_audit_of__isnull=False, status=CaseFileAudit.Status.COMPLETED,
        re_audit_of__status=CaseFileAudit.Status.COMPLETED).exclude(overall_grade="").exclude(
        re_audit_of__overall_grade="")
    if start is not None:
        completed = completed.filter(completed_on__gte=start)
    if end is not None:
        completed = completed.filter(completed_on__lte=end)
    re_audits = list(completed.select_related("child", "template", "auditor", "re_audit_of__auditor")
                     .order_by("-completed_on", "-pk"))
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    for audit_id, area, grade in SectionGrade.objects.filter(
            Q(audit__in=completed.values("pk")) | Q(audit__in=completed.values("re_audit_of"))).exclude(
            grade="").values_list("audit_id", "section__area", "grade").distinct():
        grades[audit_id][area] = grade
    measured = [ReAudit(each, each.re_audit_of, impact(each.re_audit_of.overall_grade, each.overall_grade,
                                                       grades[each.re_audit_of_id], grades[each.pk]))
                for each in re_audits]
    impacts = [each.impact for each in measured]
    by_section = summarise_by_section(impacts)
    return ImpactReport(measured, summarise_overall(impacts),
                        [(area, by_section[area]) for area in _area_sorted(by_section)])


# The theme report -----------------------------------------------------------------------------------------

NO_TEAM = "No team"


@dataclasses.dataclass(frozen=True)
class Finding:
    question: str
    area: str
    no: int
    partly: int

    @property
    def total(self) -> int:
        return self.no + self.partly


@dataclasses.dataclass(frozen=True)
class ThemeReport:
    start: datetime.date
    end: datetime.date
    audits: int
    teams: list[str]
    areas: list[str]
    # (area) -> Counter of grades; (area, team) -> Counter of grades
    by_area: dict[str, Counter]
    by_area_and_team: dict[tuple[str, str], Counter]
    findings: list[Finding]

    @staticmethod
    def good_or_better(counts: Counter) -> tuple[int, int]:
        """(how many good or outstanding, out of how many graded)."""
        return counts[GOOD] + counts[OUTSTANDING], sum(counts.values())


def _team_on(allocations: list[tuple[str, datetime.date, datetime.date | None]], day: datetime.date) -> str:
    """The team holding the child on the day (the latest allocation begun by then and not ended before it)."""
    held = [(start, team) for team, start, end in allocations if start <= day and (end is None or end >= day)]
    return max(held)[1] if held else NO_TEAM


def theme_report(start: datetime.date, end: datetime.date, findings: int = 10) -> ThemeReport:
    """The audits completed from `start` to `end`: each section's grade by practice area and by the team holding the
    child when the audit was completed, and the questions most often answered no or partly. Three queries."""
    in_period = Q(audit__status=CaseFileAudit.Status.COMPLETED, audit__completed_on__gte=start,
                  audit__completed_on__lte=end)
    rows = list(SectionGrade.objects.filter(in_period).exclude(grade="").values_list(
        "audit_id", "audit__child_id", "audit__completed_on", "section__area", "grade"))
    allocations: dict[int, list] = defaultdict(list)
    for child_id, team, began, ended in Allocation.objects.filter(
            child__case_file_audits__status=CaseFileAudit.Status.COMPLETED,
            child__case_file_audits__completed_on__gte=start,
            child__case_file_audits__completed_on__lte=end).values_list(
            "child_id", "team__name", "start_date", "end_date").distinct():
        allocations[child_id].append((team, began, ended))
    by_area: dict[str, Counter] = defaultdict(Counter)
    by_area_and_team: dict[tuple[str, str], Counter] = defaultdict(Counter)
    teams: set[str] = set()
    for _, child_id, completed_on, area, grade in rows:
        team = _team_on(allocations[child_id], completed_on)
        teams.add(team)
        by_area[area][grade] += 1
        by_area_and_team[(area, team)][grade] += 1
    answers = (QuestionAnswer.objects.filter(in_period, answer__in=(NO, PARTLY))
               .values("question_id", "question__text", "question__section__area")
               .annotate(no=Count("pk", filter=Q(answer=NO)), partly=Count("pk", filter=Q(answer=PARTLY)),
                         total=Count("pk"))
               .order_by("-total", "-no", "question__text", "question_id")[:findings])
    return ThemeReport(
        start=start, end=end, audits=len({row[0] for row in rows}),
        teams=sorted(teams, key=lambda name: (name == NO_TEAM, name)), areas=_area_sorted(by_area),
        by_area=dict(by_area), by_area_and_team=dict(by_area_and_team),
        findings=[Finding(row["question__text"], row["question__section__area"], row["no"], row["partly"])
                  for row in answers])


# The audit of audits ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuditorRecord:
    auditor: User
    completed: int
    mean_days: float | None  # from starting an audit to completing it
    moderated: int  # of their completed audits, how many a second auditor moderated
    agreement: Agreement  # their overall grade against the moderators'
    actions_set: int
    actions_done: int
    actions_on_time: int

    @property
    def moderated_share(self) -> float | None:
        return 100 * self.moderated / self.completed if self.completed else None


def auditor_records() -> list[AuditorRecord]:
    """Each auditor with a completed audit, by name: four queries."""
    completed = list(CaseFileAudit.objects.filter(status=CaseFileAudit.Status.COMPLETED)
                     .values_list("auditor_id", "started_on", "completed_on"))
    days: dict[int, list[int]] = defaultdict(list)
    for auditor_id, started_on, completed_on in completed:
        days[auditor_id].append((completed_on - started_on).days)
    moderated: dict[int, set[int]] = defaultdict(set)
    pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for auditor_id, audit_id, before, after in Moderation.objects.filter(status__in=SUBMITTED).values_list(
            "audit__auditor_id", "audit_id", "audit__overall_grade", "overall_grade"):
        moderated[auditor_id].add(audit_id)
        if before and after:
            pairs[auditor_id].append((before, after))
    actions = {row["audit__auditor_id"]: row for row in CaseFileAuditAction.objects.values("audit__auditor_id")
               .annotate(set=Count("pk"), done=Count("pk", filter=Q(completed_on__isnull=False)),
                         on_time=Count("pk", filter=Q(completed_on__lte=F("due_date"))))}
    auditors = User.objects.filter(pk__in=list(days)).order_by("first_name", "last_name", "pk")
    return [AuditorRecord(
        auditor=auditor, completed=len(days[auditor.pk]),
        mean_days=sum(days[auditor.pk]) / len(days[auditor.pk]),
        moderated=len(moderated[auditor.pk]), agreement=agreement(pairs[auditor.pk]),
        actions_set=actions.get(auditor.pk, {}).get("set", 0),
        actions_done=actions.get(auditor.pk, {}).get("done", 0),
        actions_on_time=actions.get(auditor.pk, {}).get("on_time", 0)) for auditor in auditors]
