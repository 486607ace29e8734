from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "casefile.access"
    label = "access"
