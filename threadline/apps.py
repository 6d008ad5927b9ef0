from django.apps import AppConfig


class ThreadlineConfig(AppConfig):
    name = "threadline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Side effects of comment changes (live events, webhooks, e-mails) listen here.
        from threadline.delivery import jobs

        jobs.connect_listeners()
