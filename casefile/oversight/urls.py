"""Management oversight on the child's file: decisions with reasons, supervision, challenge, and the drift and
quality signals derived from the record (the signal rules themselves are in casefile/rules/)."""
from casefile.oversight.views import practice

app_name = "oversight"

urlpatterns: list = [
    *practice.urlpatterns,
]
