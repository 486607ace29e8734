from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("casefile.core.urls")),
    path("", include("casefile.accounts.urls")),
    path("people/", include("casefile.people.urls")),
    path("", include("casefile.casework.urls")),
    path("front-door/", include("casefile.frontdoor.urls")),
    path("", include("casefile.access.urls")),
    path("", include("casefile.audit.urls")),
]
