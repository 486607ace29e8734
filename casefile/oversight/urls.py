from django.urls import path  # noqa: F401 - each oversight page adds its path here

app_name = "oversight"

urlpatterns: list = []
