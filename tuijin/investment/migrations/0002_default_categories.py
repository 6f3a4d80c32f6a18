from django.db import migrations

DEFAULT_CATEGORIES = ["头部企业", "高科技企业", "大院名所研究机构", "人才创新团队"]


def add_categories(apps, schema_editor):
    ProjectCategory = apps.get_model("investment", "ProjectCategory")
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        ProjectCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
