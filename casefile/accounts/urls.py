from django.urls import path

from casefile.accounts import team_views

app_name = "accounts"
urlpatterns: list = [
    path("teams/<int:team_id>/", team_views.team, name="team"),
]
