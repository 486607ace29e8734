"""Performance clinics: the indicators for the whole authority, a team or a worker, for a period, with their trend
and the England figure; and the children behind each number.

Managers see the teams they oversee (casework/caseloads.py `teams_overseen_by`); quality assurance, analysts and
administrators see every team and the whole authority (access/permissions.py `may_see_performance`). Figures count
every child in scope; the children listed are only those the access policy lets the user see (the rest are counted,
never named), and each list names them in one audit event (`record_shown`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_shown
from casefile.accounts.models import Team, User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.caseloads import teams_overseen_by
from casefile.core.back import posted_back
from casefile.core.forms import posted, save_or_show, uploaded
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.core.pdf import pdf_response
from casefile.core.presenters import plural
from casefile.insight import (
    clinic,
    cohort,
    figures,
    journeys,
    neighbours,
    pack_presenters,
    services,
    tasks,
    trend_presenters,
)
from casefile.insight import presenters as present
from casefile.insight.forms import CENSUS_YEAR, TWELVE_MONTHS, ClinicForm, FigureFileForm, PackForm
from casefile.insight.models import SelfEvaluationPack
from casefile.people.models import Person
from casefile.rules.indicators import Period
from casefile.rules.indicators.published import NEIGHBOUR_NOTE
from casefile.rules.journeys import STAGE_READS, journey


@dataclasses.dataclass(frozen=True)
class Choice:
    """What the reader chose: whose children, the periods of the trend (the last is the one chosen), and the query
    string that chooses them again (for links)."""

    form: ClinicForm
    scope: clinic.Scope | None
    title: str
    periods: list | None
    params: dict


def choice_of(request) -> Choice:
    user = request.user
    if not permissions.may_see_performance(user):
        raise PermissionDenied("Only managers, quality assurance, performance analysts and administrators see "
                               "performance clinics")
    every_team = permissions.may_see_performance_of_every_team(user)
    teams = list(Team.objects.order_by("name", "pk") if every_team else teams_overseen_by(user).order_by("name", "pk"))
    workers = list(User.objects.filter(team__in=teams, is_active=True).order_by("first_name", "last_name", "pk"))
    years = clinic.census_year_choices(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("period", CENSUS_YEAR)
    data.setdefault("year", years[0])  # the latest complete census year
    form = ClinicForm(data, teams=teams, workers=workers, years=years, every_team=every_team)
    form.is_valid()
    if form.errors.keys() & {"team", "worker", "year"}:
        raise Http404("No such team, worker or year")  # one not offered: not the reader's to see
    data = form.cleaned_data
    worker = next((w for w in workers if w.pk == data.get("worker")), None)
    team = next((t for t in teams if t.pk == data.get("team")), None)
    if worker is not None:
        scope, title = clinic.Scope(worker_id=worker.pk), str(worker)
    elif team is not None:
        scope, title = clinic.Scope(team_ids=frozenset({team.pk})), team.name
    elif every_team:
        scope, title = clinic.Scope(), "The whole authority"
    else:
        scope, title = clinic.Scope(team_ids=frozenset(t.pk for t in teams)), "All your teams"
    params = {"team": team.pk if team else None, "worker": worker.pk if worker else None}
    if form.errors:
        return Choice(form, scope, title, None, params)
    if data.get("period") == TWELVE_MONTHS:
        end = data["end"]
        periods = clinic.twelve_months_trend(end)
        params |= {"period": TWELVE_MONTHS, "end_day": end.day, "end_month": end.month, "end_year": end.year}
    else:
        year = data["year"]
        periods = clinic.census_year_trend(year)
        params |= {"year": year}
    return Choice(form, scope, title, periods, params)


@allow_methods("GET")
def clinic_page(request):
    """Each indicator's figure for the period chosen, its trend, the England and statistical neighbours' figures
    and the definition."""
    choice = choice_of(request)
    context = {"form": choice.form, "title": choice.title, "page_title": f"Performance clinic: {choice.title}",
               "neighbour_note": NEIGHBOUR_NOTE,
               "neighbours_href": reverse("insight:neighbours") if permissions.may_enter_neighbour_figures(
                   request.user) else "",
               "diversity_href": f"{reverse('insight:diversity')}?{present.query(**choice.params)}",
               "journeys_href": f"{reverse('insight:journeys')}?{present.query(**choice.params)}",
               "trend_href": reverse("insight:trend") if permissions.may_see_performance_of_every_team(
                   request.user) else ""}
    if choice.periods:
        kept = figures.kept_for(choice.scope, choice.periods)
        found = kept.clinic_figures() if kept else None
        context["period"] = present.period_text(choice.periods[-1])
        if found is None:  # none kept, or an indicator added since: from the record, and the page says so
            kept = None
            reads = clinic.reads_every(choice.periods, choice.scope)
            if not figures.worked_out_on_the_page(choice.periods[-1].end, reads):
                return render(request, "insight/clinic.html", context | present.work_out(request, "clinic"))
            record = cohort.load(choice.periods[-1].end, reads, held_by=choice.scope.held_by())
            found = clinic.figures(record, choice.periods, choice.scope)
        entered = neighbours.by_indicator()  # one query, whatever the number of indicators
        context |= {
                    "figures": [present.figure_context(figure, choice.params, entered.get(figure.indicator.code, ()))
                                for figure in found],
                    **present.computed(request, kept), "pdf_form": PdfForm(),
                    "pdf_href": f"{reverse('insight:clinic_pdf')}?{present.query(**choice.params)}"}
    return render(request, "insight/clinic.html", context)


@allow_methods("GET")
def trend_page(request):
    """The whole authority's indicators over the ten complete census years to the latest, year by year and month by
    month (clinic.long_run), from the kept figures; from the record when they are not kept yet."""
    if not permissions.may_see_performance_of_every_team(request.user):
        raise PermissionDenied("Only quality assurance, performance analysts and administrators see the whole "
                               "authority's ten-year trend")
    years, months = clinic.long_run(timezone.localdate())
    kept = figures.kept_for(clinic.Scope(), years + months)  # one query
    found = kept.clinic_figures() if kept else None
    context = {"page_title": "Ten-year trend: the whole authority", "first": present.period_label(years[0]),
               "last": present.period_label(years[-1]),
               "span": present.period_text(Period(years[0].start, years[-1].end)),
               "clinic_href": reverse("insight:clinic")}
    if found is None:  # not kept yet, or an indicator added since: from the record, and the page says so
        kept = None
        if not figures.worked_out_on_the_page(years[-1].end, None):
            return render(request, "insight/trend.html", context | present.work_out(request, "trend"))
        found = clinic.figures(cohort.load(years[-1].end), years + months, clinic.Scope())
    by_year = [clinic.Figure(figure.indicator, figure.trend[:len(years)]) for figure in found]
    by_month = [clinic.Figure(figure.indicator, figure.trend[len(years):]) for figure in found]
    return render(request, "insight/trend.html", context | {
        "figures": [trend_presenters.trend_context(year, month) for year, month in zip(by_year, by_month, strict=True)],
        **present.computed(request, kept)})


@allow_methods("POST")
def work_out_page(request):
    """Work out and keep the figures a page showed it does not keep (the clinic's choice, in the address, or the
    ten-year trend), in the background; the progress page comes back to the page."""
    if request.POST.get("page") == "trend":
        if not permissions.may_see_performance_of_every_team(request.user):
            raise PermissionDenied("Only quality assurance, performance analysts and administrators see the whole "
                                   "authority's ten-year trend")
        years, months = clinic.long_run(timezone.localdate())
        scope, periods, indicators_only = clinic.Scope(), years + months, True
        title = f"the whole authority's ten-year trend, {present.period_text(Period(years[0].start, years[-1].end))}"
        back = reverse("insight:trend")
    else:
        choice = choice_of(request)
        if not choice.periods:
            return redirect(f"{reverse('insight:clinic')}?{request.GET.urlencode()}")
        # Every period of the clinic's trend, with the journeys and diversity of each: the clinic, journeys and
        # diversity pages of this choice then all read them.
        scope, periods, indicators_only = choice.scope, choice.periods, False
        title = f"{choice.title}, {present.period_text(choice.periods[-1])}"
        back = f"{reverse('insight:clinic')}?{present.query(**choice.params)}"
    job = tasks.work_out_in_background(actor=request.user, scope=scope, periods=periods, title=title,
                                       back_url=posted_back(request, back), indicators_only=indicators_only)
    return redirect("core:job", job_id=job.pk)


@allow_methods("POST")
def refresh_page(request):
    """Compute the kept figures again, in the background; the progress page comes back to the page asked from."""
    if not permissions.may_refresh_performance_figures(request.user):
        raise PermissionDenied("Only performance analysts and administrators have the figures computed again")
    back = posted_back(request, reverse("insight:clinic"))
    job = tasks.refresh_in_background(actor=request.user, back_url=back)
    return redirect("core:job", job_id=job.pk)


class PdfForm(forms.Form):
    """Nothing to choose beyond the clinic's own choice (in the address): the form carries the one-time token."""


@allow_methods("POST")
def clinic_pdf(request):
    """The clinic's choice as a tagged PDF. Reading a large authority's record takes seconds, so a background
    worker makes it while the person follows its progress (insight/tasks.py); the download is the export."""
    choice = choice_of(request)
    if not choice.periods:
        return redirect(f"{reverse('insight:clinic')}?{request.GET.urlencode()}")
    if not PdfForm(request.POST).is_valid():
        raise Http404("No such form")
    job = tasks.export_clinic(actor=request.user, title=choice.title, scope=choice.scope, periods=choice.periods,
                              params=choice.params,
                              back_url=f"{reverse('insight:clinic')}?{present.query(**choice.params)}")
    return redirect("core:job", job_id=job.pk)


@allow_methods("GET")
def clinic_pdf_download(request, job_id):
    """The PDF a background job made, for the person who asked, while they may still see those figures. Each
    download is the export, audited with whose figures and which periods."""
    if not permissions.may_see_performance(request.user):
        raise PermissionDenied("Only managers, quality assurance, performance analysts and administrators see "
                               "performance clinics")
    job = tasks.finished_clinic(request.user, job_id)
    if job is None or not tasks.may_see_scope(request.user, job.details.get("team_ids"),
                                              job.details.get("worker_id")):
        raise Http404("No such PDF")
    record(Action.EXPORT, request=request, subject=job, details={
        "what": "performance clinic", "format": "pdf", "job": str(job.pk), "title": job.details.get("title"),
        "team_ids": job.details.get("team_ids"), "worker_id": job.details.get("worker_id"),
        "periods": job.details.get("periods")})
    return pdf_response(bytes(job.result_file), job.result_filename)


@allow_methods("GET")
def children_page(request):
    """The children behind one number (an indicator's numerator or denominator, in one period of its trend): those
    the reader may open, a page at a time, linking to each record; the others counted, never named."""
    choice = choice_of(request)
    indicator = next((i for i in clinic.CLINIC_INDICATORS if i.code == request.GET.get("indicator")), None)
    side = request.GET.get("side", "")
    at = request.GET.get("at", "")
    if indicator is None or side not in present.SIDES or not choice.periods or (
            side == "denominator" and not indicator.denominator) or (indicator.code, side) in clinic.NO_CHILDREN:
        raise Http404("No such figure")  # a count has no denominator; workers and posts are not children
    at = int(at) if at.isdigit() else len(choice.periods) - 1
    if at >= len(choice.periods):
        raise Http404("No such period")
    period = choice.periods[at]
    # Only the rows this figure reads, up to the trend's end as the clinic reads them (a conference after the
    # period may count in it).
    record = cohort.load(choice.periods[-1].end, clinic.reads(indicator, period, choice.scope),
                         held_by=choice.scope.held_by())
    result = clinic.result(record, period, choice.scope, indicator)
    items = result.numerator_items if side == "numerator" else result.denominator_items
    behind = sorted(result.numerator_children if side == "numerator" else result.denominator_children)
    words = indicator.numerator if side == "numerator" else indicator.denominator
    return render(request, "insight/children.html", children_listing(request, behind) | {
        "title": choice.title, "indicator": indicator, "side": present.SIDE_NAMES[side], "words": words,
        "period": present.period_text(period), "records": plural(len(items), "record"),
        "back_href": f"{reverse('insight:clinic')}?{present.query(**choice.params)}",
        "page_title": f"{indicator.title}: the children behind the {present.SIDE_NAMES[side]}",
    })


def children_listing(request, behind: list) -> dict:
    """The children behind a number, a page at a time: those the reader may open named (in one audit event), the
    others counted. The clinic's and the diversity page's numbers both lead here."""
    visible = list(policy.viewable_people(request.user, Person.objects.filter(pk__among=frozenset(behind))).values_list(
        "last_name", "first_name", "pk"))
    page = paginate(request, [pk for *_, pk in sorted(visible)])
    people = {person.pk: person for person in Person.objects.filter(pk__in=list(page.object_list))}
    shown = [people[pk] for pk in page.object_list if pk in people]
    record_shown(request, shown)
    return {"page": page, "children_behind": plural(len(behind), "child", "children"),
            "hidden": plural(len(behind) - len(visible), "child", "children") if len(behind) > len(visible) else "",
            "children_table": present.children_table(shown)}


# Figures analysts enter (the child population, the statistical neighbours' figures) --------------------------


@dataclasses.dataclass(frozen=True)
class EnteredFigures:
    """Figures analysts enter, one at a time or as a CSV file kept whole or not at all: who may (refused with the
    reason before any form), the form for one figure, the services, the table of those entered, the file's columns
    and the wording. Its two pages are `name` (insight/<name>.html, over _figures_page.html) and `name`_upload
    (over _upload_page.html)."""

    name: str
    may: Callable
    refused: str
    form: type[forms.Form]
    enter: Callable  # the service: enter(actor, **cleaned data, request=request)
    upload: Callable  # the service: upload(actor, data=bytes, filename=str, request=request), giving the counts
    listing: Callable[[], dict | None]
    columns: Sequence[str]
    caption: str
    title: str  # "The child population": "Upload the child population", "Back to the child population"

    @property
    def context(self) -> dict:
        lower = f"{self.title[:1].lower()}{self.title[1:]}"
        return {"columns": ", ".join(self.columns), "caption": self.caption, "page_title": self.title,
                "upload_title": f"Upload {lower}", "back_text": f"Back to {lower}",
                "none_id": f"no-{self.name.removeprefix('insight:')}"}


def entered_figures_views(figures: EnteredFigures):
    """The page of figures entered with its form for one, and the page taking a CSV file of them."""
    short, context = figures.name.removeprefix("insight:"), figures.context

    def require(request) -> None:
        if not figures.may(request.user):
            raise PermissionDenied(figures.refused)

    @allow_methods("GET", "POST")
    def enter_figure(request):
        require(request)
        form = figures.form(posted(request))
        if save_or_show(request, form, lambda data: figures.enter(request.user, **data, request=request)):
            return redirect(figures.name)
        return render(request, f"insight/{short}.html", {"form": form, "listing": figures.listing(), **context})

    @allow_methods("GET", "POST")
    def upload_figures(request):
        require(request)
        form = FigureFileForm(request.POST or None, request.FILES or None)
        file, data = uploaded(request, services.UPLOAD_LIMIT)
        counts = save_or_show(request, form, lambda cleaned: figures.upload(request.user, data=data,
                                                                            filename=file.name, request=request))
        if counts:
            messages.success(request, f"{plural(sum(counts.values()), 'figure')} in the file: {counts['created']:,} "
                                      f"new, {counts['changed']:,} changed, {counts['unchanged']:,} as they were")
            return redirect(figures.name)
        return render(request, f"insight/{short}_upload.html", {
            "form": form, "limit": f"{services.UPLOAD_LIMIT // 1024:,} KB", **context,
            "page_title": context["upload_title"], "action": reverse(f"{figures.name}_upload"),
            "back_href": reverse(figures.name)})

    enter_figure.__doc__ = f"{figures.title}: those entered, and a form to enter or correct one"
    upload_figures.__doc__ = f"{context['upload_title']}: kept whole or not at all"
    return enter_figure, upload_figures


@allow_methods("GET")
def journeys_page(request):
    """Where the period's contacts, referrals, assessments, enquiries and closures led, as the record showed it at
    the period's end: counts only, no child named."""
    choice = choice_of(request)
    context = {"form": choice.form, "title": choice.title, "page_title": f"Journeys: {choice.title}",
               "clinic_href": f"{reverse('insight:clinic')}?{present.query(**choice.params)}"}
    if choice.periods:
        period = choice.periods[-1]
        kept = figures.kept_for(choice.scope, [period])
        stages = kept.journey_stages() if kept else None
        context |= {"period": present.period_text(period), "as_at": period.end}
        if stages is None:
            kept = None
            if not figures.worked_out_on_the_page(period.end, None):
                return render(request, "insight/journeys.html", context | present.work_out(request, "journeys"))
            record = cohort.load(period.end, held_by=choice.scope.held_by())
            stages = journey(choice.scope.part(record, period), period).stages
        context |= {
                    "stages": [present.stage_context(stage, choice.params) for stage in stages],
                    "flow": present.flow_diagram(stages), **present.computed(request, kept)}
    return render(request, "insight/journeys.html", context)


@allow_methods("GET")
def journey_children(request):
    """The children behind one outcome of a journey, read from the record (insight/journeys.py): those the reader
    may open, a page at a time, linking to each record; the others counted, never named."""
    choice = choice_of(request)
    code, outcome = request.GET.get("stage", ""), request.GET.get("outcome", "")
    if code not in STAGE_READS or not choice.periods:
        raise Http404("No such stage")
    period = choice.periods[-1]
    found = journeys.stage(choice.scope, period, code)
    branch = next((branch for branch in found.branches if branch.code == outcome), None)
    if branch is None:
        raise Http404("No such outcome")
    return render(request, "insight/journey_children.html", children_listing(request, sorted(branch.children)) | {
        "title": choice.title, "stage": found.label, "outcome": branch.label, "period": present.period_text(period),
        "as_at": period.end, "records": present.things_counted(code, branch.count),
        "back_href": f"{reverse('insight:journeys')}?{present.query(**choice.params)}",
        "page_title": f"{found.label}, {branch.label}: the children",
    })


# The self-evaluation pack ------------------------------------------------------------------------------------


def _may_make_packs(request) -> None:
    if not permissions.may_make_self_evaluation_pack(request.user):
        raise PermissionDenied(services.REFUSED)


@allow_methods("GET")
def packs_page(request):
    """Every self-evaluation pack asked for, newest first, a page at a time: its period, who asked, and the pack
    to download once it is ready (or its progress, for the person who asked)."""
    _may_make_packs(request)
    packs = SelfEvaluationPack.objects.select_related("requested_by").defer("pdf", "figures")
    page = paginate(request, packs)
    return render(request, "insight/packs.html", {
        "page": page, "packs_table": pack_presenters.packs_table(page.object_list, request.user),
        "page_title": "Self-evaluation packs"})


@allow_methods("GET", "POST")
def pack_request(request):
    """Ask for a pack for a period: a background worker makes it while the person follows its progress."""
    _may_make_packs(request)
    form = PackForm(request.POST if request.method == "POST" else None)
    pack = save_or_show(request, form, lambda cleaned: services.request_pack(
        actor=request.user, request=request, period_start=cleaned.get("period_start"),
        period_end=cleaned.get("period_end")))
    if pack:
        return redirect("core:job", job_id=pack.job_id)
    return render(request, "insight/pack_request.html", {"form": form, "page_title": "Ask for a self-evaluation pack"})


@allow_methods("GET")
def pack_download(request, pack_id: int):
    """A ready pack, for anyone who may make packs. Each download is the export, audited."""
    _may_make_packs(request)
    pack = SelfEvaluationPack.objects.filter(pk=pack_id, status=SelfEvaluationPack.Status.DONE).first()
    if pack is None:
        raise Http404("No such pack")
    record(Action.EXPORT, request=request, subject=pack, details={
        "what": "self-evaluation pack", "format": "pdf", "period_start": pack.period_start,
        "period_end": pack.period_end, "filename": pack.filename})
    return pdf_response(bytes(pack.pdf), pack.filename)
