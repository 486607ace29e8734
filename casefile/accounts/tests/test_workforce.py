"""Workers' employment and the establishment's posts: kept by administrators only, each refusal naming its field,
nothing saved when refused, every write audited with its history kept."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.accounts import services
from casefile.accounts.models import EmploymentType, Post, WorkerRecord
from casefile.audit.models import Action, AuditEvent
from casefile.core.pagination import PAGE_SIZE

WORKERS, POSTS, NEW_POST = reverse("accounts:workers"), reverse("accounts:posts"), reverse("accounts:post_new")
APRIL = datetime.date(2023, 4, 3)


def employ(org, worker=None, **fields):
    values = {"employment_type": EmploymentType.PERMANENT, "fte": Decimal("1"), "started_on": APRIL,
              "left_on": None} | fields
    return services.record_employment(org.ada, worker or org.sam, **values)


def test_an_administrator_records_employment_audited_with_its_history(org):
    employment = employ(org, fte=Decimal("0.6"))
    assert WorkerRecord.objects.get(user=org.sam).fte == Decimal("0.6")
    employ(org, employment_type=EmploymentType.AGENCY, left_on=datetime.date(2024, 3, 1))
    employment.refresh_from_db()
    assert employment.employment_type == "agency" and employment.left_on == datetime.date(2024, 3, 1)
    assert employment.history.count() == 2 and employment.history.first().history_user == org.ada
    events = AuditEvent.objects.filter(subject_type="accounts.workerrecord").order_by("pk")
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"left_on": datetime.date(2023, 4, 2)}, "left_on", "on or after the start date (3 April 2023)"),
    ({"fte": Decimal("0")}, "fte", "more than 0 and no more than 1"),
    ({"fte": Decimal("1.2")}, "fte", "more than 0 and no more than 1"),
    ({"fte": None}, "fte", "Enter the full-time equivalent"),
    ({"employment_type": "contractor"}, "employment_type", "permanent, agency or other"),
    ({"started_on": None}, "started_on", "Enter the date they started"),
])
def test_bad_employment_is_refused_naming_the_field_and_nothing_is_saved(org, fields, field, words):
    with pytest.raises(ValidationError) as refused:
        employ(org, **fields)
    assert list(refused.value.message_dict) == [field] and words in refused.value.message_dict[field][0]
    assert not WorkerRecord.objects.exists() and not AuditEvent.objects.filter(
        subject_type="accounts.workerrecord").exists()


def test_only_an_administrator_keeps_the_workforce(org):
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.record_employment(org.tess, org.sam, employment_type="permanent", fte=1, started_on=APRIL)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.save_post(org.pat, team=org.assessment, title="Social worker", fte=1, starts_on=APRIL)
    assert not WorkerRecord.objects.exists() and not Post.objects.exists()


def test_a_post_is_added_and_changed_and_a_bad_one_refused(org):
    post = services.save_post(org.ada, team=org.assessment, title="  Social   worker ", fte=Decimal("1"),
                              starts_on=APRIL, holder=org.sam)
    assert post.title == "Social worker" and post.history.count() == 1
    services.save_post(org.ada, post, team=org.assessment, title="Social worker", fte=Decimal("0.5"),
                       starts_on=APRIL, ends_on=datetime.date(2024, 3, 31), holder=None)
    post.refresh_from_db()
    assert post.fte == Decimal("0.5") and post.holder is None and post.history.count() == 2
    with pytest.raises(ValidationError) as refused:
        services.save_post(org.ada, team=None, title="", fte=Decimal("2"), starts_on=APRIL,
                           ends_on=datetime.date(2023, 1, 1))
    assert set(refused.value.message_dict) == {"team", "title", "fte", "ends_on"}
    assert Post.objects.count() == 1


def test_a_long_workforce_pages_with_links_that_keep_the_page_asked_for(client, org):
    """More staff and posts than a page holds (the large authority has 649 staff): the page links render."""
    Post.objects.bulk_create(Post(team=org.assessment, title=f"Social worker {n}", fte=Decimal("1"), starts_on=APRIL)
                             for n in range(PAGE_SIZE + 1))
    User = type(org.sam)
    User.objects.bulk_create(User(username=f"worker{n}", first_name="Worker", last_name=str(n), team=org.assessment)
                             for n in range(PAGE_SIZE + 1))
    client.force_login(org.ada)
    for path in (WORKERS, POSTS):
        page = client.get(path, {"page": "2"})
        assert page.status_code == 200
        assert 'href="?page=1"' in page.content.decode(), path


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_the_pages_open_for_administrators_only(client, org, who):
    client.force_login(getattr(org, who))
    expected = 200 if who == "ada" else 403
    for path in (WORKERS, POSTS, NEW_POST, reverse("accounts:worker", kwargs={"staff_id": org.sam.pk})):
        assert client.get(path).status_code == expected, path


def test_the_pages_list_edit_and_refuse_naming_the_field(client, org):
    client.force_login(org.ada)
    edit = reverse("accounts:worker", kwargs={"staff_id": org.sam.pk})
    refused = client.post(edit, {"employment_type": "permanent", "fte": "0.8", "started_on_day": "3",
                                 "started_on_month": "4", "started_on_year": "2023", "left_on_day": "1",
                                 "left_on_month": "1", "left_on_year": "2023"})
    html = unescape(refused.content.decode())
    assert refused.status_code == 200 and "There is a problem" in html and 'href="#id_left_on' in html
    assert "on or after the start date" in html and not WorkerRecord.objects.exists()
    saved = client.post(edit, {"employment_type": "agency", "fte": "0.8", "started_on_day": "3",
                               "started_on_month": "4", "started_on_year": "2023"})
    assert saved.status_code == 302 and WorkerRecord.objects.get(user=org.sam).employment_type == "agency"
    listed = unescape(client.get(WORKERS).content.decode())
    assert "Sam Worker" in listed and "Agency" in listed and "0.8" in listed and "3 April 2023" in listed
    added = client.post(NEW_POST, {"team": org.assessment.pk, "title": "Social worker", "fte": "1",
                                   "starts_on_day": "1", "starts_on_month": "4", "starts_on_year": "2023",
                                   "holder": org.sam.pk})
    assert added.status_code == 302
    posts = unescape(client.get(POSTS).content.decode())
    # Sam is an agency worker: the post he holds is still vacant.
    assert "Social worker" in posts and "Vacant" in posts
    post = Post.objects.get()
    bad = client.post(reverse("accounts:post_edit", kwargs={"post_id": post.pk}), {
        "team": org.assessment.pk, "title": "Social worker", "fte": "1.5", "starts_on_day": "1",
        "starts_on_month": "4", "starts_on_year": "2023"})
    assert 'href="#id_fte"' in bad.content.decode() and Post.objects.get().fte == 1


@pytest.mark.parametrize(("who", "sees"), [("ada", True), ("pat", False), ("tess", False)])
def test_my_work_points_administrators_to_the_workforce(client, org, who, sees):
    client.force_login(getattr(org, who))
    assert (WORKERS in client.get(reverse("core:my_work")).content.decode()) is sees
