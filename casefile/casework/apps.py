from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casefile.casework"
    label = "casework"

    def ready(self):
        from casefile.casework.chronology.providers import register_providers

        register_providers()
