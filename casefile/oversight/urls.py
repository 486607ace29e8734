"""Management oversight on the child's file: decisions with reasons, supervision, challenge, and the drift and
quality signals derived from the record (the signal rules themselves are in casefile/rules/)."""
from casefile.oversight.views import decisions, queue

app_name = "oversight"

urlpatterns: list = [
    *decisions.urlpatterns,
    *queue.urlpatterns,
]
