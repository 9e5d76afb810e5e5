"""Bring the vendor catalogues (site/locale/vendor/vi) in step with the installed packages.

New messages are added untranslated, messages the packages no longer have are dropped, and
every translation already made is kept. Run by ``make messages``; see common/i18n_catalogues.
"""

import polib
from django.core.management.base import BaseCommand

from common.i18n_catalogues import LANGUAGE, source_entries, vendor_catalogue_path

HEADER = "Vietnamese translations of the messages of the packages digiskills uses."


class Command(BaseCommand):
    help = "Merge the messages of Wagtail, Django and the other packages into site/locale/vendor."

    def handle(self, *args, **options):
        for domain in ("django", "djangojs"):
            path = vendor_catalogue_path(domain)
            old = (
                {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))} if path.exists() else {}
            )
            catalogue = polib.POFile(wrapwidth=0)
            catalogue.header = HEADER
            catalogue.metadata = {
                "Project-Id-Version": "digiskills",
                "PO-Revision-Date": "2026-12-06 00:00+0700",
                "Last-Translator": "digiskills <no-reply@localhost>",
                "Language-Team": "Vietnamese",
                "Language": LANGUAGE,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": "nplurals=1; plural=0;",
            }
            missing = 0
            for key, source in source_entries(domain).items():
                entry = polib.POEntry(
                    msgctxt=source.msgctxt,
                    msgid=source.msgid,
                    msgid_plural=source.msgid_plural,
                    comment=source.comment,
                    occurrences=source.occurrences,
                    flags=[f for f in source.flags if f != "fuzzy"],
                )
                kept = old.get(key)
                text = ""
                if kept is not None:
                    text = kept.msgstr_plural.get(0, "") if kept.msgid_plural else kept.msgstr
                if source.msgid_plural:
                    entry.msgstr_plural = {0: text}  # Vietnamese has one plural form
                else:
                    entry.msgstr = text
                if kept is not None and kept.tcomment:
                    entry.tcomment = kept.tcomment
                missing += not text
                catalogue.append(entry)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.save(str(path))
            dropped = len(set(old) - {(e.msgctxt, e.msgid) for e in catalogue})
            self.stdout.write(
                f"{path}: {len(catalogue)} messages, {missing} untranslated, {dropped} dropped"
            )
