"""Case file audits: the quality page, a child's audits, an audit and its actions; sampling: rounds, their
children and auditors, the children sampled to an auditor, and audit coverage; moderation, re-audit and the quality
reports."""
from casefile.quality import views, views_moderation, views_sampling

urlpatterns = views.urlpatterns + views_sampling.urlpatterns + views_moderation.urlpatterns

app_name = "quality"
