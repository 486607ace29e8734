"""Case file audits: the quality page, a child's audits, an audit and its actions."""
from casefile.quality.views import urlpatterns  # noqa: F401

app_name = "quality"
