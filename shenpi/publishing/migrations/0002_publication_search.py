"""Policies found by words, synonyms and pinyin (issue 22): the terms, on PostgreSQL a
generated vector with its GIN index."""

from django.db import migrations, models

from shenpi.search.schema import add_search_vector


def fill(apps, schema_editor):
    from shenpi.search.terms import index_terms

    Publication = apps.get_model("publishing", "Publication")
    for p in Publication.objects.iterator(500):
        p.title_terms = index_terms(p.document_number, whole=p.title)
        p.body_terms = index_terms(p.body)
        p.save(update_fields=["title_terms", "body_terms"])


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial"), ("search", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="title_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="publication",
            name="body_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(*add_search_vector("publishing_publication", "publication_search")),
    ]
