from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from casefile.access import policy
from casefile.people.models import Person


def my_work(request):
    """The children allocated to the signed-in user."""
    children = (
        policy.viewable_people(request.user, Person.objects.filter(kind=Person.Kind.CHILD))
        .filter(allocations__worker=request.user, allocations__end_date__isnull=True)
        .order_by("last_name", "first_name")
    )
    return render(request, "core/my_work.html", {"children": children})


def healthz(request):
    """For load balancers: answers only whether the database can be reached. Shows no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
