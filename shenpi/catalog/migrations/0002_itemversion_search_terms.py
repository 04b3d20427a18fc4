"""Items found by words, synonyms and full pinyin (issue 22): every version's terms."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from shenpi.search.terms import index_terms

    ItemVersion = apps.get_model("catalog", "ItemVersion")
    for version in ItemVersion.objects.select_related("item__department").iterator(500):
        department = version.item.department
        materials = version.materials.values_list("name", flat=True)
        version.search_terms = index_terms(
            department.name, department.short_name, *materials, whole=version.name
        )
        version.save(update_fields=["search_terms"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="itemversion",
            name="search_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
