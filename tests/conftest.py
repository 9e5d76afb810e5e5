import os

import pytest
from django.core.cache import cache

from accounts.models import User
from demo import seed as demo


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "common.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    return demo.seed_site()


@pytest.fixture
def client(client):
    """Django's test client, on the host the demo site answers to."""
    client.defaults["HTTP_HOST"] = "localhost"
    return client


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(*, full_name="Nguyễn Văn An", phone=None, password="Mat-khau-rat-dai-1", **extra):
        n = next(counter)
        last, first = full_name.rsplit(" ", 1) if " " in full_name else ("", full_name)
        user = User(
            username=extra.pop("username", f"user{n}"),
            first_name=first,
            last_name=last,
            phone=phone,
            **extra,
        )
        user.set_password(password)
        user.save()
        return user

    return make


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")
