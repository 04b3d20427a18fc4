
from django.db import migrations, models

# A starting table of what people type for what the catalogue says; administrators edit it.
STARTING = [
    "营业执照 企业登记 工商登记",
    "身份证 居民身份证",
    "小吃店 餐馆 饭店 餐饮店",
    "户口 户籍",
    "社保 社会保险",
    "公积金 住房公积金",
    "驾照 驾驶证",
    "续期 延续 换证",
    "补办 补领 补发",
    "更改 变更",
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(Synonym(words=words) for words in STARTING)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Synonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.CharField(help_text='以空格分隔的一组同义词，如：营业执照 企业登记', max_length=200, verbose_name='同义词组')),
                ('active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '同义词',
                'verbose_name_plural': '同义词',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
