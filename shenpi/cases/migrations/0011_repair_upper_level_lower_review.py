"""Repair the two-level cases that were filed at the item's own organ (issue 20, 1).

Until this release the apply page and the upper organ's window offered the item's
own division for a two-level item. Such a case's "lower review" step was owned by the
upper department itself, which then reviewed "below" itself, and the page could not
complete it. Art. 35 asks for a lower organ's review only where a lower organ took the
case: for these cases the step has nothing to review. Each such open step is closed
with a note saying so, the next stage opens as it would have, and the case's staff
timeline records the repair. Cases filed since choose a city or county.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

NOTE = "本件由本级部门直接受理，无下级机关审查（《行政许可法》第三十五条），系统修复时关闭本环节。"


def repair(apps, schema_editor):
    from shenpi.core import clock
    from shenpi.core.flow import parse_flow, steps_opened_by
    from shenpi.workdays.services import calendar

    Case = apps.get_model("cases", "Case")
    Task = apps.get_model("cases", "Task")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Department = apps.get_model("accounts", "Department")
    now = timezone.now()
    today = timezone.localdate(now)
    cal = None
    stuck = (
        Case.objects.filter(status="processing", version__two_level=True)
        .filter(department_id=F("item__department_id"))
        .select_related("version")
    )
    for case in stuck:
        flow = parse_flow(case.version.flow)
        local = {s.key for s in flow.steps if s.owner.kind}
        for task in Task.objects.filter(
            case=case, step_key__in=local, status__in=["open", "claimed"]
        ):
            done = set(
                Task.objects.filter(case=case, status="done").values_list("step_key", flat=True)
            )
            task.status, task.completed_at, task.opinion = "done", now, NOTE
            task.save(update_fields=["status", "completed_at", "opinion"])
            cal = cal or calendar(today)
            opened = steps_opened_by(flow, done, task.step_key)
            departments = {
                d.code: d
                for d in Department.objects.filter(
                    code__in=[s.owner.department for s in opened if s.owner.department]
                )
            }
            Task.objects.bulk_create(
                Task(
                    case=case,
                    step_key=step.key,
                    step_name=step.name,
                    stage=0,
                    department_id=case.department_id
                    if step.owner.kind
                    else departments[step.owner.department].pk,
                    role=step.role,
                    opened_at=now,
                    due_date=clock.add_working_days(cal, today, step.days),
                )
                for step in opened
            )
            CaseEvent.objects.create(
                case=case,
                at=now,
                kind="step_done",
                text=f"{task.step_name}：{NOTE}",
                department_id=task.department_id,
                public=False,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_day_figures_from_the_index"),
        ("workdays", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
