from django.db import migrations

# Each open light's plan (PostgreSQL only; the portable scan judges every case each time
# and keeps none): what its card says (case, step, kind, due date, department, rule) and the
# day it turns yellow. A light's colour on any day follows from these two dates alone, so
# the lights that time turned since the last scan are read from here, without reading the
# cases, their steps, the rules or the calendar again (lights.py). A case that changed
# (the triggers of migration 0003) is judged from its rows and planned anew. Not a model:
# only the scan's SQL reads and writes it, and a full scan rebuilds it.
# The judgement's version (lights._LOGIC) is raised with this, so the first scan after it
# judges every case and writes every plan.

SQL = [
    "CREATE TABLE supervision_lightplan (case_id uuid NOT NULL, task_id uuid, "
    "due date NOT NULL, yellow_on date, department_id uuid NOT NULL, "
    "kind varchar(20) NOT NULL, rule_id varchar(12) NOT NULL)",
    "CREATE INDEX lightplan_by_case ON supervision_lightplan (case_id)",
    # A case deleted (its cards and light row go with it, by Django's cascade) is judged at
    # the next scan as a closed one, so that its plans go too and time turns nothing of it.
    "CREATE TRIGGER scan_dirty_case_gone AFTER DELETE ON cases_case "
    "FOR EACH ROW EXECUTE FUNCTION shenpi_scan_dirty_case()",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in SQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS scan_dirty_case_gone ON cases_case")
        schema_editor.execute("DROP TABLE IF EXISTS supervision_lightplan")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0008_next_day_in_the_light_row"),
    ]

    operations = [
        # The next day of change per case (0008) is no longer kept: the plans tell it.
        migrations.RemoveField(model_name="caselight", name="next_on"),
        migrations.RunPython(create, drop),
    ]
