from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("casefile.core.urls")),
    path("", include("casefile.accounts.urls")),
    path("people/", include("casefile.people.urls")),
    path("", include("casefile.casework.urls")),
    path("front-door/", include("casefile.frontdoor.urls")),
    path("", include("casefile.oversight.urls")),
    path("returns/", include("casefile.returns.urls")),
    path("", include("casefile.quality.urls")),
    path("insight/", include("casefile.insight.urls")),
    path("", include("casefile.access.urls")),
    path("", include("casefile.audit.urls")),
]

# Errors in the service's layout, with its navigation (casefile/core/views.py).
handler403 = "casefile.core.views.permission_denied"
handler404 = "casefile.core.views.page_not_found"
handler500 = "casefile.core.views.server_error"
