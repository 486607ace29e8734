"""Case file audits: the quality page, a child's audits, an audit and its actions; moderation, re-audit and the
quality reports."""
from casefile.quality import views, views_moderation

urlpatterns = views.urlpatterns + views_moderation.urlpatterns

app_name = "quality"
