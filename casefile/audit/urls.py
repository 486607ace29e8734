from django.urls import path

from casefile.audit import views

app_name = "audit"
urlpatterns = [
    path("people/<int:person_id>/viewers/", views.viewers, name="viewers"),
]
