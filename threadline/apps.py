from django.apps import AppConfig


class ThreadlineConfig(AppConfig):
    name = "threadline"
    default_auto_field = "django.db.models.BigAutoField"
