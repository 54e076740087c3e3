"""Migration operations that keep a large production table writable while they run."""

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex, AlterField


class AddIndexWithoutBlocking(AddIndexConcurrently):
    """`CREATE INDEX CONCURRENTLY` on PostgreSQL, where requests keep arriving while a big table is indexed;
    a plain index elsewhere (SQLite has no such option and no concurrent writers to wait). The migration
    must say `atomic = False`."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class DropForeignKeyIndex(AlterField):
    """Turns `db_index` off on a foreign key by dropping its index alone. Django's own AlterField drops the
    constraint and adds it back, which checks every row of a large table again while writes wait; here the
    constraint stays as it is. The index goes CONCURRENTLY on PostgreSQL: the migration must say
    `atomic = False`."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._index(schema_editor, to_state.apps.get_model(app_label, self.model_name), drop=True)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._index(schema_editor, to_state.apps.get_model(app_label, self.model_name), drop=False)

    def _index(self, schema_editor: Any, model: Any, drop: bool) -> None:
        column = model._meta.get_field(self.name).column
        table = model._meta.db_table
        # The name Django gave the index when it made the foreign key.
        name = schema_editor.quote_name(schema_editor._create_index_name(table, [column], suffix=""))
        concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
        if drop:
            schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")
        else:
            quoted = f"{schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})"
            schema_editor.execute(f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON {quoted}")
