"""The public address (BASE_URL): required in production, printed and encoded on
certificates, and the address `make run` serves on."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from common.management.commands.serve import listen_address
from tests.test_settings import PRODUCTION_ENV, ROOT, run_manage


def _deploy_check(**overrides):
    env = {**PRODUCTION_ENV, **overrides}
    return run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)


def test_production_refuses_to_run_without_the_public_address():
    result = _deploy_check(BASE_URL="")
    assert result.returncode != 0
    assert "BASE_URL must be set" in result.stderr


def test_check_deploy_fails_for_an_http_address():
    result = _deploy_check(BASE_URL="http://hoc.example.gov.vn")
    assert result.returncode != 0
    assert "digiskills.E002" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("base_url", "error"),
    [
        ("https://hoc.example.gov.vn", None),
        ("http://hoc.example.gov.vn", "digiskills.E002"),
        ("https://127.0.0.1:8000", "digiskills.E003"),
        ("https://localhost", "digiskills.E003"),
        ("https://elsewhere.example.org", "digiskills.E004"),
        ("https://hoc.example.gov.vn/app", "digiskills.E005"),
        ("", "digiskills.E001"),
    ],
)
def test_the_deploy_check_of_the_public_address(settings, base_url, error):
    from common.checks import check_base_url

    settings.BASE_URL, settings.ALLOWED_HOSTS = base_url, ["hoc.example.gov.vn"]
    found = [e.id for e in check_base_url()]
    assert found == ([error] if error else [])


EVERYWHERE = "0.0.0.0"  # noqa: S104 - what listen_address answers for a host name


@pytest.mark.parametrize(
    ("base_url", "address"),
    [
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://localhost:8123", ("127.0.0.1", 8123)),
        ("http://192.168.1.20:9000/", ("192.168.1.20", 9000)),
        ("http://demo-laptop.local:8080", (EVERYWHERE, 8080)),
        ("http://[::1]:8001", ("::1", 8001)),
        ("https://hoc.example.gov.vn", (EVERYWHERE, 443)),
    ],
)
def test_make_run_listens_where_base_url_points(base_url, address):
    assert listen_address(base_url) == address


def test_make_run_serves_and_prints_the_address_of_base_url(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        BASE_URL=base,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                    answer = response.status
            except OSError:
                time.sleep(0.3)
        assert answer == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"Open {base}/" in output
