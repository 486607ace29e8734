"""The child's voice coverage (issue 10, item 6): for a period, per team or per worker, how many visits and
authorised assessments saw the child, saw them alone, recorded their words or an observation, and said what
difference it made to the plan; and the records behind each count.

Who may look, and at which teams, is the practice-quality pages' rule (views/practice.py `_scope` over
access/permissions.py `may_see_practice_quality`). Counts are of every record in the teams in view; the records
listed are only those of children the access policy lets the user see, and each list names them in one audit
event (`record_shown`). The percentages are worked out by rules/voice.py.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import policy
from casefile.access.records import record_shown
from casefile.accounts.models import Team, User
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.oversight import voice
from casefile.oversight import voice_presenters as presenters
from casefile.oversight.forms.voice import PeriodForm, period_query
from casefile.oversight.views.practice import Scope, _scope
from casefile.people.models import Person
from casefile.rules import voice as rules
from casefile.rules.clocks import add_calendar_months

VISITING_TEAMS = (Team.Kind.ASSESSMENT, Team.Kind.CHILD_IN_NEED)


def _period(request) -> tuple[PeriodForm, tuple | None]:
    today = timezone.localdate()
    form = PeriodForm.for_query(request.GET)
    return form, form.period(add_calendar_months(today, -voice.DEFAULT_MONTHS), today)


def _rows(scope: Scope, period: tuple, kinds=tuple(rules.KINDS)) -> list[rules.VoiceRow]:
    start, end = period
    if scope.worker:
        return voice.rows(start=start, end=end, worker_id=scope.worker.pk, kinds=kinds)
    return voice.rows(start=start, end=end, team_ids=[scope.team.pk] if scope.team else scope.team_ids, kinds=kinds)


def _names(user: User) -> str:
    return user.get_full_name() or user.username


def _lines(scope: Scope, found: list[rules.VoiceRow]) -> tuple[str, list[tuple[str, dict, rules.Coverage]]]:
    """Per team (all the user's teams), per worker (one team: its members and anyone else whose records count),
    or the one worker; then the total."""
    if scope.worker:
        return "Worker", [(_names(scope.worker), scope.params, rules.total(found))]
    if scope.team:
        by = rules.coverage(found, lambda row: row.worker_id)
        people = User.objects.filter(Q(pk__in=[pk for pk in by if pk is not None]) | Q(team=scope.team,
                                                                                      is_active=True))
        names, param, first = {user.pk: _names(user) for user in people}, "worker", "Worker"
    else:
        by = rules.coverage(found, lambda row: row.team_id)
        # Teams that visit and assess children are listed even with nothing counted (that is a finding); other
        # teams (quality, performance, the front door) only when records of theirs count.
        names = dict(Team.objects.filter(pk__in=scope.team_ids)
                     .filter(Q(kind__in=VISITING_TEAMS) | Q(pk__in=[pk for pk in by if pk is not None]))
                     .values_list("pk", "name"))
        param, first = "team", "Team"
    lines = [(names[pk], {param: pk}, by.get(pk, rules.Coverage())) for pk in sorted(names, key=names.get)]
    return first, [*lines, ("Total", scope.params, rules.total(found))]


def _back(scope: Scope, period: dict) -> dict:
    """From a worker to their team, from a team to all the user's teams, from there to practice quality."""
    if scope.worker:
        return {"text": f"Back to {scope.team.name}",
                "href": presenters.href("oversight:childs_voice", period, team=scope.team.pk)}
    if scope.team:
        return {"text": "Back to every team" if scope.every_team else "Back to all your teams",
                "href": presenters.href("oversight:childs_voice", period)}
    return {"text": "Back to practice quality", "href": reverse("oversight:practice_quality")}


@allow_methods("GET")
def childs_voice(request):
    """Coverage per team, or per worker in one team, for the period chosen (the last 3 months unless chosen)."""
    scope = _scope(request)
    form, period = _period(request)
    context = {"scope": scope, "form": form, "period": period, "default_months": voice.DEFAULT_MONTHS,
               "page_title": f"The child’s voice: {scope.title}"}
    if period:
        found = _rows(scope, period)
        query = period_query(*period)
        first, lines = _lines(scope, [row for row in found if row.kind == rules.VISIT])
        _, assessment_lines = _lines(scope, [row for row in found if row.kind == rules.ASSESSMENT])
        context.update(query=query, back=_back(scope, query), tables=[
            presenters.coverage_table(rules.VISIT, first, lines, period=query),
            presenters.coverage_table(rules.ASSESSMENT, first, assessment_lines, period=query)])
    else:
        context["back"] = _back(scope, {})
    return render(request, "oversight/childs_voice.html", context)


@allow_methods("GET")
def childs_voice_records(request):
    """The visits or assessments behind a count, a page at a time: all of them, or with ?measure= those that fell
    short of it; only those of children the user may see."""
    scope = _scope(request)
    kind, measure = request.GET.get("kind", ""), request.GET.get("measure", "")
    if kind not in rules.KINDS or (measure and measure not in rules.MEASURES):
        raise Http404("No such count")
    form, period = _period(request)
    found = rules.behind(_rows(scope, period, kinds=(kind,)), measure) if period else []
    viewable = set(policy.viewable_people(request.user, Person.objects.filter(
        pk__in={row.child_id for row in found})).values_list("pk", flat=True)) if found else set()
    listed = [row for row in found if row.child_id in viewable]
    page = paginate(request, listed)
    shown = list(page.object_list)
    people = Person.objects.in_bulk({row.child_id for row in shown})
    workers = {user.pk: _names(user) for user in User.objects.filter(pk__in={row.worker_id for row in shown})}
    record_shown(request, list(people.values()))
    heading = (f"{rules.KINDS[kind]}: {presenters.SHORT_OF[measure]}" if measure else rules.KINDS[kind])
    return render(request, "oversight/childs_voice_records.html", {
        "scope": scope, "form": form, "page": page, "counted": len(found), "heading": heading,
        "records_table": presenters.records_table(shown, people, workers),
        "back": {"text": "Back to the child’s voice", "href": presenters.href(
            "oversight:childs_voice", scope.params, **(period_query(*period) if period else {}))},
        "page_title": f"{heading}: {scope.title}",
    })


urlpatterns: list = [
    path("practice-quality/childs-voice/", childs_voice, name="childs_voice"),
    path("practice-quality/childs-voice/records/", childs_voice_records, name="childs_voice_records"),
]
