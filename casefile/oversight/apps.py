from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "casefile.oversight"
    label = "oversight"
