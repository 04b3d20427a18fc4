"""A request for an extension lights its case (scan.sources.EXTENSIONS): asking and
deciding mark the case for the incremental scan, as the orders do (0003)."""

from django.db import migrations, models

COLUMNS = ("status", "case_id", "department_id")


def _changed(columns):
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


SQL = [
    "CREATE TRIGGER scan_dirty_extension_new AFTER INSERT OR DELETE ON cases_extensionrequest "
    "FOR EACH ROW EXECUTE FUNCTION shenpi_scan_dirty_of_case()",
    f"CREATE TRIGGER scan_dirty_extension_changed AFTER UPDATE ON cases_extensionrequest "
    f"FOR EACH ROW WHEN ({_changed(COLUMNS)}) EXECUTE FUNCTION shenpi_scan_dirty_of_case()",
]
DROP = [
    "DROP TRIGGER IF EXISTS scan_dirty_extension_new ON cases_extensionrequest",
    "DROP TRIGGER IF EXISTS scan_dirty_extension_changed ON cases_extensionrequest",
]


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in SQL:
            schema_editor.execute(statement)


def triggers_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_extension_requests"),
        ("supervision", "0013_rule_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="warning",
            name="kind",
            field=models.CharField(
                choices=[
                    ("promised", "承诺期限"),
                    ("statutory", "法定期限"),
                    ("step", "环节期限"),
                    ("correction", "一次性告知期限（第三十二条）"),
                    ("licence", "证照送达期限（第四十四条）"),
                    ("deemed_acceptance", "逾期视为受理（第三十二条）"),
                    ("deemed_renewal", "逾期视为准予延续（第五十条）"),
                    ("order", "督办答复期限"),
                    ("extension", "延期审批（第四十二条）"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.RunPython(triggers, triggers_back),
    ]
