"""An audit record's hash kept as its bytes (33 bytes a row instead of 65), read and
written as hex as before. PostgreSQL decodes the existing text in place; on SQLite the
column takes the bytes as they come and the field reads old text as it is."""

from django.db import migrations

import shenpi.common.digest_field


def to_bytes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_auditrecord ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex')"
        )


def to_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_auditrecord ALTER COLUMN hash TYPE varchar(64) "
            "USING encode(hash, 'hex')"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_stream_name_without_pattern_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(to_bytes, to_text)],
            state_operations=[
                migrations.AlterField(
                    model_name="auditrecord",
                    name="hash",
                    field=shenpi.common.digest_field.HexDigestField(),
                )
            ],
        )
    ]
