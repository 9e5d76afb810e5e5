import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "hoc.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://hoc.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/digiskills-deploy-check.sqlite3",
    "BASE_URL": "https://hoc.example.gov.vn",
}


def run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "module", ["config.settings.dev", "config.settings.test", "config.settings.production"]
)
def test_settings_load(module):
    overrides = {"DJANGO_SETTINGS_MODULE": module}
    if module.endswith("production"):
        overrides = PRODUCTION_ENV
    result = run_manage("check", env_overrides=overrides)
    assert result.returncode == 0, result.stderr


def test_production_passes_check_deploy_with_zero_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env["SECRET_KEY"] = ""
    result = run_manage("check", env_overrides={**env})
    assert result.returncode != 0


def test_sqlite_default_uses_wal_and_immediate_transactions():
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "journal_mode=WAL" in options["init_command"]
        assert options["transaction_mode"] == "IMMEDIATE"
    else:
        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def test_celery_is_configured_for_reliable_delivery():
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        > settings.CELERY_TASK_TIME_LIMIT
    )
    assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat")
