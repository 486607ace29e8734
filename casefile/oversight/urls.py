"""Management oversight on the child's file: decisions with reasons, the manager's queue, supervision, chair and IRO
challenge, and the drift and quality signals derived from the record (the signal rules are in casefile/rules/)."""
from casefile.oversight.views import challenge, decisions, practice, queue, supervision, voice

app_name = "oversight"

urlpatterns: list = [
    *decisions.urlpatterns,
    *queue.urlpatterns,
    *challenge.urlpatterns,
    *supervision.urlpatterns,
    *practice.urlpatterns,
    *voice.urlpatterns,
]
