"""PostgreSQL-only indexes on other apps' tables, for the reports' migrations: INCLUDE and
partial indexes that the models' Meta cannot state for every database."""

from django.db import migrations


def postgresql_indexes(indexes: list[tuple[str, str]]) -> migrations.RunPython:
    """An operation creating `indexes` ((name, "table (columns) ...") pairs) on PostgreSQL
    and dropping them when reversed; on any other database it does nothing."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, target in indexes:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _ in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
