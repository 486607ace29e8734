"""Confirming a police file runs as a background job: queued by the page, run by a worker, followed on a progress
page; it happens once however often it runs, and a failure says what failed and leaves nothing behind."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from casefile.audit.models import Action, AuditEvent
from casefile.core.models import Job
from casefile.frontdoor.board import open_links
from casefile.frontdoor.models import Contact, ContactChild, ImportBatch, NotificationPerson
from casefile.frontdoor.services import imports, triage
from casefile.frontdoor.tasks import confirm_in_background, confirm_police_batch
from casefile.frontdoor.tests.test_police_files import example_bytes
from casefile.frontdoor.tests.test_police_import import record_counts, row_counts, stage
from casefile.people.models import Person
from casefile.rules.police_notifications import MAX_ROWS
from casefile.testing import make_child

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_confirms_the_file_queued_by_the_page(client, org, settings):
    """End to end through the database queue: the page queues, `manage.py db_worker` runs it in its own loop."""
    settings.TASKS = DATABASE_BACKEND
    batch = stage(org, example_bytes())
    client.force_login(org.fran)
    response = client.post(reverse("frontdoor:police_confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    # Queued, not done: the page says so, and follows the job (a script; a link without one).
    waiting = client.get(response["Location"]).content.decode()
    assert job.status == "queued" and Contact.objects.count() == 0
    assert 'data-finished="false"' in waiting and "job-progress.js" in waiting and "Waiting to start" in waiting
    assert f'href="{response["Location"]}"' in waiting and "no background worker" not in waiting
    # Still waiting a few minutes later: the page says no worker seems to be running.
    with time_machine.travel(job.created_at + datetime.timedelta(minutes=3)):
        assert "no background worker has picked it up" in client.get(response["Location"]).content.decode()
    assert DBTaskResult.objects.get().status == "READY"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == ("done", 3, 3, "")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Contact.objects.count() == 3 and ImportBatch.objects.get().status == "confirmed"
    finished = client.get(response["Location"]).content.decode()
    assert "Finished" in finished and 'data-finished="true"' in finished
    assert reverse("frontdoor:police_batch", args=[batch.pk]) in finished


def test_the_progress_page_shows_how_far_it_has_got(client, org):
    job = Job.objects.create(kind="police_confirmation", description="Importing police.csv (3,000 incidents)",
                             started_by=org.fran, status=Job.Status.RUNNING, done=1200, total=3000,
                             stage="Writing the contacts")
    client.force_login(org.fran)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert '<progress' in page and 'max="3000"' in page and 'value="1200"' in page
    assert "1,200 of 3,000" in page and "Writing the contacts" in page and 'data-finished="false"' in page


def test_only_the_person_who_started_a_job_may_follow_it(client, org):
    batch = stage(org, example_bytes())
    job = confirm_in_background(actor=org.fran, batch=batch, resolutions={})
    for someone in (org.mel, org.mo, org.sam):  # the same team's manager and colleague included
        client.force_login(someone)
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    client.force_login(org.fran)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 200


def test_a_job_run_twice_imports_once(org):
    batch = stage(org, example_bytes())
    job = confirm_in_background(actor=org.fran, batch=batch, resolutions={})
    counts = row_counts()
    # Delivered again (a worker retried it): the finished job is not run again.
    confirm_police_batch.call(job_id=str(job.pk), batch_id=batch.pk, resolutions={})
    assert row_counts() == counts and Contact.objects.count() == 3
    # A second job for the same file (two tabs): refused, with nothing added.
    again = Job.objects.create(kind="police_confirmation", description="again", started_by=org.fran)
    confirm_police_batch.call(job_id=str(again.pk), batch_id=batch.pk, resolutions={})
    again.refresh_from_db()
    assert again.status == "failed" and "This batch is imported" in again.error
    assert Contact.objects.count() == 3


def _refuse_contacts_about_tyler() -> None:
    """A condition in the database itself: inserting a contact about Tyler fails, as a full disk would."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("""CREATE TRIGGER refuse_child BEFORE INSERT ON frontdoor_contactchild
                WHEN (SELECT first_name FROM people_person WHERE id = NEW.child_id) = 'Tyler'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END""")
        else:
            cursor.execute("""CREATE FUNCTION refuse_child() RETURNS trigger AS $$ BEGIN
                IF (SELECT first_name FROM people_person WHERE id = NEW.child_id) = 'Tyler' THEN
                RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql""")
            cursor.execute("""CREATE TRIGGER refuse_child BEFORE INSERT ON frontdoor_contactchild
                FOR EACH ROW EXECUTE FUNCTION refuse_child()""")


def test_a_failure_part_way_leaves_nothing_and_says_what_failed(client, org, monkeypatch):
    monkeypatch.setattr(imports, "CONFIRM_STEP", 1)  # one incident per step: two are written before the third fails
    batch = stage(org, example_bytes())
    staged_links = dict(NotificationPerson.objects.values_list("pk", "person_id"))
    _refuse_contacts_about_tyler()  # the child of the third and last incident
    client.force_login(org.fran)
    before = record_counts()
    response = client.post(reverse("frontdoor:police_confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert job.status == "failed"
    assert record_counts() == before  # no person, contact or link from the file is left
    assert Contact.objects.count() == ContactChild.objects.count() == 0
    assert dict(NotificationPerson.objects.values_list("pk", "person_id")) == staged_links
    assert ImportBatch.objects.get().status == "staged"
    taken_back = AuditEvent.objects.get(action=Action.IMPORT, details__taken_back=True)
    assert len(taken_back.details["contacts_removed"]) == 2 and "refused by the test" in taken_back.details["error"]
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()  # nothing was ever audited as created
    page = client.get(response["Location"]).content.decode()
    assert "This did not finish" in page and "Nothing from it was saved" in page
    assert reverse("frontdoor:police_batch", args=[batch.pk]) in page  # the way back to try again


def _refuse_audit_events_about_contacts() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("""CREATE TRIGGER refuse_contact_event BEFORE INSERT ON audit_auditevent
                WHEN NEW.subject_type = 'frontdoor.contact' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END""")
        else:
            cursor.execute("""CREATE FUNCTION refuse_contact_event() RETURNS trigger AS $$ BEGIN
                IF NEW.subject_type = 'frontdoor.contact' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NEW; END $$ LANGUAGE plpgsql""")
            cursor.execute("""CREATE TRIGGER refuse_contact_event BEFORE INSERT ON audit_auditevent
                FOR EACH ROW EXECUTE FUNCTION refuse_contact_event()""")


def test_a_failure_while_auditing_keeps_every_record_and_says_so(org, monkeypatch):
    """Audited records cannot be deleted (the trail protects them): the file stays 'being imported', whole."""
    monkeypatch.setattr(imports, "AUDIT_STEP", 5)
    batch = stage(org, example_bytes())
    _refuse_audit_events_about_contacts()
    job = confirm_in_background(actor=org.fran, batch=batch, resolutions={})
    job.refresh_from_db()
    assert job.status == "failed" and "recording them in the audit trail stopped part-way" in job.error
    batch.refresh_from_db()
    assert batch.status == "confirming" and Contact.objects.count() == 3
    created = Person.objects.filter(created_by=org.fran).count()
    audited = AuditEvent.objects.filter(action=Action.CREATE, subject_type="people.person").count()
    # Steps of five (the file's 12 new people are not a multiple of it): the step that also held the first contact's
    # event was undone, with the people in it.
    assert 0 < audited < created
    assert triage.queue(org.mel) == []


def test_while_a_file_is_being_imported_its_contacts_wait_outside_the_queue_and_the_board(org, monkeypatch):
    """The steps already written are not worked on before the whole file is in (it may still be taken back)."""
    batch = stage(org, example_bytes())
    seen = []

    def progress(done, total, stage):
        if stage == "Recording the audit trail":
            seen.append((Contact.objects.count(), len(triage.queue(org.mel)), open_links(org.mel).count()))

    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={}, progress=progress)
    assert seen == [(3, 0, 0)]
    # Once imported: Lily, Noah, the second incident's child, Tyler and the unborn Okafor baby.
    assert len(triage.queue(org.mel)) == open_links(org.mel).count() == 5


def test_the_preview_can_send_an_answer_for_every_row_of_the_largest_file(client, org):
    """Found by the benchmark: a file with more than 1,000 possible matches was answered 400 Bad Request."""
    make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    batch = stage(org, example_bytes())
    assert NotificationPerson.objects.filter(match="possible").exists()  # so the page reads the answers
    client.force_login(org.fran)
    answers = {f"person_{number}": "new" for number in range(MAX_ROWS)}
    response = client.post(reverse("frontdoor:police_confirm", args=[batch.pk]), answers)
    assert response.status_code == 302 and Contact.objects.count() == 3
