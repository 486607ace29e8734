"""Performance clinics, under /insight/."""
from django.urls import path

from casefile.insight import views, views_diversity, views_neighbours

app_name = "insight"

urlpatterns: list = [
    path("", views.clinic_page, name="clinic"),
    path("children/", views.children_page, name="children"),
    path("journeys/", views.journeys_page, name="journeys"),
    path("journeys/children/", views.journey_children, name="journey_children"),
    path("ten-year-trend/", views.trend_page, name="trend"),
    path("figures/refresh/", views.refresh_page, name="refresh"),
    path("figures/work-out/", views.work_out_page, name="work_out"),
    path("diversity/", views_diversity.diversity_page, name="diversity"),
    path("diversity/children/", views_diversity.diversity_children, name="diversity_children"),
    path("population/", views_diversity.population_page, name="population"),
    path("population/upload/", views_diversity.population_upload, name="population_upload"),
    path("neighbours/", views_neighbours.neighbours_page, name="neighbours"),
    path("neighbours/upload/", views_neighbours.neighbours_upload, name="neighbours_upload"),
    path("pdf/", views.clinic_pdf, name="clinic_pdf"),
    path("pdf/<uuid:job_id>/", views.clinic_pdf_download, name="clinic_pdf_download"),
    path("self-evaluation/", views.packs_page, name="packs"),
    path("self-evaluation/new/", views.pack_request, name="pack_request"),
    path("self-evaluation/<int:pack_id>/download/", views.pack_download, name="pack_download"),
]
