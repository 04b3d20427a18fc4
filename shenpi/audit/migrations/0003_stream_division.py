"""Each audit stream's division, so that a supervisor reads only their subtree's streams
(issue 29, 1). Existing streams are given theirs: a case's in batches, the few others one
by one through the resolvers the apps register."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from shenpi.audit.services import stream_division

    AuditStream = apps.get_model("audit", "AuditStream")
    Case = apps.get_model("cases", "Case")
    names = AuditStream.objects.filter(name__startswith="case:").values_list("name", flat=True)
    batch: list[str] = []

    def flush():
        keys = {name.split(":", 1)[1]: name for name in batch}
        by_division: dict[str, list[str]] = {}
        for pk, division in Case.objects.filter(pk__in=list(keys)).values_list("pk", "division_id"):
            by_division.setdefault(division, []).append(keys[str(pk)])
        for division, streams in by_division.items():
            AuditStream.objects.filter(name__in=streams).update(division=division)
        batch.clear()

    for name in names.iterator(chunk_size=2000):
        batch.append(name)
        if len(batch) == 2000:
            flush()
    if batch:
        flush()
    for stream in AuditStream.objects.exclude(name__startswith="case:").only("name"):
        division = stream_division(stream.name)
        if division:
            AuditStream.objects.filter(pk=stream.pk).update(division=division)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_drop_unread_object_index"),
        ("cases", "0012_counters_for_every_number"),
        ("supervision", "0011_rating_channel_and_confirmation"),
        ("catalog", "0001_initial"),
        ("publishing", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditstream",
            name="division",
            field=models.CharField(blank=True, default="", max_length=6, verbose_name="区划"),
        ),
        migrations.AddIndex(
            model_name="auditstream",
            index=models.Index(fields=["division"], name="audit_stream_division"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
