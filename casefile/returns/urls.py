from django.urls import path

from casefile.returns.views import census, home

app_name = "returns"

urlpatterns = [
    path("", home.home, name="home"),
    # The CIN census export (views/census.py)
    path("census/", census.census_export, name="census"),
    path("census/<uuid:job_id>/download/", census.census_download, name="census_download"),
    # The CIN census validator (views/validation.py), Annex A (views/annex_a.py) and the SSD export
    # (views/ssd.py) add their lines here.
]
