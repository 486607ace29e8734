"""Diversity (issue 12, item 5): for the clinic's choice of children and period, who the children are at each
stage (contacts, referrals, assessments, section 47 enquiries, child protection and child in need plans) by
ethnicity, religion, disability and sex, against the authority's child population, with how many are not recorded;
the children behind each count; and the child population itself, entered by analysts one figure at a time or from
a CSV file (rules/population.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from casefile.access import permissions
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.presenters import govuk_datetime, plural, table_params
from casefile.insight import cohort, diversity, figures, population, services
from casefile.insight import diversity_presenters as present
from casefile.insight.forms import PopulationFigureForm, PopulationFileForm
from casefile.insight.models import ChildPopulation
from casefile.insight.presenters import computed, period_text, query
from casefile.insight.views import children_listing, choice_of
from casefile.rules import diversity as rules
from casefile.rules.indicators.core import window
from casefile.rules.population import COLUMNS

SHOWN = ("ethnic_group", "ethnicity", "religion", "disability", "sex")


def _breakdowns(choice, characteristics=SHOWN, stage: str | None = None):
    """From the record: every stage's breakdowns, or one stage's with the children behind each count."""
    period = choice.periods[-1]
    needs = choice.scope.reads(window(rules.reads(stage), period))
    record = choice.scope.part(cohort.load(period.end, needs, held_by=choice.scope.held_by()), period)
    at = rules.stages(record, period)
    if stage is not None:
        at = {stage: at[stage]}
    counts = population.latest()
    # One stage's children (a page of the children behind a count): only their characteristics are read.
    children = diversity.characteristics(among=at[stage] if stage is not None else None)
    return counts, rules.representation(children, at, counts.counts, characteristics)


def _kept_breakdowns(choice):
    """From the kept figures (insight/figures.py), when the period is kept and holds the diversity counts."""
    kept = figures.kept_for(choice.scope, choice.periods[-1:])
    counted = kept.diversity(SHOWN) if kept else None
    if counted is None:
        return None, None, None
    counts = population.latest()
    return kept, counts, rules.from_counts(counted, counts.counts, SHOWN)


@allow_methods("GET")
def diversity_page(request):
    choice = choice_of(request)
    context = {"form": choice.form, "title": choice.title, "page_title": f"Diversity: {choice.title}",
               "clinic_href": f"{reverse('insight:clinic')}?{query(**choice.params)}",
               "may_enter": permissions.may_enter_child_population(request.user), "columns": ", ".join(COLUMNS)}
    if choice.periods:
        kept, counts, found = _kept_breakdowns(choice)
        if found is None:  # none kept, or kept before diversity was: from the record, and the page says so
            counts, found = _breakdowns(choice)
        sections = []
        for characteristic in SHOWN:
            sections.append({
                "code": characteristic, "label": rules.LABELS[characteristic],
                "population": (f"Population: {counts.years[characteristic]}, from "
                               f"{'; '.join(counts.sources[characteristic])}" if characteristic in counts.counts
                               else "The child population has not been entered for this characteristic."),
                "stages": [present.breakdown_context(one, choice.params) for one in found
                           if one.characteristic == characteristic]})
        context |= {"period": period_text(choice.periods[-1]), "sections": sections, "population": bool(counts),
                    **computed(request, kept)}
    return render(request, "insight/diversity.html", context)


@allow_methods("GET")
def diversity_children(request):
    """The children behind one count of the diversity page: those the reader may open, the rest counted."""
    choice = choice_of(request)
    stage, characteristic = request.GET.get("stage", ""), request.GET.get("characteristic", "")
    category, missing = request.GET.get("category"), request.GET.get("missing") == "1"
    if stage not in rules.STAGE_LABELS or characteristic not in SHOWN or not choice.periods or (
            category is None) == (not missing):
        raise Http404("No such count")
    _, (found,) = _breakdowns(choice, (characteristic,), stage)
    if missing:
        behind, words = found.missing, f"{rules.LABELS[characteristic]} not recorded"
    else:
        share = next((share for share in found.shares if share.category == category), None)
        if share is None:
            raise Http404("No such category")
        behind, words = share.children, f"{rules.LABELS[characteristic]}: {category}"
    return render(request, "insight/diversity_children.html", children_listing(request, sorted(behind)) | {
        "title": choice.title, "stage": rules.STAGE_LABELS[stage], "words": words,
        "period": period_text(choice.periods[-1]),
        "back_href": f"{reverse('insight:diversity')}?{query(**choice.params)}",
        "page_title": f"{rules.STAGE_LABELS[stage]}, {words}: the children",
    })


def _may_enter(request) -> None:
    if not permissions.may_enter_child_population(request.user):
        raise PermissionDenied("Only performance analysts and administrators enter the child population")


def _population_table() -> dict | None:
    rows = [[row.get_characteristic_display(), row.category, f"{row.count:,}", str(row.year), row.source,
             f"{row.entered_by}, {govuk_datetime(row.entered_at)}"]
            for row in ChildPopulation.objects.select_related("entered_by")]
    if not rows:
        return None
    return table_params(caption="The child population entered", id="population", numeric=(2,),
                        head=["Characteristic", "Category", "Children", "Year", "Source", "Entered by"], rows=rows)


@allow_methods("GET", "POST")
def population_page(request):
    """The child population as entered, and a form to enter or correct one figure."""
    _may_enter(request)
    form = PopulationFigureForm(posted(request))
    if save_or_show(request, form, lambda data: services.enter_population(request.user, **data, request=request)):
        return redirect("insight:population")
    return render(request, "insight/population.html", {
        "form": form, "listing": _population_table(), "columns": ", ".join(COLUMNS),
        "page_title": "The child population",
    })


@allow_methods("GET", "POST")
def population_upload(request):
    """A CSV file of figures, kept whole or not at all; loading it again changes nothing."""
    _may_enter(request)
    form = PopulationFileForm(request.POST or None, request.FILES or None)
    upload = request.FILES.get("file") if request.method == "POST" else None
    # One byte more than the limit is enough for the service to say the file is too big.
    data = upload.read(services.UPLOAD_LIMIT + 1) if upload else b""
    counts = save_or_show(request, form, lambda cleaned: services.upload_population(
        request.user, data=data, filename=upload.name, request=request))
    if counts:
        messages.success(request, f"{plural(sum(counts.values()), 'figure')} in the file: {counts['created']:,} "
                                  f"new, {counts['changed']:,} changed, {counts['unchanged']:,} as they were")
        return redirect("insight:population")
    return render(request, "insight/population_upload.html", {
        "form": form, "columns": ", ".join(COLUMNS), "page_title": "Upload the child population",
        "limit": f"{services.UPLOAD_LIMIT // 1024:,} KB"})
