"""The system client that submitted a case (issue 29, 2): the only client on the
applicant's side of it. Earlier cases take theirs from the audit record of their draft or
submission."""

import django.db.models.deletion
from django.db import migrations, models


def from_the_audit(apps, schema_editor):
    AuditRecord = apps.get_model("audit", "AuditRecord")
    Case = apps.get_model("cases", "Case")
    rows = (
        AuditRecord.objects.filter(
            action__in=["case.draft", "case.submit"],
            client__isnull=False,
            stream__startswith="case:",
        )
        .values_list("stream", "client_id")
        .iterator(chunk_size=2000)
    )
    for stream, client_id in rows:
        Case.objects.filter(pk=stream.split(":", 1)[1], submitted_by_client__isnull=True).update(
            submitted_by_client_id=client_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0002_drop_unread_object_index"),
        ("cases", "0012_counters_for_every_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="submitted_by_client",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.systemclient",
            ),
        ),
        migrations.RunPython(from_the_audit, migrations.RunPython.noop),
    ]
