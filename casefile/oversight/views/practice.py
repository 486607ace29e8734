"""The practice-quality pages: drift and quality signals per team and worker, the children behind each count, and
one child's signals with the evidence.

Managers see the teams they oversee (casework/caseloads.py `teams_overseen_by`); quality assurance, analysts and
administrators see every team (access/permissions.py `may_see_practice_quality`). Counts are of every child held
in the teams in view; the children listed are only those the access policy lets the user see, and each list
names them in one audit event (`record_shown`). A child's own page goes through `@record_view`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from casefile.access import permissions, policy
from casefile.access.records import record_shown, record_view
from casefile.accounts.models import Team, User
from casefile.casework.caseloads import teams_overseen_by
from casefile.core.back import posted_back
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.oversight import kept_signals, tasks, voice_presenters
from casefile.oversight import practice_presenters as presenters
from casefile.oversight import signals as oversight
from casefile.people.models import Person
from casefile.rules.signals import SIGNALS, Finding


@dataclass(frozen=True)
class Scope:
    """The teams in view and, when the page is narrowed, one team or one worker."""

    team_ids: list[int]
    team: Team | None = None
    worker: User | None = None
    every_team: bool = False

    @property
    def params(self) -> dict:
        return {"team": self.team.pk if self.team else None, "worker": self.worker.pk if self.worker else None}

    @property
    def back(self) -> dict | None:
        """The back link from a worker to their team, and from a team to all the user's teams."""
        href = reverse("oversight:practice_quality")
        if self.worker:
            return {"text": f"Back to {self.team.name}", "href": f"{href}?team={self.team.pk}"}
        everyone = "every team" if self.every_team else "all your teams"
        return {"text": f"Back to {everyone}", "href": href} if self.team else None

    @property
    def title(self) -> str:
        if self.worker:
            return self.worker.get_full_name() or self.worker.username
        if self.team:
            return self.team.name
        return "Every team" if self.every_team else "All your teams"


def _number(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _scope(request) -> Scope:
    """The teams the user may look at, narrowed by ?team= or ?worker=; a team or worker outside them is 404."""
    user = request.user
    if not permissions.may_see_practice_quality(user):
        raise PermissionDenied("Only managers, quality assurance, performance analysts and administrators see "
                               "practice quality")
    every_team = permissions.may_see_practice_quality_of_every_team(user)
    teams = Team.objects.all() if every_team else teams_overseen_by(user)
    team_ids = sorted(teams.values_list("pk", flat=True))
    team_id, worker_id = _number(request, "team"), _number(request, "worker")
    if worker_id is not None:
        worker = User.objects.filter(pk=worker_id, team_id__in=team_ids).select_related("team").first()
        if worker is None:
            raise Http404("No worker found")
        return Scope(team_ids, worker.team, worker, every_team)
    if team_id is not None:
        if team_id not in team_ids:
            raise Http404("No team found")
        return Scope(team_ids, Team.objects.get(pk=team_id), every_team=every_team)
    return Scope(team_ids, every_team=every_team)


def _held_and_found(request, scope: Scope):
    """The children held in view, their findings, and the kept working-out they came from (None: the record now)."""
    ctx = oversight.context(request=request)
    # Every team: no filter at all, rather than every team's id.
    teams = [scope.team.pk] if scope.team else None if scope.every_team else scope.team_ids
    held = oversight.holders(ctx, teams=teams, worker=scope.worker.pk if scope.worker else None)
    found, kept = kept_signals.found_for(held, ctx, evidence=False)  # counted and named, never linked
    return held, found, kept


def _worked_out(request, kept) -> dict:
    """When the findings shown were worked out, and for quality assurance a button to work them out again."""
    return {"kept": kept, "may_refresh": permissions.may_refresh_signals(request.user),
            "refresh_href": reverse("oversight:refresh_signals"), "here": request.get_full_path()}


@allow_methods("GET")
def practice_quality(request):
    """Signals with the number of children each was found for; then per team, or per worker in one team."""
    scope = _scope(request)
    held, found, kept = _held_and_found(request, scope)
    context = {**_worked_out(request, kept), "scope": scope,
               "signals_table": presenters.signals_table(oversight.overall(found), scope.params),
               "children": len(held), "page_title": f"Practice quality: {scope.title}", "back": scope.back,
               "look_back_months": oversight.LOOK_BACK_MONTHS,
               "voice_href": voice_presenters.href("oversight:childs_voice", scope.params)}
    if scope.worker is None:
        by = "worker_id" if scope.team else "team_id"
        tallies = oversight.tallies(held, found, by)
        # Every team in view, and every member of the team, is listed, with nothing held as well.
        if scope.team:
            people = User.objects.filter(Q(pk__in=tallies) | Q(team=scope.team, is_active=True))
            names = {user.pk: user.get_full_name() or user.username for user in people}
            tallies = {pk: tallies.get(pk, oversight.Tally()) for pk in names}
            context["holders_table"] = presenters.holders_table("Workers", "Worker", tallies, names, "worker")
        else:
            names = dict(Team.objects.filter(pk__in=scope.team_ids).values_list("pk", "name"))
            tallies = {pk: tallies.get(pk, oversight.Tally()) for pk in names}
            context["holders_table"] = presenters.holders_table("Teams", "Team", tallies, names, "team")
    return render(request, "oversight/practice_quality.html", context)


@dataclass(frozen=True)
class ChildRow:
    child: Person
    worker: str
    team: str
    findings: list[Finding]


@allow_methods("GET")
def practice_children(request):
    """The children behind a count, a page at a time: those with any signal, or with ?signal=, that the user may
    see."""
    scope = _scope(request)
    code = request.GET.get("signal", "")
    if code and code not in SIGNALS:
        raise Http404("No such signal")
    held, found, kept = _held_and_found(request, scope)
    flagged = [child_id for child_id, findings in found.items()
               if findings and (not code or any(f.code == code for f in findings))]
    people = policy.viewable_people(request.user, Person.objects.filter(pk__in=flagged)).order_by(
        "last_name", "first_name", "pk")
    page = paginate(request, people)
    shown = list(page.object_list)
    workers = {u.pk: u.get_full_name() or u.username
               for u in User.objects.filter(pk__in={held[p.pk].worker_id for p in shown})}
    teams = dict(Team.objects.filter(pk__in={held[p.pk].team_id for p in shown}).values_list("pk", "name"))
    rows = [ChildRow(p, workers.get(held[p.pk].worker_id, ""), teams.get(held[p.pk].team_id, ""),
                     [f for f in found[p.pk] if not code or f.code == code]) for p in shown]
    record_shown(request, shown)
    return render(request, "oversight/practice_children.html", {
        **_worked_out(request, kept), "scope": scope, "signal": SIGNALS.get(code), "page": page,
        "flagged": len(flagged),
        "heading": SIGNALS[code].name if code else "Children with a signal",
        "children_table": presenters.children_table(rows),
        "page_title": f"Children with {SIGNALS[code].name.lower() if code else 'a signal'}: {scope.title}",
    })


@record_view("GET")
def child_signals(request, person: Person):
    """One child's signals, each explained, with links to the records it points at."""
    findings = oversight.signals_for_child(person, oversight.context(request=request))
    return render(request, "oversight/child_signals.html", {
        "person": person, "findings": findings, "findings_table": presenters.findings_table(person.pk, findings),
        "look_back_months": oversight.LOOK_BACK_MONTHS, "page_title": "Practice quality signals",
    })


@allow_methods("POST")
def refresh_signals(request):
    """Work every signal out again from the record, in the background; the progress page comes back to the page
    asked from."""
    if not permissions.may_refresh_signals(request.user):
        raise PermissionDenied("Only quality assurance, performance analysts and administrators have the signals "
                               "worked out again")
    back = posted_back(request, reverse("oversight:practice_quality"))
    job = tasks.refresh_in_background(actor=request.user, back_url=back)
    return redirect("core:job", job_id=job.pk)


urlpatterns: list = [
    path("practice-quality/work-out-again/", refresh_signals, name="refresh_signals"),
    path("practice-quality/", practice_quality, name="practice_quality"),
    path("practice-quality/children/", practice_children, name="practice_children"),
    path("people/<int:person_id>/practice-quality/", child_signals, name="child_signals"),
]
