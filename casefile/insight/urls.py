"""Performance clinics, under /insight/."""
from django.urls import path

from casefile.insight import views

app_name = "insight"

urlpatterns: list = [
    path("", views.clinic_page, name="clinic"),
    path("children/", views.children_page, name="children"),
    path("journeys/", views.journeys_page, name="journeys"),
    path("figures/refresh/", views.refresh_page, name="refresh"),
]
