from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "casefile.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self):
        from casefile.frontdoor.chronology import register_providers

        register_providers()
