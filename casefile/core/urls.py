from django.urls import path

from casefile.core import views

app_name = "core"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<uuid:job_id>/", views.job_page, name="job"),
]
