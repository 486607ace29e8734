from django.urls import path

from casefile.returns.views import annex_a, ssd

app_name = "returns"

urlpatterns: list = [
    path("annex-a/", annex_a.annex_a, name="annex_a"),
    path("annex-a/<uuid:job_id>/download/", annex_a.annex_a_download, name="annex_a_download"),
    path("ssd/", ssd.ssd, name="ssd"),
    path("ssd/<uuid:job_id>/download/", ssd.ssd_download, name="ssd_download"),
]
