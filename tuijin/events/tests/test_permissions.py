"""Who may see and do what, for every role: anonymous visitors sign in first; the office organises; leaders read
everything; the lead and supporting units of an activity read the programme and sign off only their own items;
an outsider unit finds nothing (404); the 三员 and other roles have no business here (403)."""

import datetime

import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.events import checklist
from tuijin.events.models import Activity, ChecklistItem
from tuijin.org.models import Role

from .conftest import login

READERS = ["sup", "leader", "alice", "bob"]
NON_ORGANISERS = ["leader", "alice", "bob", "charlie"]
THREE = ["auditor", "sysadmin", "secadmin"]


def read_urls(programme, activity):
    code = programme.code
    return [
        reverse("events_programme_detail", args=[code]),
        reverse("events_activity_detail", args=[activity.code]),
        reverse("events_run_sheet", args=[code]),
        reverse("events_run_sheet_docx", args=[code]) + "?date=2026-04-19",
        reverse("events_run_sheet_xlsx", args=[code]) + "?date=2026-04-19",
    ]


def organiser_urls(programme, activity, template):
    return [
        reverse("events_programme_create"),
        reverse("events_programme_edit", args=[programme.code]),
        reverse("events_activity_create", args=[programme.code]),
        reverse("events_activity_edit", args=[activity.code]),
        reverse("events_generate", args=[activity.code]),
        reverse("events_template_list"),
        reverse("events_template_create"),
        reverse("events_template_detail", args=[template.code]),
        reverse("events_template_edit", args=[template.code]),
    ]


def organiser_posts(programme, activity, template, item):
    return [
        reverse("events_programme_create"),
        reverse("events_activity_create", args=[programme.code]),
        reverse("events_activity_edit", args=[activity.code]),
        reverse("events_activity_delete", args=[activity.code]),
        reverse("events_generate", args=[activity.code]),
        reverse("events_prep_task_add", args=[activity.code]),
        reverse("events_prep_task_link", args=[activity.code]),
        reverse("events_check_add", args=[activity.code]),
        reverse("events_check_delete", args=[item.code]),
        reverse("events_template_standard"),
        reverse("events_template_detail", args=[template.code]),
        reverse("events_template_item_delete", args=[template.items.first().code]),
    ]


@pytest.fixture
def world(programme, ceremony, template, item):
    return programme, ceremony, template, item


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    programme, activity, template, item = world
    urls = [reverse("events_programme_list"), *read_urls(programme, activity),
            *organiser_urls(programme, activity, template)]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    for url in [
        reverse("events_check_sign", args=[item.code]),
        reverse("events_check_undo", args=[item.code]),
    ]:
        assert client.post(url)["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_it_lets_the_office_leaders_and_the_units_of_an_activity_read(client, world, who, request):
    programme, activity, _template, _item = world
    login(client, request.getfixturevalue(who))
    assert programme.name in client.get(reverse("events_programme_list")).content.decode()
    for url in read_urls(programme, activity):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_it_shows_an_outsider_unit_nothing(client, world, charlie):
    programme, activity, _template, item = world
    login(client, charlie)
    assert programme.name not in client.get(reverse("events_programme_list")).content.decode()
    for url in read_urls(programme, activity):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("events_check_sign", args=[item.code])).status_code == 404


@pytest.mark.django_db
def test_it_shows_a_unit_the_programme_once_it_answers_for_a_checklist_item(
    client, world, sup, charlie, unit_c
):
    programme, activity, _template, _item = world
    checklist.add_item(actor=sup, activity=activity, title="医疗保障到位", unit=unit_c)
    login(client, charlie)
    assert client.get(reverse("events_programme_detail", args=[programme.code])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", THREE + ["applicant"])
def test_it_refuses_the_three_administrators_and_other_roles(client, world, who, request):
    programme, activity, template, item = world
    user = make_user("applicant", Role.APPLICANT) if who == "applicant" else request.getfixturevalue(who)
    login(client, user)
    for url in [reverse("events_programme_list"), *read_urls(programme, activity),
                *organiser_urls(programme, activity, template)]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("events_check_sign", args=[item.code])).status_code == 403
    assert client.post(reverse("events_check_undo", args=[item.code]), {"reason": "x"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", NON_ORGANISERS)
def test_it_keeps_the_organiser_pages_and_writes_for_the_office(client, world, who, request):
    programme, activity, template, item = world
    login(client, request.getfixturevalue(who))
    for url in organiser_urls(programme, activity, template):
        assert client.get(url).status_code == 403, url
    for url in organiser_posts(programme, activity, template, item):
        assert client.post(url, {"title": "x", "name": "x"}).status_code in (403, 404), url
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_it_lets_the_office_use_every_organiser_page(client, world, sup):
    programme, activity, template, _item = world
    login(client, sup)
    for url in organiser_urls(programme, activity, template):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [("alice", 302), ("bob", 403), ("leader", 403), ("sup", 403)])
def test_it_lets_only_the_responsible_unit_sign_off(client, world, who, status, request):
    _programme, _activity, _template, item = world
    login(client, request.getfixturevalue(who))
    assert client.post(reverse("events_check_sign", args=[item.code])).status_code == status
    item.refresh_from_db()
    assert item.is_signed is (status == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [("sup", 302), ("alice", 403), ("bob", 403), ("leader", 403)])
def test_it_lets_only_the_office_undo_a_sign_off(client, world, alice, who, status, request):
    _programme, _activity, _template, item = world
    checklist.sign_off(actor=alice, item=item)
    login(client, request.getfixturevalue(who))
    response = client.post(reverse("events_check_undo", args=[item.code]), {"reason": "验收记录不全"})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.is_signed is (status != 302)


@pytest.mark.django_db
def test_it_shows_the_leader_no_buttons(client, world, leader):
    programme, activity, _template, _item = world
    login(client, leader)
    for url in (reverse("events_programme_detail", args=[programme.code]),
                reverse("events_activity_detail", args=[activity.code])):  # fmt: skip
        page = client.get(url).content.decode()
        for testid in (
            "new-activity",
            "edit-programme",
            "generate",
            "edit-activity",
            "sign-off",
            "open-undo",
        ):
            assert f'data-testid="{testid}"' not in page


@pytest.mark.django_db
def test_it_shows_a_supporting_unit_the_whole_day_but_only_its_own_tasks(
    client, world, sup, bob, unit_a, unit_b
):
    from tuijin.events import preparation

    programme, activity, _template, _item = world
    preparation.add_prep_task(actor=sup, activity=activity, category="安全", title="拜祖大典：安保方案",
                              lead_units=[unit_a], deadline=datetime.date(2026, 4, 10))  # fmt: skip
    preparation.add_prep_task(actor=sup, activity=activity, category="宣传", title="拜祖大典：媒体报道",
                              lead_units=[unit_b], deadline=datetime.date(2026, 4, 12))  # fmt: skip
    login(client, bob)
    page = client.get(reverse("events_activity_detail", args=[activity.code])).content.decode()
    assert "拜祖大典：媒体报道" in page and "拜祖大典：安保方案" not in page
