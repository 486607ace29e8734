from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QualityConfig(AppConfig):
    name = "casefile.quality"
    label = "quality"

    def ready(self) -> None:
        from casefile.quality.shipped import ensure_shipped_tools

        post_migrate.connect(ensure_shipped_tools, sender=self, dispatch_uid="quality.ensure_shipped_tools")
