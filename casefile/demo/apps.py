from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "casefile.demo"
    label = "demo"
