"""Drop the pattern-matching copies of the unique indexes on case and notice numbers.

Django gives a unique character column on PostgreSQL a second index in
varchar_pattern_ops for LIKE 'prefix%'. Nothing here matches numbers by prefix (the
public search's icontains compares upper-cased text, which that index cannot serve), and
the two cost room in every case. The unique indexes stay."""

from django.db import migrations

PATTERN_INDEXES = """
    SELECT indexname FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = %s
      AND indexdef LIKE %s
"""


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in ("cases_case", "cases_notice"):
            cursor.execute(PATTERN_INDEXES, [table, "%(number varchar_pattern_ops)%"])
            for (name,) in cursor.fetchall():
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def make(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in (("cases_case", "cases_case_number_like"),
                        ("cases_notice", "cases_notice_number_like")):  # fmt: skip
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" (number varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0026_sparse_references_indexed_where_set")]

    operations = [migrations.RunPython(drop, make)]
