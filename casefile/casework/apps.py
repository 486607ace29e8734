from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casefile.casework"
    label = "casework"
