from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "casefile.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
