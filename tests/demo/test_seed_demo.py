from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from accounts.models import User
from home.models import HomePage

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        User.objects.count(),
        Page.objects.count(),
        Revision.objects.count(),
        sorted(User.objects.values_list("username", "password")),
    )


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert HomePage.objects.count() == 1


def test_demo_trainer_can_use_the_wagtail_admin(client):
    call_command("seed_demo", stdout=StringIO())
    client.defaults["HTTP_HOST"] = "localhost"
    response = client.post("/admin/login/", {"username": "trainer", "password": "hocso2026"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
    trainer = User.objects.get(username="trainer")
    assert not trainer.is_superuser
    assert trainer.groups.filter(name="Giảng viên").exists()


def test_the_demo_loader_lives_in_the_demo_app_and_home_keeps_only_the_site():
    """`seed_demo` is the demo app's command; `home` has no command and imports no app above
    `common` (import-linter places it just above `common`), and the demo app has no models,
    so moving the loader needed no migration."""
    import importlib.util

    from django.apps import apps
    from django.core.management import get_commands

    assert get_commands()["seed_demo"] == "demo"
    assert not any(app == "home" for app in get_commands().values())
    assert list(apps.get_app_config("demo").get_models()) == []
    assert importlib.util.find_spec("home.demo") is None
    assert importlib.util.find_spec("home.illustrations") is None
