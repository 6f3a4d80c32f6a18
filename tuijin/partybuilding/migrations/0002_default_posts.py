"""The eight volunteer-post categories used in practice (中江县 “一单、一表、一卡”); the office can change them."""

from django.db import migrations

POSTS = ["组织建设", "法律咨询与援助", "助困扶残与就业援助", "社区治理", "健康医疗", "文化体育", "安全宣传与治安巡逻", "其他"]


def add_posts(apps, schema_editor):
    Post = apps.get_model("partybuilding", "Post")
    for order, name in enumerate(POSTS, start=1):
        Post.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0001_initial")]

    operations = [migrations.RunPython(add_posts, migrations.RunPython.noop)]
