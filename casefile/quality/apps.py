from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "casefile.quality"
    label = "quality"
