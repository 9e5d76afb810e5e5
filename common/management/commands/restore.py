from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup`. Refuses to overwrite a database with "
        "accounts or storage folders with files unless --replace is given. "
        "Khôi phục từ tệp sao lưu; cần --replace để ghi đè dữ liệu đang có."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz file made by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite the current database and files (stop the site and worker first).",
        )

    def handle(self, *args, archive, replace, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such file / Không có tệp: {path}")
        try:
            report = restore_backup(archive=path, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {report.created_at}: {report.tables} tables, "
            f"{report.rows} rows, {report.files} files."
        )
        for problem in report.differences + [f"missing file: {f}" for f in report.missing_files]:
            self.stderr.write(f"  ✘ {problem}")
        if not report.ok:
            raise CommandError("The restored copy differs from the backup (see above).")
        self.stdout.write(
            self.style.SUCCESS(
                "Every table has its rows and every file its content. Đã khôi phục đầy đủ."
            )
        )
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("The backup predates this version: run `manage.py migrate` now.")
