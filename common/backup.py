"""One dated archive of everything the site keeps, and its restoration.

The archive (`digiskills-YYYYmmdd-HHMMSS.tar.gz`) holds:

- `manifest.json`: when, which database engine, the row count of every table, the files;
- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite:
  a consistent copy through SQLite's online backup API, safe while the site writes);
- `media/` and `private-media/`: the files of the default and the private storage
  (images, documents, certificate PDFs, exports).

Restoring refuses to overwrite a database that holds accounts, or storage folders that hold
files, unless told to replace them. Afterwards it checks the restored copy against the
manifest: the same number of rows in every table, and every file a row refers to present.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

__all__ = ["BackupError", "create_backup", "restore_backup"]

FORMAT = 1
STORAGE_FOLDERS = {"default": "media", "private": "private-media"}
KEEP = {".gitkeep"}


class BackupError(Exception):
    pass


@dataclass
class RestoreReport:
    archive: Path
    created_at: str
    tables: int
    rows: int
    files: int
    differences: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and not self.missing_files


# --- Reading the site ----------------------------------------------------------------------


def _engine(alias=DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _tables(alias=DEFAULT_DB_ALIAS) -> list[str]:
    """Every table Django knows that exists (models, many-to-many tables, migrations)."""
    existing = set(connections[alias].introspection.table_names())
    tables = {MigrationRecorder.Migration._meta.db_table}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables & existing)


def _count(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our table names
        counts[table] = cursor.fetchone()[0]
    return counts


def _row_counts(alias=DEFAULT_DB_ALIAS) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return _count(cursor, _tables(alias), connection.ops.quote_name)


def _storage_root(name: str) -> Path | None:
    storage = storages[name]
    if not isinstance(storage, FileSystemStorage):
        return None  # object storage keeps its own versions; nothing on this disk
    return Path(storage.location)


def _files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in KEEP)


def _folder_of(storage) -> str | None:
    location = getattr(storage, "location", None)  # resolves lazy storages too
    for name, folder in STORAGE_FOLDERS.items():
        root = _storage_root(name)
        if location is not None and root is not None and Path(location) == root:
            return folder
    return None


def _referenced_files() -> list[tuple[str, str]]:
    """(storage folder, name) of every file a row refers to (FileFields, images)."""
    referenced = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, models.FileField):
                continue
            folder = _folder_of(model_field.storage)
            if folder is None:
                continue
            names = (
                model._default_manager.exclude(**{f"{model_field.name}__isnull": True})
                .exclude(**{model_field.name: ""})
                .values_list(model_field.name, flat=True)
            )
            referenced += [(folder, name) for name in names]
    return referenced


# --- Backup ----------------------------------------------------------------------------------


def _pg_env(alias=DEFAULT_DB_ALIAS) -> dict[str, str]:
    conf = connections[alias].settings_dict
    env = {**os.environ, "PGDATABASE": conf["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[variable] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    if conf.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = conf["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], *, env=None) -> None:
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _dump_database(engine: str, target: Path) -> tuple[str, dict[str, int]]:
    """Write the database into `target`; (file name, rows per table in that very copy)."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = _tables()
    if engine == "postgresql":
        name = "database.dump"
        # pg_dump reads the snapshot our transaction exported: the counts and the dump see
        # the same rows, however busy the site is meanwhile.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count(cursor, tables, connection.ops.quote_name)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target / name),
                ],
                env=_pg_env(),
            )
        return name, counts
    name = "database.sqlite3"
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target / name)
    try:
        with copy:
            source.backup(copy)  # consistent even while the site writes
        counts = _count(copy.cursor(), tables, connection.ops.quote_name)
    finally:
        copy.close()
        source.close()
    return name, counts


def create_backup(*, directory: Path) -> Path:
    """Write one dated archive into `directory`; returns its path."""
    engine = _engine()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"digiskills-{stamp}.tar.gz"
    partial = archive.with_suffix(".partial")
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        scratch = Path(scratch)
        database, counts = _dump_database(engine, scratch)
        files = {}
        with tarfile.open(partial, "w:gz") as bundle:
            bundle.add(scratch / database, arcname=database)
            for storage_name, folder in STORAGE_FOLDERS.items():
                root = _storage_root(storage_name)
                found = _files_under(root) if root else []
                files[folder] = len(found)
                for path in found:
                    bundle.add(path, arcname=f"{folder}/{path.relative_to(root).as_posix()}")
            manifest = {
                "format": FORMAT,
                "created_at": timezone.localtime().isoformat(timespec="seconds"),
                "engine": engine,
                "database": database,
                "rows": counts,
                "files": files,
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            bundle.addfile(info, io.BytesIO(data))
    partial.rename(archive)
    archive.chmod(0o600)  # personal data
    return archive


# --- Restore ---------------------------------------------------------------------------------


def _read_manifest(bundle: tarfile.TarFile) -> dict:
    try:
        member = bundle.getmember("manifest.json")
    except KeyError:
        raise BackupError("This file is not a digiskills backup (no manifest.json).") from None
    manifest = json.load(bundle.extractfile(member))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _holds_data() -> list[str]:
    """What restoring would overwrite: accounts in the database, files in the storages."""
    found = []
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    connection = connections[DEFAULT_DB_ALIAS]
    if user_table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(user_table)}")  # noqa: S608
            accounts = cursor.fetchone()[0]
        if accounts:
            found.append(f"the database holds {accounts} accounts")
    for storage_name in STORAGE_FOLDERS:
        root = _storage_root(storage_name)
        if root and _files_under(root):
            found.append(f"{root} holds files")
    return found


def _safe_members(bundle: tarfile.TarFile, prefix: str):
    for member in bundle.getmembers():
        if member.name.startswith(prefix + "/") and member.isfile():
            relative = Path(member.name[len(prefix) + 1 :])
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"Refusing a path outside its folder: {member.name}")
            yield member, relative


def _restore_database(engine: str, source: Path) -> None:
    connections.close_all()
    if engine == "postgresql":
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            if tables:
                quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"DROP TABLE {quoted} CASCADE")
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
                str(source),
            ],
            env=_pg_env(),
        )
        return
    target_name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    backup = sqlite3.connect(source)
    target = sqlite3.connect(target_name)
    try:
        with target:
            backup.backup(target)  # page by page, WAL and all: the file stays one database
    finally:
        target.close()
        backup.close()


def _restore_files(bundle: tarfile.TarFile) -> int:
    restored = 0
    for storage_name, folder in STORAGE_FOLDERS.items():
        root = _storage_root(storage_name)
        if root is None:
            continue
        members = list(_safe_members(bundle, folder))
        root.mkdir(parents=True, exist_ok=True)
        for path in _files_under(root):
            path.unlink()
        for member, relative in members:
            destination = root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.extractfile(member) as source, open(destination, "wb") as target:
                shutil.copyfileobj(source, target)
            restored += 1
    return restored


def restore_backup(*, archive: Path, replace: bool = False) -> RestoreReport:
    """Restore `archive` over this site's database and storages, then check the copy."""
    engine = _engine()
    with tarfile.open(archive, "r:*") as bundle:
        manifest = _read_manifest(bundle)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this site uses {engine}."
            )
        if not replace:
            found = _holds_data()
            if found:
                raise BackupError(
                    "Nothing was changed: " + "; ".join(found) + ". Restore with --replace "
                    "(make restore ... REPLACE=1) to overwrite them."
                )
        with tempfile.TemporaryDirectory() as scratch:
            database = bundle.getmember(manifest["database"])
            bundle.extract(database, scratch, filter="data")
            _restore_database(engine, Path(scratch) / database.name)
        files = _restore_files(bundle)
    caches["default"].clear()  # sessions and pages kept for the data just replaced
    # Content types are cached by id in every process: read the restored copy's ids.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
    counts = _row_counts()
    differences = [
        f"{table}: {expected} rows in the backup, {counts.get(table)} restored"
        for table, expected in manifest["rows"].items()
        if counts.get(table) != expected
    ]
    missing = [
        f"{folder}/{name}"
        for folder, name in _referenced_files()
        if not (_storage_root(_storage_name(folder)) / name).is_file()
    ]
    return RestoreReport(
        archive=archive,
        created_at=manifest["created_at"],
        tables=len(counts),
        rows=sum(counts.values()),
        files=files,
        differences=differences,
        missing_files=missing,
    )


def _storage_name(folder: str) -> str:
    return next(name for name, f in STORAGE_FOLDERS.items() if f == folder)
