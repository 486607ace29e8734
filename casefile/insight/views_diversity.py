"""Diversity (issue 12, item 5): for the clinic's choice of children and period, who the children are at each
stage (contacts, referrals, assessments, section 47 enquiries, child protection and child in need plans) by
ethnicity, religion, disability and sex, against the authority's child population, with how many are not recorded;
the children behind each count; and the child population itself, entered by analysts one figure at a time or from
a CSV file (rules/population.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from casefile.access import permissions
from casefile.core.methods import allow_methods
from casefile.core.presenters import govuk_datetime, table_params
from casefile.insight import cohort, diversity, figures, population, services
from casefile.insight import diversity_presenters as present
from casefile.insight.forms import PopulationFigureForm
from casefile.insight.models import ChildPopulation
from casefile.insight.presenters import computed, period_text, query, work_out
from casefile.insight.views import EnteredFigures, children_listing, choice_of, entered_figures_views
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
    children = (diversity.characteristics(among=at[stage], only=characteristics) if stage is not None
                else diversity.characteristics())
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
        context["period"] = period_text(choice.periods[-1])
        kept, counts, found = _kept_breakdowns(choice)
        if found is None:  # none kept, or kept before diversity was: from the record, and the page says so
            period = choice.periods[-1]
            if not figures.worked_out_on_the_page(period.end, choice.scope.reads(window(rules.reads(None), period))):
                return render(request, "insight/diversity.html", context | work_out(request, "diversity"))
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
        context |= {"sections": sections, "population": bool(counts),
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


def _population_table() -> dict | None:
    rows = [[row.get_characteristic_display(), row.category, f"{row.count:,}", str(row.year), row.source,
             f"{row.entered_by}, {govuk_datetime(row.entered_at)}"]
            for row in ChildPopulation.objects.select_related("entered_by")]
    if not rows:
        return None
    return table_params(caption="The child population entered", id="population", numeric=(2,),
                        head=["Characteristic", "Category", "Children", "Year", "Source", "Entered by"], rows=rows)


population_page, population_upload = entered_figures_views(EnteredFigures(
    "insight:population", permissions.may_enter_child_population, services.POPULATION_REFUSED, PopulationFigureForm,
    services.enter_population, services.upload_population, _population_table, COLUMNS, caption="Diversity",
    title="The child population"))
