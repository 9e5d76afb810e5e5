"""The Vietnamese catalogues we keep for the packages we use (Wagtail, Django, taggit, …).

Wagtail's own Vietnamese catalogue covers about 15 % of its admin, Django's about 75 %, and
some packages have none. So we keep complete Vietnamese catalogues for them in
``site/locale/vendor/vi/LC_MESSAGES/{django,djangojs}.po``: the second entry of
``LOCALE_PATHS``. Catalogues in ``LOCALE_PATHS`` are searched before the packages' own, and
``site/locale`` (our own strings, rewritten by ``makemessages``) comes before ``vendor``, so
``makemessages`` never sees, and never marks as obsolete, a vendor string.

``manage.py vendor_messages`` (run by ``make messages``) reads every message of the source
catalogues below from the installed packages and merges it into the vendor catalogues: new
messages arrive untranslated (and ``tests/i18n/test_catalogues.py`` fails until they are
translated), translations of messages that are gone are dropped.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

__all__ = ["SOURCES", "Source", "source_entries", "vendor_catalogue_path"]

LANGUAGE = "vi"


@dataclass(frozen=True)
class Source:
    """One catalogue of an installed package: the messages are read from ``locale_dir``."""

    package: str  # the Python package whose locale/ directory holds the catalogue
    domain: str = "django"  # "django" (Python, templates) or "djangojs" (JavaScript)
    locale_subdir: str = "locale"

    def locale_dir(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise LookupError(f"package {self.package} is not installed")
        return Path(next(iter(spec.submodule_search_locations))) / self.locale_subdir

    def catalogue_files(self) -> list[Path]:
        """The English catalogue (it lists every message), or, where a package ships none,
        every language's catalogue (their union lists every message they were made from)."""
        english = self.locale_dir() / "en" / "LC_MESSAGES" / f"{self.domain}.po"
        if english.exists():
            return [english]
        return sorted(self.locale_dir().glob(f"*/LC_MESSAGES/{self.domain}.po"))


# Every catalogue whose strings a trainer or an administrator meets in the admin or on the
# site. Wagtail apps that are not installed (locales, simple_translation, search promotions,
# table blocks, styleguide) are left out.
SOURCES: tuple[Source, ...] = (
    Source("wagtail"),
    Source("wagtail.admin"),
    Source("wagtail.admin", "djangojs"),
    Source("wagtail.images"),
    Source("wagtail.documents"),
    Source("wagtail.snippets"),
    Source("wagtail.users"),
    Source("wagtail.embeds"),
    Source("wagtail.sites"),
    Source("wagtail.search"),
    Source("wagtail.contrib.settings"),
    Source("wagtail.contrib.forms"),
    Source("wagtail.contrib.redirects"),
    Source("django", locale_subdir="conf/locale"),
    Source("django.contrib.auth"),
    Source("django.contrib.contenttypes"),
    Source("django.contrib.humanize"),
    Source("django.contrib.sessions"),
    Source("taggit"),
    Source("django_filters"),
)


def source_entries(domain: str) -> dict[tuple[str | None, str], object]:
    """Every message of the source catalogues of ``domain``, keyed by (context, msgid).

    The value is the first ``polib.POEntry`` met for that key (its ``msgid_plural`` tells
    whether the message has plural forms)."""
    import polib

    entries: dict[tuple[str | None, str], object] = {}
    for source in SOURCES:
        if source.domain != domain:
            continue
        for path in source.catalogue_files():
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.msgid:
                    continue
                key = (entry.msgctxt, entry.msgid)
                if key not in entries:
                    entry.occurrences = []
                    entries[key] = entry
                if (source.package, "") not in entries[key].occurrences:
                    entries[key].occurrences.append((source.package, ""))
    return entries


def vendor_catalogue_path(domain: str) -> Path:
    """Where the vendor catalogue of ``domain`` lives (the second entry of LOCALE_PATHS)."""
    return Path(settings.LOCALE_PATHS[1]) / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
