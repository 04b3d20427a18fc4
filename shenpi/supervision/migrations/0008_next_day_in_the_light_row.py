from django.db import migrations, models

# The scan's next day of change moves into the case's light row (LightClock is gone), and
# the row has no index but its key: a day's new lights and dates are then heap-only
# updates, in the room a fill factor of 50 leaves on each page (PostgreSQL only).
# The judgement's version (lights._LOGIC) is raised with this, so the first scan after
# it judges every case and writes each one's next day.


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supervision_caselight SET (fillfactor = 50)")


def green_rows_back(apps, schema_editor):
    # Back to rows for lit cases only (the light NOT NULL again), and to a scan that judges
    # every case next time and rebuilds its clock.
    apps.get_model("supervision", "CaseLight").objects.filter(light__isnull=True).delete()
    apps.get_model("supervision", "ScanState").objects.all().delete()


def fill_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supervision_caselight RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0007_one_card"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="caselight", name="case_light_by_due"),
        migrations.AlterField(
            model_name="caselight",
            name="light",
            field=models.CharField(
                choices=[("yellow", "黄牌"), ("red", "红牌")], max_length=6, null=True
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, green_rows_back),
        migrations.AddField(
            model_name="caselight",
            name="next_on",
            field=models.DateField(null=True),
        ),
        migrations.DeleteModel(name="LightClock"),
        migrations.RunPython(fill, fill_back),
    ]
