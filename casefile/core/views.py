import datetime
import logging

from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils import timezone

from casefile.access import permissions
from casefile.access import presenters as access_presenters
from casefile.access.records import record_shown
from casefile.access.sharing import current_shares
from casefile.casework import presenters as casework_presenters
from casefile.casework.calendar import working_calendar
from casefile.casework.caseloads import (
    allocated_children,
    chaired_plans,
    filter_rows,
    team_counts,
    teams_overseen_by,
)
from casefile.casework.deadlines import deadlines_for_children
from casefile.casework.forms.allocation import TeamChildrenFilterForm
from casefile.casework.models import Allocation
from casefile.casework.returns import returned_to
from casefile.core import jobs
from casefile.core.methods import allow_methods
from casefile.core.models import Job
from casefile.core.pagination import paginate
from casefile.core.presenters import plural
from casefile.frontdoor import board
from casefile.frontdoor import presenters as front_door_presenters
from casefile.oversight import presenters as oversight_presenters
from casefile.oversight.escalations import open_summary_for
from casefile.oversight.queue import manager_queue, queue_counts, supervision_for_worker_to_sign
from casefile.oversight.supervision import supervision_due_counts
from casefile.quality import presenters as quality_presenters
from casefile.quality.audits import auditor_summary, open_actions_for
from casefile.quality.sampling import open_rounds, sampled_counts
from casefile.returns.presenters_jobs import recent_returns_table
from casefile.returns.tasks import recent_returns

logger = logging.getLogger(__name__)


@allow_methods("GET")
def my_work(request):
    """The children allocated to the signed-in user and, for managers, those their teams hold, each with what is
    due next; the user's own overdue items are listed first so they cannot be missed."""
    user = request.user
    is_manager = permissions.is_manager(user)
    mine = Allocation.objects.filter(worker=user)
    if is_manager:
        teams = list(teams_overseen_by(user).order_by("name", "pk"))
    else:
        teams = [user.team] if user.team_id is not None else []
    theirs = Allocation.objects.filter(team__in=teams).exclude(worker=user) if is_manager else Allocation.objects.none()
    # One set of deadline queries, and one access check, for both tables, whatever the number of children.
    held = (mine | theirs).filter(end_date__isnull=True).values_list("child_id", flat=True)
    deadlines = deadlines_for_children(held, request=request)
    rows = allocated_children(user, mine | theirs, deadlines=deadlines)
    children = [row for row in rows if row.worker.pk == user.pk]
    team_children = [row for row in rows if row.worker.pk != user.pk]
    shares = paginate(request, current_shares(user)) if permissions.is_partner(user) else None
    returned = returned_to(user) if permissions.may_hold_cases(user) else []
    to_sign = supervision_for_worker_to_sign(user)
    audit_actions = list(open_actions_for(user))
    context = {
        "audit_actions_table": quality_presenters.actions_table(
            audit_actions, timezone.localdate(), caption="Actions from case file audits",
            may_complete=lambda action: permissions.may_complete_audit_action(user, action), with_child=True)
        if audit_actions else None,
        "conducts_audits": permissions.may_conduct_case_file_audits(user),
        "auditor_summary": quality_presenters.auditor_summary_text(auditor_summary(user, timezone.localdate()))
        if permissions.may_conduct_case_file_audits(user) else "",
        "sampled_to_you": _sampled_to_you(user),
        "open_rounds": quality_presenters.open_rounds_text(open_rounds())
        if permissions.may_draw_audit_sample(user) else "",
        "returned_table": casework_presenters.returned_work_table(returned) if returned else None,
        "to_sign_table": oversight_presenters.supervision_to_sign_table(to_sign) if to_sign else None,
        "children": children,
        "overdue": sorted((d for row in children for d in row.deadlines if d.is_overdue), key=lambda d: d.due),
        "names": {row.child.pk: row.child for row in children},
        "is_manager": is_manager,
        "holds_cases": permissions.may_hold_cases(user),
        "teams": teams,
        "sees_unallocated": permissions.may_see_unallocated(user),
        "may_change_calendar": permissions.may_change_calendar(user),
        "front_door": _front_door_counts(request) if permissions.may_use_front_door(user) else None,
    }
    if permissions.may_see_manager_queue(user):
        team_pks = {team.pk for team in teams}
        held_ids = [row.child.pk for row in rows if row.team.pk in team_pks] if is_manager else None
        context["queue_counts"] = queue_counts(manager_queue(user, request=request, held_ids=held_ids))
    context.update(_oversight_summaries(request))
    team_page = None
    if is_manager:
        team_page, team_context = _team_children(request, teams, team_children)
        context.update(team_context)
    if shares is not None:
        context.update(shares=shares, shares_table=access_presenters.shares_table(shares.object_list))
    # Only the children on the page were shown: a manager's list is paged.
    record_shown(request, [row.child for row in children] + [item.child for item in returned]
                 + [record.child for record in to_sign]
                 + [action.audit.child for action in audit_actions]
                 + [row.child for row in (team_page.object_list if team_page is not None else [])]
                 + [row.child for row in (context["chaired"].object_list if "chaired" in context else [])]
                 + [share.child_id for share in (shares.object_list if shares is not None else [])])
    return render(request, "core/my_work.html", context)


def _sampled_to_you(user) -> str:
    """For an auditor (a partner auditor too) with children sampled to them in rounds still open, how many and how
    many audits wait; '' for anyone else, so My work gives no link."""
    if not permissions.may_see_sampled_to_them(user):
        return ""
    counts = sampled_counts(user)
    return quality_presenters.sampled_counts_text(counts) if counts.children else ""


TEAM_CHILDREN_PAGE_SIZE = 25


def _oversight_summaries(request) -> dict:
    """What a manager or chair oversees, in a line each with a link: supervision due, open escalations, and (for a
    chair) the child protection plans they chair with the review conference due next."""
    user, context = request.user, {}
    if permissions.may_see_supervision_due(user):
        context["supervision_due"] = oversight_presenters.due_summary(supervision_due_counts(user))
    if permissions.may_see_escalations(user):
        context["escalations"] = open_summary_for(user, request)
    context["sees_practice_quality"] = permissions.may_see_practice_quality(user)
    context["makes_returns"] = permissions.may_make_returns(user)
    if context["makes_returns"]:
        context["recent_returns_table"] = recent_returns_table(recent_returns(user))
    context["sees_performance"] = permissions.may_see_performance(user)
    context["sees_long_run_trend"] = permissions.may_see_performance_of_every_team(user)
    context["keeps_workforce"] = permissions.may_keep_workforce_records(user)
    context["enters_population"] = permissions.may_enter_child_population(user)
    context["enters_neighbours"] = permissions.may_enter_neighbour_figures(user)
    context["makes_packs"] = permissions.may_make_self_evaluation_pack(user)
    context["sees_census_data_quality"] = permissions.may_see_census_data_quality(user)
    if permissions.may_chair_conference(user):
        # A chair is never a manager, so this list's ?page= is its own.
        context["chaired"] = paginate(request, chaired_plans(user, request), per_page=TEAM_CHILDREN_PAGE_SIZE)
    return context


def _team_children(request, teams, rows):
    """A manager's teams' children: counts over them all (per team when there are several), then a page of those
    the filters pick, most urgent first."""
    workers = sorted({row.worker for row in rows}, key=lambda worker: (worker.last_name, worker.first_name, worker.pk))
    form = TeamChildrenFilterForm(request.GET, teams=teams, workers=workers)
    filters = form.values()
    chosen = filter_rows(rows, **filters)
    page = paginate(request, chosen, per_page=TEAM_CHILDREN_PAGE_SIZE)
    return page, {
        "team_filter": form,
        "team_filtered": any(filters.values()),
        "team_children": page.object_list,
        "team_page": page,
        "team_totals": {"children": len(rows), "overdue": sum(1 for row in rows if row.overdue)},
        "team_counts_table": (casework_presenters.team_counts_table(team_counts(rows, teams))
                              if len(teams) > 1 else None),
    }


def _front_door_counts(request):
    """What waits at the front door, as the board counts it: front-door staff act on the board, not a caseload."""
    limits = board.Limits.at(timezone.now(), working_calendar(request))
    return front_door_presenters.home_links(board.summary(request.user, limits))


@allow_methods("GET")
def healthz(request):
    """For load balancers: 200 "ok" when the database answers, takes writes and has every migration applied;
    503 with the reason otherwise. Shows no data."""
    problem = database_problem(connection)
    if problem:
        return HttpResponse(problem, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def database_problem(database) -> str | None:
    """Why this database cannot serve Casefile, in words safe to show anyone, or None. The details are logged."""
    try:
        database.ensure_connection()
        # A write the service must be able to make (a session), undone: proves the database takes writes without
        # leaving anything behind. A read-only file, replica or transaction refuses it.
        with transaction.atomic(using=database.alias):
            Session(session_key="healthz-write-probe", session_data="", expire_date=timezone.now()).save(
                using=database.alias, force_insert=True)
            transaction.set_rollback(True, using=database.alias)
    except DatabaseError:
        logger.exception("healthz: the database refused a write")
        return "The database cannot be written to"
    try:
        executor = MigrationExecutor(database)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("healthz: the migrations could not be checked")
        return "The database's migrations could not be checked"
    if unapplied:
        return f"{plural(len(unapplied), 'database migration')} not applied: run manage.py migrate"
    return None


# How often a job's progress page checks on the job while the work goes on (core/job-progress.js).
JOB_REFRESH_SECONDS = 2
# A job still waiting after this long has no worker to run it: the page says so.
JOB_WAIT_WARNING = datetime.timedelta(minutes=1)
RESULT_LABELS = {"chronology_pdf": "Download the PDF", "police_confirmation": "Go to the police file",
                 "cin_census": "See the checks and download the file",
                 "annex_a": "Download the workbook", "ssd_export": "Download the zip file",
                 "cin_validation": "See the results", "census_record_check": "See the children",
                 "performance_figures": "Back to the figures", "clinic_pdf": "Download the PDF",
                 "self_evaluation_pack": "Download the pack", "kept_signals": "Back to practice quality"}


@allow_methods("GET")
def job_page(request, job_id):
    """A background job's progress, then its result or what failed. Only the person who started it may see it;
    the result itself is opened through its own page, with that page's access checks and audit."""
    job = jobs.job_for(request.user, job_id)
    if job is None:
        raise Http404("No such job")
    # A job about a person (a chronology PDF) names them on its page: each showing is audited, as a list's is.
    record_shown(request, [job.details["person_id"]] if job.details.get("person_id") else [])
    return render(request, "core/job.html", {
        "job": job, "refresh_seconds": JOB_REFRESH_SECONDS, "page_title": job.description,
        "result_label": RESULT_LABELS.get(job.kind, "Continue"),
        "no_worker": job.status == Job.Status.QUEUED and timezone.now() - job.created_at > JOB_WAIT_WARNING,
    })


# Error pages, in the service's layout (config/urls.py names them as Django's handlers) -------------------


def page_not_found(request, exception=None):
    """The same page for every 404: a missing page and a record the user may not see read alike, so a 404 never
    says whether a record exists. The exception's message (which names what was looked for) is not shown."""
    return render(request, "core/errors/404.html", {"page_title": "Page not found"}, status=404)


def permission_denied(request, exception=None):
    """A 403 is a refusal by role the user may be told about (records the user may not see answer 404), so the
    view's reason is shown."""
    reason = str(exception or "").rstrip(".")
    return render(request, "core/errors/403.html", {"page_title": "You cannot do this", "reason": reason},
                  status=403)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: most often a page left open past the session, or sent from elsewhere."""
    return permission_denied(request, "The form could not be sent, perhaps because the page was open too long. "
                                      "Go back, reload the page and try again")


def server_error(request):
    """The layout needs the database (navigation, messages): if that is what failed, a plain page is still given."""
    try:
        return render(request, "core/errors/500.html",
                      {"page_title": "Sorry, there is a problem with the service"}, status=500)
    except Exception:
        logging.getLogger(__name__).exception("The error page could not be shown in the layout")
        return HttpResponseServerError("<!DOCTYPE html><title>Sorry, there is a problem with the service</title>"
                                       "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>")
