from django.urls import path

from casefile.accounts import security_views, team_views, workforce_views

app_name = "accounts"
urlpatterns: list = [
    path("teams/<int:team_id>/", team_views.team, name="team"),
    path("workforce/", workforce_views.workers, name="workers"),
    path("workforce/staff/<int:staff_id>/", workforce_views.worker, name="worker"),
    path("workforce/posts/", workforce_views.posts, name="posts"),
    path("workforce/posts/new/", workforce_views.post_new, name="post_new"),
    path("workforce/posts/<int:post_id>/", workforce_views.post_edit, name="post_edit"),
    path("sign-in-pauses/", security_views.sign_in_pauses, name="sign_in_pauses"),
    path("authenticator-links/", security_views.enrolment_links, name="enrolment_links"),
    # Under /accounts/2fa/ so that it opens before the person has an authenticator app (accounts/middleware.py).
    path("accounts/2fa/enrol/<str:token>/", security_views.enrol, name="enrol"),
]
