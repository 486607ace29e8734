from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "casefile.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self):
        from casefile.casework import closure_history
        from casefile.frontdoor.chronology import register_providers
        from casefile.frontdoor.history import shown_at_closure

        register_providers()
        closure_history.register(shown_at_closure)
