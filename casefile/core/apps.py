from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casefile.core"
    label = "core"
