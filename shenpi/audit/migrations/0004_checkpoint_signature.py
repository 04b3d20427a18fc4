"""Checkpoints signed with a key held outside the database, and the audit tables
append-only in PostgreSQL (issue 29, 11): a trigger refuses UPDATE and DELETE on records,
checkpoints and their entries. Existing checkpoints are signed as they stand."""

from django.db import migrations, models

TABLES = ["audit_auditrecord", "audit_auditcheckpoint", "audit_auditcheckpointentry"]


def sign_existing(apps, schema_editor):
    from shenpi.audit.hashing import checkpoint_signature

    AuditCheckpoint = apps.get_model("audit", "AuditCheckpoint")
    for checkpoint in AuditCheckpoint.objects.filter(signature=""):
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
            signature=checkpoint_signature(checkpoint.hash)
        )


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'the audit log is append-only: %% on %% refused', TG_OP, TG_TABLE_NAME; "
        "END $$ LANGUAGE plpgsql"
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


def not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_stream_division"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditcheckpoint",
            name="signature",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_existing, migrations.RunPython.noop),
        migrations.RunPython(append_only, not_append_only),
    ]
