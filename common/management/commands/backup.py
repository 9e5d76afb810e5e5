from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one dated archive of the database, media and private files "
        "(default folder: BACKUP_DIR). Sao lưu cơ sở dữ liệu và tệp vào một tệp có ngày giờ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", default=str(settings.BACKUP_DIR), help="Where to write it."
        )

    def handle(self, *args, directory, **options):
        try:
            archive = create_backup(directory=Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = archive.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Backup written / Đã sao lưu: {archive} ({size:.1f} MB)")
        )
        self.stdout.write("It holds personal data: keep it encrypted and off this server.")
