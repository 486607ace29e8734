from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casefile.core"
    label = "core"

    def ready(self):
        from casefile.core import lookups  # noqa: F401  registers pk__among
