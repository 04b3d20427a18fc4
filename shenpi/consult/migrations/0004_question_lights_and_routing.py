"""Supervision's lights on questions (the running deadline planned, the scan's index) and the
service centre's routing of general questions (issue 22)."""

from django.db import migrations, models
from django.utils import timezone


def starts(apps, schema_editor):
    """The running deadlines' starts of the questions asked before lights: the day asked,
    or the day rated 不满意; the next deadline scan plans their yellow days."""
    Question = apps.get_model("consult", "Question")
    for q in Question.objects.filter(term_start__isnull=True).iterator(500):
        if q.status in ("open", "claimed"):
            q.term_start = timezone.localdate(q.asked_at)
        elif q.head_review_due and not q.head_reviewed_at and q.rated_at:
            q.term_start = timezone.localdate(q.rated_at)
        else:
            continue
        q.save(update_fields=["term_start"])


class Migration(migrations.Migration):

    dependencies = [
        ('consult', '0003_faq_search'),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="routed",
            field=models.BooleanField(default=False, verbose_name="已分派"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("question", "提问"),
                    ("answer", "答复"),
                    ("details", "请补充说明"),
                    ("follow_up", "追问"),
                    ("transfer", "转办"),
                    ("route", "分派"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name='question',
            name='light',
            field=models.CharField(blank=True, max_length=6, null=True, verbose_name='预警'),
        ),
        migrations.AddField(
            model_name='question',
            name='planned_with',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='question',
            name='term_start',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='question',
            name='yellow_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='question',
            index=models.Index(condition=models.Q(('status__in', ('open', 'claimed')), models.Q(('head_review_due__isnull', False), ('head_reviewed_at__isnull', True)), ('light__isnull', False), _connector='OR'), fields=['department', 'light'], name='question_watched'),
        ),
        migrations.RunPython(starts, migrations.RunPython.noop),
    ]
