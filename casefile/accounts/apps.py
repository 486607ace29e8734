from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casefile.accounts"
    label = "accounts"

    def ready(self):
        from casefile.accounts import signals  # noqa: F401
