from django.urls import path

from casefile.oversight import views

app_name = "oversight"

urlpatterns = [
    path("waiting-for-you/", views.queue, name="queue"),
]
