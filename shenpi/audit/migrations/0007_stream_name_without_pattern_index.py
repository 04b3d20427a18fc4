"""Drop the pattern-matching copy of the audit streams' key.

Django gives a character primary key on PostgreSQL a second index in varchar_pattern_ops
for LIKE 'prefix%'. No query reads streams by prefix (the supervisor's audit page selects
them by division), and it costs room in every case's stream. The key's own index stays."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'audit_auditstream' AND indexdef LIKE %s",
            ["%(name varchar_pattern_ops)%"],
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def make(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "audit_auditstream_name_like" '
            'ON "audit_auditstream" (name varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_sparse_references_indexed_where_set")]

    operations = [migrations.RunPython(drop, make)]
