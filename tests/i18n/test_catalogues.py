"""Every message a trainer or administrator can meet has a Vietnamese translation.

The messages are read from the installed packages' own catalogues (common/i18n_catalogues.py),
so upgrading Wagtail or Django to a version with new strings fails here until
`make messages` has brought them into site/locale/vendor and someone has translated them.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from common.i18n_catalogues import SOURCES, Source, source_entries, vendor_catalogue_path

OURS = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d… (Python), {name} / {} (str.format), and HTML tags.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgG]|%[sdifr]|\{\w*\}|</?[a-zA-Z][^>]*>"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def translated(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def catalogue(path: Path) -> dict:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}


def untranslated(entries) -> list[str]:
    return [
        f"{e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "")
        for e in entries
        if not translated(e).strip() or "fuzzy" in e.flags
    ]


def wrong_placeholders(entries) -> list[str]:
    wrong = []
    for e in entries:
        text = translated(e)
        if not text:
            continue
        expected = [placeholders(e.msgid)]
        if e.msgid_plural:  # Vietnamese has one form: it follows the plural (or singular) one
            expected.append(placeholders(e.msgid_plural))
        if placeholders(text) not in expected:
            wrong.append(f"{e.msgid!r}: {placeholders(text)} instead of {expected[-1]}")
        if e.msgid_plural and len(e.msgstr_plural) != 1:
            wrong.append(f"{e.msgid!r}: {len(e.msgstr_plural)} plural forms instead of 1")
    return wrong


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_of_the_packages_is_translated(domain):
    sources = source_entries(domain)
    assert len(sources) > (1500 if domain == "django" else 60)
    vendor = catalogue(vendor_catalogue_path(domain))
    missing = [
        f"{msgid!r}" + (f" (context {context!r})" if context else "")
        for (context, msgid) in sources
        if (context, msgid) not in vendor
    ]
    assert not missing, f"{len(missing)} messages are not in {domain}.po: run `make messages`"
    entries = [vendor[key] for key in sources]
    missing = untranslated(entries)
    assert not missing, f"{len(missing)} messages without Vietnamese:\n" + "\n".join(missing)
    wrong = wrong_placeholders(vendor.values())
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_the_sources_cover_the_wagtail_apps_we_install():
    covered = {source.package for source in SOURCES}
    for app in settings.INSTALLED_APPS:
        app = app.removesuffix(".apps.UsersAppConfig")  # our config of wagtail.users
        if app.startswith(("wagtail", "django.contrib.auth", "taggit", "django_filters")):
            assert app in covered or app == "wagtail.users", app
    assert "wagtail.users" in covered


def test_every_message_of_ours_is_translated():
    entries = list(catalogue(OURS).values())
    assert len(entries) > 500
    missing = untranslated(entries)
    assert not missing, f"{len(missing)} of our messages without Vietnamese:\n" + "\n".join(missing)
    wrong = wrong_placeholders(entries)
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_the_compiled_catalogues_are_the_ones_django_uses():
    """What Django answers is ours: site/locale first, then site/locale/vendor, then the
    packages' own. A .mo that is stale, or a vendor catalogue no longer searched before
    Wagtail's own, fails here."""
    ours = catalogue(OURS)
    vendor = catalogue(vendor_catalogue_path("django"))
    with translation.override("vi"):
        for (context, msgid), entry in vendor.items():
            expected = translated(ours.get((context, msgid)) or entry)
            if entry.msgid_plural:
                got = (
                    translation.npgettext(context, msgid, entry.msgid_plural, 5)
                    if context
                    else translation.ngettext(msgid, entry.msgid_plural, 5)
                )
            else:
                got = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
            assert got == expected, (msgid, got, expected)
    javascript = DjangoTranslation(
        "vi", domain="djangojs", localedirs=[str(Source("wagtail.admin").locale_dir())]
    )
    for (_context, msgid), entry in catalogue(vendor_catalogue_path("djangojs")).items():
        got = (
            javascript.ngettext(msgid, entry.msgid_plural, 5)
            if entry.msgid_plural
            else javascript.gettext(msgid)
        )
        assert got == translated(entry), (msgid, got)


def test_relative_times_and_form_errors_are_vietnamese():
    import datetime

    from django import forms
    from django.contrib.humanize.templatetags.humanize import naturaltime
    from django.utils import timezone
    from django.utils.timesince import timesince

    now = timezone.now()
    with translation.override("vi"):
        assert timesince(now - datetime.timedelta(minutes=5), now) == "5\xa0phút"
        assert naturaltime(now - datetime.timedelta(minutes=5)) == "cách đây 5 phút"
        assert naturaltime(now - datetime.timedelta(hours=3)) == "cách đây 3 giờ"
        field = forms.IntegerField(max_value=10)
        with pytest.raises(forms.ValidationError) as error:
            field.clean("20")
        assert error.value.messages == ["Giá trị phải nhỏ hơn hoặc bằng 10."]
        with pytest.raises(forms.ValidationError) as error:
            forms.CharField().clean("")
        assert error.value.messages == ["Trường này là bắt buộc."]
