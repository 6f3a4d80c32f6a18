"""办实事 lists live on the task engine (plan kind "practical"); their public page needs no sign-in and shows each
item's lead unit, status in plain words, completion date and latest published summary — nothing internal."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tuijin.core.models import AuditEvent
from tuijin.lib.tests.sheets import task_list
from tuijin.tasks import services as tasks
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan, Task

from .. import practical
from ..models import PracticalList, PublicUpdate
from .conftest import login

OWNER = "钱负责人"


def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def practical_plan(sup):
    return tasks.create_plan(
        actor=sup, name="2026年“我为群众办实事”项目清单", year=2026, kind=Plan.Kind.PRACTICAL
    )


@pytest.fixture
def items(practical_plan, sup, alice, unit_a, unit_b, tmp_path):
    """Three items: one closed with evidence, one in progress with an internal report, one not started."""
    make = lambda n, title, lead: tasks.create_task(  # noqa: E731
        actor=sup, plan=practical_plan, number=n, title=title, lead_units=[lead], limit_text="年底前", owner=OWNER,
        leader="周副市长",
    )  # fmt: skip
    done, active, pending = make("1", "老旧小区加装电梯20部", unit_a), make("2", "新增公办幼儿园学位", unit_a), \
        make("3", "背街小巷改造", unit_b)  # fmt: skip
    for task in (done, active):
        tasks.acknowledge(actor=alice, task=task)
    tasks.submit_report(actor=alice, task=active, text="内部：资金缺口300万元待协调", progress=40)
    photo = check_upload(SimpleUploadedFile("电梯.jpg", tiny_jpeg(), content_type="image/jpeg"))
    tasks.request_closure(actor=alice, task=done, note="已全部完工", files=[photo])
    tasks.close_task(actor=sup, task=Task.objects.for_list().get(pk=done.pk))
    practical.write_public_update(actor=sup, task=done, text="20部电梯全部投入使用", publish=True)
    practical.write_public_update(actor=alice, task=active, text="草稿：尚未公开的进展")
    return done, active, pending


@pytest.fixture
def public(practical_plan, sup):
    return practical.save_practical_list(actor=sup, plan=practical_plan, is_public=True, title="我为群众办实事",
                                         intro="今年我们承诺为群众办好以下实事。")  # fmt: skip


@pytest.mark.django_db
def test_it_makes_practical_lists_with_the_existing_plan_and_task_pages(client, sup, unit_a):
    login(client, sup)
    client.post(reverse("plan_create"), {"name": "2026年办实事清单", "year": 2026, "kind": "practical",
                                         "cadence": "monthly", "report_day": 25, "yellow_workdays": 3,
                                         "progress_lag_points": 10})  # fmt: skip
    plan = Plan.objects.get(name="2026年办实事清单")
    assert plan.kind == Plan.Kind.PRACTICAL
    response = client.post(reverse("task_create", args=[plan.code]), {
        "number": "1", "title": "新建口袋公园10个", "lead_units": [unit_a.pk], "limit_text": "年底前",
        "source_kind": "deployment"})  # fmt: skip
    assert response.status_code == 302 and plan.tasks.count() == 1
    assert (
        "新建口袋公园10个" in client.get(reverse("party_practical_manage", args=[plan.code])).content.decode()
    )


@pytest.mark.django_db
def test_it_imports_items_into_a_practical_list(client, sup, practical_plan, unit_a, settings, tmp_path):
    settings.IMPORT_TEMP_DIR = tmp_path
    login(client, sup)
    data = task_list(
        [{"number": 1, "title": "改造老旧管网5公里", "lead": "中原科技城管委会", "limit": "10月底前"}]
    )
    response = client.post(reverse("plan_import", args=[practical_plan.code]),
                           {"plan": str(practical_plan.code), "file": SimpleUploadedFile("清单.xlsx", data)})  # fmt: skip
    client.post(response["Location"] + "confirm/")
    assert list(practical_plan.tasks.values_list("title", flat=True)) == ["改造老旧管网5公里"]


@pytest.mark.django_db
def test_it_shows_the_public_page_without_signing_in(client, items, public, practical_plan):
    response = client.get(reverse("party_practical_public", args=[practical_plan.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "我为群众办实事" in page and "今年我们承诺" in page
    statuses = dict(zip(["done", "active", "pending"], [i.title for i in items], strict=True))
    for status, title in statuses.items():
        assert title in page and f'data-status="{status}"' in page
    assert "中原科技城管委会" in page and "市科技局" in page
    assert "20部电梯全部投入使用" in page
    today = datetime.date.today()
    assert f"{today.year}年{today.month}月{today.day}日" in page  # completed today, written the Chinese way


@pytest.mark.django_db
def test_it_never_shows_internal_notes_persons_or_evidence(client, items, public, practical_plan, alice, sup):
    page = client.get(reverse("party_practical_public", args=[practical_plan.code])).content.decode()
    for secret in ("资金缺口", "草稿", OWNER, "周副市长", "已全部完工", alice.display_name, sup.display_name,
                   "/evidence/", "电梯.jpg", practical_plan.name):  # fmt: skip
        assert secret not in page, secret
    assert "csrf" not in page.lower() and "<script" not in page


@pytest.mark.django_db
def test_it_hides_lists_not_made_public_and_other_plans(client, items, practical_plan, plan, sup):
    assert client.get(reverse("party_practical_public", args=[practical_plan.code])).status_code == 404
    practical.save_practical_list(actor=sup, plan=practical_plan, is_public=False)
    assert client.get(reverse("party_practical_public", args=[practical_plan.code])).status_code == 404
    assert client.get(reverse("party_practical_public", args=[plan.code])).status_code == 404
    with pytest.raises(practical.PartyError):
        practical.save_practical_list(actor=sup, plan=plan, is_public=True)


@pytest.mark.django_db
def test_it_costs_the_same_queries_for_three_items_or_thirty(client, items, public, practical_plan, sup, unit_a,
                                                             django_assert_num_queries):  # fmt: skip
    """django_assert_num_queries with the count of the small list: the long one must cost no more."""
    url = reverse("party_practical_public", args=[practical_plan.code])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert (
        len(captured.captured_queries) <= 5
    )  # plan, its settings, tasks, their lead units, published summaries
    for n in range(27):
        task = tasks.create_task(
            actor=sup, plan=practical_plan, number=str(10 + n), title=f"实事{n}", lead_units=[unit_a]
        )
        practical.write_public_update(actor=sup, task=task, text=f"进展{n}", publish=True)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert "实事26" in client.get(url).content.decode()


@pytest.mark.django_db
def test_it_lets_the_lead_unit_draft_and_the_office_publish(
    client, items, public, practical_plan, alice, bob, sup
):
    done, active, pending = items
    login(client, alice)
    client.post(
        reverse("party_public_update_create", args=[active.code]), {"text": "擅自发布", "publish": "on"}
    )
    assert not PublicUpdate.objects.filter(text="擅自发布").exists()  # a unit cannot publish
    client.post(reverse("party_public_update_create", args=[active.code]), {"text": "已完成选址"})
    draft = PublicUpdate.objects.get(text="已完成选址")
    assert draft.published_at is None
    client.post(reverse("party_public_update_create", args=[pending.code]), {"text": "不是我的"})
    assert not PublicUpdate.objects.filter(text="不是我的").exists()
    assert client.post(reverse("party_public_update_action", args=[draft.code, "publish"])).status_code == 403
    client.logout()
    public_url = reverse("party_practical_public", args=[practical_plan.code])
    assert "已完成选址" not in client.get(public_url).content.decode()
    login(client, sup)
    page = client.get(reverse("party_practical_manage", args=[practical_plan.code])).content.decode()
    assert f'data-testid="publish-{draft.code}"' in page
    client.post(reverse("party_public_update_action", args=[draft.code, "publish"]))
    client.logout()
    assert "已完成选址" in client.get(public_url).content.decode()
    assert AuditEvent.objects.filter(action="party.public_update.publish", object_id=str(draft.pk)).exists()


@pytest.mark.django_db
def test_it_keeps_the_settings_to_the_office(client, practical_plan, items, alice, sup):
    login(client, alice)
    url = reverse("party_practical_settings", args=[practical_plan.code])
    assert client.post(url, {"is_public": "on"}).status_code == 403
    client.logout()
    login(client, sup)
    client.post(url, {"is_public": "on", "title": "办实事", "intro": ""})
    assert PracticalList.objects.get(plan=practical_plan).is_public
    assert AuditEvent.objects.filter(action="party.practical.update").exists()


@pytest.mark.django_db
def test_it_lists_practical_plans_by_what_each_user_sees(client, items, practical_plan, bob, charlie, sup):
    for who, sees in ((sup, True), (bob, True), (charlie, False)):
        login(client, who)
        page = client.get(reverse("party_practical_list")).content.decode()
        assert (practical_plan.name in page) is sees
        client.logout()
    login(client, charlie)
    assert client.get(reverse("party_practical_manage", args=[practical_plan.code])).status_code == 404
