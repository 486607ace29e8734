from casefile.oversight.views import urlpatterns as supervision_urls

app_name = "oversight"

# Each oversight area adds its pages here (supervision; decisions, the queue, challenge and signals to come).
urlpatterns: list = [*supervision_urls]
