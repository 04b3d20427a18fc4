"""The FAQ search's order (newest first) as an index of the published FAQ."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consult', '0004_question_lights_and_routing'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='faq',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-published_at', '-id'], name='faq_published'),
        ),
    ]
