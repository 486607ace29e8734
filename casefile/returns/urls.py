from django.urls import path

from casefile.returns.views import annex_a, census, data_quality, home, ssd, validation

app_name = "returns"

urlpatterns = [
    path("", home.home, name="home"),
    # The CIN census export (views/census.py)
    path("census/", census.census_export, name="census"),
    path("census/<uuid:job_id>/download/", census.census_download, name="census_download"),
    # Ofsted Annex A (views/annex_a.py) and the Standard Safeguarding Dataset export (views/ssd.py)
    path("annex-a/", annex_a.annex_a, name="annex_a"),
    path("annex-a/<uuid:job_id>/download/", annex_a.annex_a_download, name="annex_a_download"),
    path("ssd/", ssd.ssd, name="ssd"),
    path("ssd/<uuid:job_id>/download/", ssd.ssd_download, name="ssd_download"),
    # The CIN census validator (views/validation.py)
    path("validate/", validation.validate_upload, name="validate"),
    path("validate/export/<uuid:job_id>/", validation.validate_export, name="validate_export"),
    path("validate/<uuid:job_id>/", validation.validation_results, name="validation_results"),
    path("validate/<uuid:job_id>/issues.csv", validation.validation_csv, name="validation_csv"),
    # Data quality as you type (views/data_quality.py)
    path("data-quality/", data_quality.data_quality_page, name="data_quality"),
    path("children/<int:person_id>/census/", data_quality.child_census, name="child_census"),
    path("census/notes.csv", data_quality.census_notes, name="census_notes"),
    path("validate/<uuid:job_id>/issues.xlsx", validation.validation_xlsx, name="validation_xlsx"),
]
