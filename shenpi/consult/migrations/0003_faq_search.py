"""FAQ found by words, synonyms and pinyin (issue 22): the terms, on PostgreSQL a generated
vector with its GIN index; answers written before kept as safe HTML."""

from django.db import migrations, models

from shenpi.search.schema import add_search_vector


def fill(apps, schema_editor):
    from shenpi.common.richtext import plain_text, safe_html
    from shenpi.search.terms import index_terms

    Faq = apps.get_model("consult", "Faq")
    Entry = apps.get_model("consult", "Entry")
    for faq in Faq.objects.iterator(500):
        faq.answer = safe_html(faq.answer)
        faq.title_terms = index_terms(whole=faq.title)
        faq.body_terms = index_terms(plain_text(faq.answer))
        faq.save(update_fields=["answer", "title_terms", "body_terms"])
    for entry in Entry.objects.filter(kind="answer").iterator(500):
        entry.text = safe_html(entry.text)
        entry.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("consult", "0002_faq"), ("search", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="faq",
            name="title_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="faq",
            name="body_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(*add_search_vector("consult_faq", "faq_search")),
    ]
