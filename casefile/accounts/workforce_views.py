"""The workforce, kept by administrators: each worker's employment (type, full-time equivalent, start and leave
dates) and the establishment's posts, which the workforce figures of the performance clinic count (insight)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts import presenters, services
from casefile.accounts.models import EmploymentType, Post, Team, User, WorkerRecord
from casefile.core.forms import GovukDateField, posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate

FTE_MESSAGES = {"required": "Enter the full-time equivalent, for example 1 or 0.6",
                "invalid": "Enter the full-time equivalent as a number, for example 1 or 0.6",
                "max_decimal_places": "Enter the full-time equivalent to no more than 2 decimal places",
                "max_digits": "The full-time equivalent must be more than 0 and no more than 1 (1 is full time)",
                "max_whole_digits": "The full-time equivalent must be more than 0 and no more than 1 (1 is full time)"}
FTE_HINT = "1 is full time; 0.6 is three days a week"


def _keepers_only(request) -> None:
    if not permissions.may_keep_workforce_records(request.user):
        raise PermissionDenied("Only an administrator can keep the workforce records")


class EmploymentForm(forms.Form):
    employment_type = forms.ChoiceField(label="How are they employed?", widget=forms.RadioSelect,
                                        choices=EmploymentType.choices,
                                        error_messages={"required": "Select how they are employed"})
    fte = forms.DecimalField(label="Full-time equivalent", max_digits=3, decimal_places=2, help_text=FTE_HINT,
                             error_messages=FTE_MESSAGES)
    started_on = GovukDateField(label="Start date", help_text="The day they started in the authority’s "
                                "children’s social care, for example 3 4 2023")
    left_on = GovukDateField(label="Leave date (optional)", required=False,
                             help_text="Only if they have left, or are leaving on a known day")


class PostForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), label="Team",
                                  error_messages={"required": "Select the team the post is in",
                                                  "invalid_choice": "Select the team the post is in"})
    title = forms.CharField(label="Post title", help_text="For example, Social worker or Senior practitioner",
                            error_messages={"required": "Enter the post’s title, for example Social worker"})
    fte = forms.DecimalField(label="Full-time equivalent", max_digits=3, decimal_places=2, help_text=FTE_HINT,
                             error_messages=FTE_MESSAGES, initial=1)
    starts_on = GovukDateField(label="Funded from", help_text="For example, 1 4 2024")
    ends_on = GovukDateField(label="Funded until (optional)", required=False,
                             help_text="Leave blank while the post is still funded")
    holder = forms.ModelChoiceField(queryset=User.objects.none(), label="Who holds the post (optional)",
                                    required=False, help_text="Leave blank when the post is vacant. An agency "
                                    "worker covering it leaves it vacant in the figures",
                                    error_messages={"invalid_choice": "Select who holds the post"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = User.objects.filter(is_active=True).select_related("team").order_by(
            "first_name", "last_name", "pk")
        self.fields["holder"].label_from_instance = presenters.person_and_team


@allow_methods("GET")
def workers(request):
    """Everyone on the staff list with their employment, a page at a time."""
    _keepers_only(request)
    page = paginate(request, User.objects.select_related("team", "worker_record").order_by(
        "last_name", "first_name", "pk"))
    return render(request, "accounts/workers.html", {
        "page": page, "listing": presenters.workers_table(page.object_list),
    })


@allow_methods("GET", "POST")
def worker(request, staff_id: int):
    """Record or change one worker's employment."""
    _keepers_only(request)
    person = get_object_or_404(User.objects.select_related("team"), pk=staff_id)
    employment = WorkerRecord.objects.filter(user=person).first()
    initial = {} if employment is None else {
        "employment_type": employment.employment_type, "fte": employment.fte,
        "started_on": employment.started_on, "left_on": employment.left_on}
    form = EmploymentForm(posted(request), initial=initial)
    if save_or_show(request, form, lambda data: services.record_employment(request.user, person, **data,
                                                                            request=request), record=employment):
        return redirect("accounts:workers")
    return render(request, "accounts/workforce_form.html", {
        "form": form, "caption": str(person), "heading": "Employment", "button": "Save the employment",
        "back": "accounts:workers", "intro": presenters.employment_intro(person),
    })


@allow_methods("GET")
def posts(request):
    """The establishment: every post, its team, full-time equivalent, dates and holder, and whether it is vacant
    today."""
    _keepers_only(request)
    page = paginate(request, Post.objects.select_related("team", "holder", "holder__worker_record"))
    return render(request, "accounts/posts.html", {
        "page": page, "listing": presenters.posts_table(page.object_list, timezone.localdate()),
    })


@allow_methods("GET", "POST")
def post_new(request):
    _keepers_only(request)
    form = PostForm(posted(request), initial={"fte": 1})
    if save_or_show(request, form, lambda data: services.save_post(request.user, **data, request=request)):
        return redirect("accounts:posts")
    return render(request, "accounts/workforce_form.html", {
        "form": form, "caption": "The establishment", "heading": "Add a post", "button": "Add the post",
        "back": "accounts:posts", "intro": "",
    })


@allow_methods("GET", "POST")
def post_edit(request, post_id: int):
    _keepers_only(request)
    post = get_object_or_404(Post.objects.select_related("team", "holder"), pk=post_id)
    form = PostForm(posted(request), initial={
        "team": post.team, "title": post.title, "fte": post.fte, "starts_on": post.starts_on,
        "ends_on": post.ends_on, "holder": post.holder})
    if save_or_show(request, form, lambda data: services.save_post(request.user, post, **data, request=request),
                    record=post):
        return redirect("accounts:posts")
    return render(request, "accounts/workforce_form.html", {
        "form": form, "caption": str(post), "heading": "Change the post", "button": "Save the post",
        "back": "accounts:posts", "intro": "",
    })
