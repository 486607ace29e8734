from django.urls import path

from casefile.accounts import security_views, team_views

app_name = "accounts"
urlpatterns: list = [
    path("teams/<int:team_id>/", team_views.team, name="team"),
    path("sign-in-pauses/", security_views.sign_in_pauses, name="sign_in_pauses"),
    path("authenticator-links/", security_views.enrolment_links, name="enrolment_links"),
    # Under /accounts/2fa/ so that it opens before the person has an authenticator app (accounts/middleware.py).
    path("accounts/2fa/enrol/<str:token>/", security_views.enrol, name="enrol"),
]
