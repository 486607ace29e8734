from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "casefile.retention"
    label = "retention"

    def ready(self) -> None:
        # A mistake in CASEFILE_RETENTION stops the service starting, rather than surfacing at the first disposal.
        from casefile.retention.schedule import current_schedule

        current_schedule()
