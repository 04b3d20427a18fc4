"""One counter table for case, licence and notice numbers (issue 20, defect 6).

Case numbers carry on from the old per-division, per-day counters; licence and notice
numbers, which were counted (count() + 1), carry on from the highest number each
department has issued in each year, so that no number already given is drawn again.
"""

import re

from django.db import migrations, models
from django.utils import timezone


def carry_on(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    Counter = apps.get_model("cases", "Counter")
    Licence = apps.get_model("cases", "Licence")
    Notice = apps.get_model("cases", "Notice")
    last: dict[str, int] = {}
    for division_id, day, n in CaseCounter.objects.values_list("division_id", "day", "last"):
        last[f"case:{division_id}:{day:%Y%m%d}"] = n
    for code, issued_at, number in Licence.objects.values_list(
        "department__code", "issued_at", "number"
    ):
        key = f"licence:{code}:{timezone.localtime(issued_at).year}"
        tail = re.search(r"(\d{6})$", number)
        last[key] = max(last.get(key, 0), int(tail.group(1)) if tail else 0)
    for code, issued_at, number in Notice.objects.values_list(
        "department__code", "issued_at", "number"
    ):
        key = f"notice:{code}:{timezone.localtime(issued_at).year}"
        tail = re.search(r"第(\d+)号$", number)
        last[key] = max(last.get(key, 0), int(tail.group(1)) if tail else 0)
    Counter.objects.bulk_create(Counter(key=k, last=n) for k, n in last.items())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_repair_upper_level_lower_review"),
    ]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("key", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("last", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(carry_on, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="CaseCounter",
        ),
    ]
