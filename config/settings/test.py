"""Tests: fast hashing, tasks in-process unless a test starts a real worker."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405 - keeps media and the private storage (disk or buckets)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".test-media")
ALLOWED_HOSTS = ["*"]

# Tests call tasks in-process; the worker tests start a real worker on REDIS_URL
# and send to it explicitly.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="") or "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("TEST_WORKER_CACHE_URL", default=""):
    # A worker subprocess sharing the Redis cache of the test that started it.
    CACHES = {
        "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": env("TEST_WORKER_CACHE_URL")}
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: a worker subprocess must see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# A worker subprocess started by a test is told which test database to use.
if env("TEST_WORKER_DATABASE_NAME", default=""):
    DATABASES["default"]["NAME"] = env("TEST_WORKER_DATABASE_NAME")
    if "replica" in DATABASES:  # a test mirror of default (DATABASE_REPLICA_URL)
        DATABASES["replica"]["NAME"] = env("TEST_WORKER_DATABASE_NAME")
    CELERY_TASK_DEFAULT_QUEUE = env("TEST_WORKER_QUEUE", default="celery")

AXES_FAILURE_LIMIT = 5
# The consent gate is tested on its own (tests/privacy): elsewhere, tests log people in
# straight into the screen they test.
PRIVACY_CONSENT_REQUIRED = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
