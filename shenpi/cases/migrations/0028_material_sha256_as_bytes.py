"""A material's SHA-256 kept as its 32 bytes instead of 64 hex characters, read and written
as hex as before (common/digest_field.py). PostgreSQL decodes the existing text in place;
on SQLite the column takes the bytes as they come and the field reads old text as it is."""

from django.db import migrations

import shenpi.common.digest_field


def to_bytes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_casematerial ALTER COLUMN sha256 TYPE bytea "
            "USING decode(sha256, 'hex')"
        )


def to_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_casematerial ALTER COLUMN sha256 TYPE varchar(64) "
            "USING encode(sha256, 'hex')"
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0027_numbers_without_pattern_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(to_bytes, to_text)],
            state_operations=[
                migrations.AlterField(
                    model_name="casematerial",
                    name="sha256",
                    field=shenpi.common.digest_field.HexDigestField(),
                )
            ],
        )
    ]
