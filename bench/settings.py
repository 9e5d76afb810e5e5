"""Settings for benchmarks that need the baseline page type of `bench.barepage`."""

from config.settings.dev import *  # noqa: F403
from config.settings.dev import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.barepage"]
