

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_seal_personal_numbers'),
        ('catalog', '0002_itemversion_search_terms'),
        ('consult', '0004_question_lights_and_routing'),
        ('publishing', '0002_publication_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='faq',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-published_at', '-id'], name='faq_published'),
        ),
    ]
