from django.urls import path

from casefile.returns.views import validation

app_name = "returns"

urlpatterns: list = [
    path("validate/", validation.validate_upload, name="validate"),
    path("validate/export/<uuid:job_id>/", validation.validate_export, name="validate_export"),
    path("validate/<uuid:job_id>/", validation.validation_results, name="validation_results"),
    path("validate/<uuid:job_id>/issues.csv", validation.validation_csv, name="validation_csv"),
    path("validate/<uuid:job_id>/issues.xlsx", validation.validation_xlsx, name="validation_xlsx"),
]
