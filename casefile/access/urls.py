from django.urls import path

from casefile.access import views

app_name = "access"
urlpatterns = [
    path("people/<int:person_id>/restricted/", views.restricted_reason, name="restricted_reason"),
]
