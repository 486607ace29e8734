from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "casefile.oversight"
    label = "oversight"

    def ready(self):
        from casefile.oversight.chronology import register_providers

        register_providers()
