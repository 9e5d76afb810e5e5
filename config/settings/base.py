"""Settings shared by every environment. Everything that differs comes from the environment.

Every variable read here is documented in docs/configuration.md.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from privacy.periods import DEFAULT_RETENTION_DAYS

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
# The site's public address. Printed in full and as a QR code on every certificate (for
# ever), and used in e-mail and SMS links: production requires it (https); `make run`
# serves on its host and port.
BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=sorted({"localhost", "127.0.0.1", "[::1]", urlsplit(BASE_URL).hostname or "localhost"}),
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # ours, lowest layer first
    "common",
    "home",
    "accounts",
    "organisations",
    "courses",
    "quizzes",
    "certificates",
    "notifications",
    "training",
    "outreach",
    "reports",
    "privacy",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # third party
    "axes",
    "django_celery_beat",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "common.middleware.HealthCheckMiddleware",  # first: /healthz depends on nothing below
    "django.middleware.security.SecurityMiddleware",
    "common.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "home.site_cache.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PasswordChoiceRequiredMiddleware",
    "privacy.middleware.ConsentRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.RequestTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A member's lesson view without Wagtail's routing queries (courses/middleware.py).
    "courses.middleware.MemberLessonMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL, immediate transactions) when DATABASE_URL is unset: nothing to install.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
            # at BEGIN so two writers queue instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("PG_CONNECT_TIMEOUT", default=5)
    )
    # Planner settings for this application, per connection (docs/decisions/0014):
    # - work_mem: the national figures test membership in sets of user ids (hashed
    #   subplans), hashed only when a set fits: at the default 4 MB, counting 400,000
    #   members rescans a set per member for minutes instead of 2 s. 64 MB covers about
    #   two million members.
    # - random_page_cost: the default (4) prices a random read as a spinning disk's, so a
    #   province's members were read by scanning every membership in the country (65 ms at
    #   400,000) instead of through its units' index (15 ms). 1.1 is PostgreSQL's advice
    #   for solid-state storage or data held in memory.
    # - jit off: a unit's counts are many cheap index probes that PostgreSQL estimates as
    #   costly, and it spent over a second compiling them for tens of milliseconds of work.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        f"-c work_mem={env('PG_WORK_MEM', default='64MB')} "
        f"-c random_page_cost={env('PG_RANDOM_PAGE_COST', default='1.1')} -c jit=off",
    )
# A read replica for reports (docs/deploy.md): report views and export tasks read from it
# (common.db_routers.reads_from_replica); everything else, and every write, uses default.
if env("DATABASE_REPLICA_URL", default=""):
    _replica = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"] = {
        **_replica,
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        # Same connect timeout and work_mem as default: the report queries run there.
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        # In tests, a second connection to the test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["common.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "courses:my_learning"  # members land on "Học tập của tôi"
LOGOUT_REDIRECT_URL = "/"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # members stay logged in on their own phone

# Carrier NAT puts many members behind one IP: lock out username + IP, never IP alone.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# One reading of the client's address for the lockout, the rate limits and axes' access
# logs: REMOTE_ADDR, or the entry PROXY_COUNT trusted proxies put in X-Forwarded-For.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.client.client_address"

# Requests per window (seconds) for each key: the client address ("ip"), the account
# ("user") or what was typed ("login", "email"). Over it: the 429 page (common.ratelimit).
RATE_LIMITS = {
    # Carrier NAT puts a whole training room behind one address: generous per address;
    # guessing one account is stopped by the lockout above.
    "login": {"limit": env.int("RATE_LIMIT_LOGIN", default=100), "window": 10 * 60},
    "activation": {"limit": 10, "window": 10 * 60},
    "verify": {"limit": env.int("RATE_LIMIT_VERIFY", default=30), "window": 10 * 60},
    "password_reset": {"limit": 5, "window": 60 * 60},
    "new_code": {"limit": 60, "window": 60 * 60},
    "quiz_answer": {"limit": 60, "window": 60},
    "export": {"limit": 20, "window": 10 * 60},
}

# Personal data (Decree 13/2023/NĐ-CP; docs/privacy.md). A signed-in person accepts the
# privacy notice in force before anything else opens.
PRIVACY_CONSENT_REQUIRED = env.bool("PRIVACY_CONSENT_REQUIRED", default=True)
# Days each kind of personal data is kept before the retention beat job removes it
# (defaults in privacy/periods.py; docs/privacy.md).
PRIVACY_RETENTION_DAYS = {
    kind: env.int(f"RETENTION_DAYS_{kind.upper()}", default=days)
    for kind, days in DEFAULT_RETENTION_DAYS.items()
}

ACTIVATION_CODE_VALID_DAYS = env.int("ACTIVATION_CODE_VALID_DAYS", default=30)

# --- Language, time -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Ours first (rewritten by makemessages), then the complete Vietnamese catalogues of Wagtail,
# Django and the other packages (common/i18n_catalogues.py): both before the packages' own.
LOCALE_PATHS = [SITE_DIR / "locale", SITE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["common.formats"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"  # labels that translate
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False  # it points to an English guide on the internet
WAGTAIL_I18N_ENABLED = False
# The account page offers Vietnam's time zone only, not 600 English zone names.
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # slugs are ASCII with đ → d (common.text.slugify_vi)

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Certificates and exports: never under MEDIA_URL, served only by views that check access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "common.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Object storage (S3 or compatible: MinIO, Ceph, a provider's) through django-storages, so
# that several app servers share media and private files (docs/deploy.md). Each bucket is
# used when its name is set; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
# (or the machine's role), as boto3 reads them.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
PRIVATE_BUCKET_NAME = env("PRIVATE_BUCKET_NAME", default="")
_S3_OPTIONS = {
    "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
    "region_name": env("AWS_S3_REGION_NAME", default="") or None,
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
    "signature_version": "s3v4",
    "file_overwrite": False,  # a new name for a name taken, as on the disk
}
if AWS_STORAGE_BUCKET_NAME:
    # Images and documents: public reads (bucket policy), or signed links when the bucket
    # is private (AWS_QUERYSTRING_AUTH=true); AWS_S3_CUSTOM_DOMAIN for a CDN in front.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        },
    }
if PRIVATE_BUCKET_NAME:
    # Never public: views that check access redirect to a link signed for a few seconds.
    STORAGES["private"] = {
        "BACKEND": "common.s3.PrivateS3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": PRIVATE_BUCKET_NAME,
            "default_acl": "private",
            "querystring_auth": True,
            "custom_domain": None,
        },
    }
# Private downloads (common.downloads): with nginx in front and private files on a disk it
# reads, nginx sends them (X-Accel-Redirect to its `internal` location at this prefix)
# instead of a gunicorn thread. Off: the application streams them.
PRIVATE_FILES_ACCEL_REDIRECT = env.bool("PRIVATE_FILES_ACCEL_REDIRECT", default=False)
PRIVATE_FILES_ACCEL_PREFIX = env("PRIVATE_FILES_ACCEL_PREFIX", default="/_private/")
# How long a signed link to a private file in object storage works.
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=60)
# `make backup` writes its dated archives here (they hold personal data: keep them safe).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A form's text (files not counted) and its number of fields: the biggest real forms are
# Wagtail's page editor (a long lesson: a few hundred fields, under 1 MB). Over either,
# the 400 page; a quiz answer with thousands of fields never reaches the view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="digiskills <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications --------------------------------------------------------------------
# Channels beyond the in-app inbox. The SMS/Zalo stand-in records messages in the database;
# a real provider is a class with the same interface (see notifications/channels.py).
NOTIFICATION_CHANNELS = env.list(
    "NOTIFICATION_CHANNELS",
    default=["notifications.channels.EmailChannel", "notifications.channels.RecordingChannel"],
)
# Nothing is sent outside the app from 21:00 to 07:00 local time.
NOTIFICATION_QUIET_HOURS = (21, 7)

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis unreachable is a cache miss (common.cache): pages and writes go on without it.
    CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "digiskills",
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------
# Without REDIS_URL the tasks run in-process, so the demo needs nothing else installed.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A killed worker's task is delivered again, so every task must be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task is the largest bulk job (10,195 certificates: ≤ 5 min; a 20,000-row
# import: under a minute): 30 minutes is ample, and a task past it is killed.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Redis hands an unacknowledged task to another worker after the visibility timeout, so it
# must exceed the longest task (the time limit above; no task uses an ETA or countdown):
# otherwise a task still running would be started a second time. A worker that dies is not
# waited for: jobs hold a lease (below) and the recovery beat job takes them over.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 15 * 60}
# A request that commits work while Redis is away must not wait for it (common.outbox).
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Long jobs (common.jobs): a worker renews its lease at least every chunk; when a lease has
# run out for this long, the "recover stalled jobs" beat job (every minute) queues the job
# again. A queued job nobody claimed is queued again after the grace period; a job that
# stalled this many times fails (its author may resume it).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=90)
JOB_QUEUE_GRACE_SECONDS = env.int("JOB_QUEUE_GRACE_SECONDS", default=10 * 60)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=5)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Wagtail 8 runs its own background work (reference index, renditions) through
# django-tasks. Its jobs are small, so they run in-process after the commit.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Học kỹ năng số – Tổ CNSCĐ"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp"}
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILUSERS_PASSWORD_ENABLED = True

# Cookies go only with requests from this site's own pages (and their links).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Videos embedded in rich text play from these (Content-Security-Policy frame-src).
CSP_FRAME_SOURCES = env.list(
    "CSP_FRAME_SOURCES",
    default=["https://www.youtube.com", "https://www.youtube-nocookie.com"],
)
# The admin never calls other sites: no update check, no Gravatar (personal data).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

PLATFORM_NAME = _("digiskills")
DEMO_PASSWORD = env("DEMO_PASSWORD", default="hocso2026")
