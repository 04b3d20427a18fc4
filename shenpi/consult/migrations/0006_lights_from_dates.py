"""A question's light is read from its dates, not stored (lights.py): the column and its
index go; the scan keeps only the day up to which it told heads of red questions."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consult', '0005_faq_published'),
    ]

    operations = [
        migrations.CreateModel(
            name='LightsState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('told_until', models.DateField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name='question',
            name='question_watched',
        ),
        migrations.RemoveField(
            model_name='question',
            name='light',
        ),
        migrations.AddIndex(
            model_name='question',
            index=models.Index(condition=models.Q(('status__in', ('open', 'claimed')), models.Q(('head_review_due__isnull', False), ('head_reviewed_at__isnull', True)), _connector='OR'), fields=['department'], name='question_watched'),
        ),
    ]
