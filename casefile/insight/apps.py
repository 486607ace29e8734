from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "casefile.insight"
    label = "insight"
