"""Management oversight on the child's file: decisions with reasons, supervision, challenge, and the drift and
quality signals derived from the record (the signal rules themselves are in casefile/rules/)."""
from django.urls import path

from casefile.oversight import views

app_name = "oversight"

urlpatterns: list = [
    path("practice-quality/", views.practice_quality, name="practice_quality"),
    path("practice-quality/children/", views.practice_children, name="practice_children"),
    path("people/<int:person_id>/practice-quality/", views.child_signals, name="child_signals"),
]
