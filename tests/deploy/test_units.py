"""deploy/: the systemd units and gunicorn's configuration are valid and say what the
docs say (beat with the database scheduler as `make worker`, the worker at nice 10)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = Path(sys.executable).parent


def _unit(name: str) -> str:
    return (UNITS / name).read_text()


def test_units_run_what_the_makefile_runs():
    web, worker, beat = (_unit(f"digiskills-{name}.service") for name in ("web", "worker", "beat"))
    assert "gunicorn -c deploy/gunicorn.conf.py config.wsgi" in web
    assert "Type=notify" in web and "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "celery -A config worker" in worker and "Nice=10" in worker
    makefile = (ROOT / "Makefile").read_text()
    scheduler = "--scheduler django_celery_beat.schedulers:DatabaseScheduler"
    assert scheduler in makefile and scheduler in beat and "celery -A config beat" in beat
    for unit in (web, worker, beat):
        assert "Environment=DJANGO_SETTINGS_MODULE=config.settings.production" in unit
        assert "EnvironmentFile=/etc/digiskills/env" in unit


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    for unit in UNITS.glob("*.service"):
        text = (
            unit.read_text()
            .replace("/srv/digiskills/.venv/bin", str(VENV_BIN))
            .replace("/srv/digiskills", str(ROOT))
            .replace("EnvironmentFile=/etc", "EnvironmentFile=-/etc")
            .replace("User=digiskills", "User=root")
            .replace("Group=digiskills", "Group=root")
        )
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.glob("*.service"))
    assert len(units) == 3
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_gunicorn_accepts_its_configuration():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "WEB_CONCURRENCY": "3",
        "GUNICORN_BIND": "127.0.0.1:0",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--print-config",
            "-c",
            "deploy/gunicorn.conf.py",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(
        line.split("=", 1)
        for line in (ln.replace(" ", "") for ln in result.stdout.splitlines())
        if "=" in line
    )
    assert printed["worker_class"] == "gthread" and printed["workers"] == "3"
    assert printed["limit_request_fields"] == "100" and printed["keepalive"] == "75"
    assert printed["bind"] == "['127.0.0.1:0']"
