"""The environment switches storage and the replica on, and nothing else changes without it
(the demo and one server stay as they were)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({'storages': {k: v['BACKEND'] for k, v in settings.STORAGES.items()}, "
    "'options': settings.STORAGES['private'].get('OPTIONS', {}), "
    "'databases': {k: v.get('TEST', {}).get('MIRROR') for k, v in settings.DATABASES.items()}, "
    "'accel': settings.PRIVATE_FILES_ACCEL_REDIRECT}, default=str))"
)
NAMES = ("AWS_STORAGE_BUCKET_NAME", "PRIVATE_BUCKET_NAME", "DATABASE_REPLICA_URL")


def _settings(module: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NAMES}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY="x" * 60,
        BASE_URL="https://hoc.example.gov.vn",
        ALLOWED_HOSTS="hoc.example.gov.vn",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_disk_and_one_database_unless_told_otherwise():
    for module in ("config.settings.dev", "config.settings.production"):
        found = _settings(module)
        assert found["storages"]["default"] == "django.core.files.storage.FileSystemStorage"
        assert found["storages"]["private"] == "common.storage.PrivateFileSystemStorage"
        assert list(found["databases"]) == ["default"] and found["accel"] is False


def test_buckets_and_a_replica_from_the_environment():
    found = _settings(
        "config.settings.production",
        AWS_STORAGE_BUCKET_NAME="media",
        PRIVATE_BUCKET_NAME="private",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        DATABASE_REPLICA_URL="postgres://reader@10.0.0.5:5432/digiskills",
        PRIVATE_FILES_ACCEL_REDIRECT="true",
    )
    assert found["storages"]["default"] == "storages.backends.s3.S3Storage"
    assert found["storages"]["private"] == "common.s3.PrivateS3Storage"
    assert found["storages"]["staticfiles"].startswith("whitenoise.")
    options = found["options"]
    assert options["bucket_name"] == "private" and options["querystring_auth"] is True
    assert options["endpoint_url"] == "https://s3.example.vn" and options["file_overwrite"] is False
    assert found["databases"] == {"default": None, "replica": "default"}
    assert found["accel"] is True
