from django.apps import AppConfig


class BarePageConfig(AppConfig):
    name = "bench.barepage"
    label = "barepage"
    default_auto_field = "django.db.models.BigAutoField"
