from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`manage.py seed_demo`): no models, no URLs, no screens. It builds the
    demo site through every app's services, so it is the top layer, just under `config`."""

    name = "demo"
