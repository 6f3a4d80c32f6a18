"""The main journeys in Chromium, with screenshots under var/screenshots/ to look at: the convener records a
decision and issues the minutes (the decision becomes a task, the meeting locks); a member signs in on a phone
from the QR code; the next meeting opens with the earlier decisions; the roster and a leader's instructions.

The browser's cookies live on the real clock, so these tests do too: dates are counted from today.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tuijin.conftest import shot, sign_in
from tuijin.coordination import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    """No frozen clock here (overrides the package's)."""


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def meetings(sup, unit_a, unit_b, unit_c):
    today = timezone.localdate()
    jm = services.save_joint_meeting(actor=sup, name="中原科技城建设联席会议", convener=unit_a, members=[unit_b, unit_c],
                                     issuing_organ="中原科技城建设联席会议办公室")  # fmt: skip
    first = services.save_meeting(actor=sup, joint_meeting=jm, title="第一次全体会议", starts_at=_at(today, 9),
                                  place="中原科技城管委会三楼会议室", chair="刘振华副市长", agenda_cutoff=today - 3 * DAY)  # fmt: skip
    services.propose_agenda_item(
        actor=sup, meeting=first, unit=unit_a, title="重点项目建设推进情况", today=today - 4 * DAY
    )
    services.add_decision(actor=sup, meeting=first, text="编制完成“三区”整体规划，报市政府审定。", lead_unit=unit_b,
                          supporting_units=[unit_a], limit_text="年底前")  # fmt: skip
    nxt = services.save_meeting(actor=sup, joint_meeting=jm, title="第二次全体会议", starts_at=_at(today + 20 * DAY, 9),
                                place="中原科技城管委会三楼会议室", agenda_cutoff=today + 10 * DAY)  # fmt: skip
    services.propose_agenda_item(actor=sup, meeting=nxt, unit=unit_b, title="科技企业孵化器奖补政策")
    return first, nxt


def test_it_turns_decisions_into_tasks_and_locks_the_meeting(
    page, live_server, alice, unit_a, unit_c, meetings
):
    first, nxt = meetings
    sign_in(page, live_server, alice)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/coordination/meetings/{first.code}/")
    shot(page, "coordination-meeting-before")
    page.click("[data-testid=add-decision]")
    page.fill("#id_text", "加快创新孵化基地一期建设，确保主体结构按期封顶。")
    page.select_option("#id_lead_unit", str(unit_a.code))
    page.select_option("#id_supporting_units", [str(unit_c.code)])
    page.fill("#id_limit_text", "6月底前")
    shot(page, "coordination-decision-form")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/coordination/meetings/{first.code}/")
    page.click("[data-testid=issue-minutes]")
    page.fill("#id_summary", "会议听取了中原科技城管委会关于重点项目建设推进情况的汇报。")
    page.check("#id_confirm")
    shot(page, "coordination-issue-minutes")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/coordination/meetings/{first.code}/")
    assert f"纪要〔{timezone.localdate().year}〕1号" in page.get_by_test_id("locked").inner_text()
    assert page.locator("[data-testid=decision]").count() == 2
    assert page.locator("[data-testid=add-decision]").count() == 0
    shot(page, "coordination-meeting-locked")
    page.locator("[data-testid=decisions] a", has_text="任务").first.click()
    page.wait_for_load_state()
    assert f"纪要〔{timezone.localdate().year}〕1号" in page.content()
    shot(page, "coordination-task-from-decision")
    page.goto(f"{live_server.url}/coordination/meetings/{nxt.code}/")
    assert page.locator("[data-testid=earlier] [data-testid=decision]").count() == 2
    shot(page, "coordination-next-meeting")


def test_it_signs_a_member_in_on_a_phone(browser, page, live_server, alice, bob, meetings):
    _first, nxt = meetings
    sign_in(page, live_server, alice)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/coordination/meetings/{nxt.code}/sign-in/")
    assert page.get_by_test_id("qr").evaluate("img => img.naturalWidth") > 100
    shot(page, "coordination-sign-in-screen")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    sign_in(mobile, live_server, bob)
    mobile.goto(f"{live_server.url}/coordination/sign-in/{nxt.sign_in_token}/")
    shot(mobile, "coordination-sign-in-phone")
    mobile.click("[data-testid=confirm-sign-in]")
    mobile.wait_for_selector("[data-testid=signed-in]")
    shot(mobile, "coordination-signed-in-phone")
    mobile.goto(f"{live_server.url}/coordination/meetings/{nxt.code}/")
    mobile.click("[data-testid=propose]")
    mobile.fill("#id_title", "人才创新团队引进评审安排")
    mobile.click("[data-testid=save]")
    mobile.wait_for_url(f"**/coordination/meetings/{nxt.code}/")
    assert "人才创新团队引进评审安排" in mobile.get_by_test_id("agenda").inner_text()
    shot(mobile, "coordination-meeting-phone")
    phone.close()
    page.reload()
    assert "市科技局 · 刘配合" in page.content()


def test_it_shows_the_roster_and_the_leaders_instructions(page, live_server, sup, leader, unit_a, unit_b):
    today = timezone.localdate()
    services.appoint_liaison(actor=sup, unit=unit_a, role="officer", name="王晓明", phone="13812345678",
                             position="综合办公室主任", start_date=today - 30 * DAY)  # fmt: skip
    services.appoint_liaison(actor=sup, unit=unit_a, role="deputy", name="孙浩", phone="13900001111",
                             position="综合办公室副主任", start_date=today - 30 * DAY)  # fmt: skip
    services.record_instruction(actor=leader, leader=leader, date=today - 5 * DAY, subject="关于加快人才公寓建设的批示",
                                text="请倒排工期，年底前首批房源交付使用。", lead_unit=unit_b, limit_text="年底前")  # fmt: skip
    sign_in(page, live_server, leader)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/coordination/liaisons/")
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    shot(page, "coordination-roster")
    page.goto(f"{live_server.url}/coordination/instructions/")
    assert "待签收" in page.get_by_test_id("instruction-table").inner_text()
    shot(page, "coordination-instructions")


def test_it_shows_the_demo_joint_meeting(page, live_server, settings):
    """The demo as a newcomer sees it: the issued meeting with its decisions' tasks in several states."""
    from tuijin.coordination.models import JointMeeting, Meeting
    from tuijin.core import demo, demo_data
    from tuijin.org.models import User

    settings.DEMO_MODE = True
    demo.load_demo()
    jm = JointMeeting.objects.get()
    issued = Meeting.objects.filter(minutes_issued_at__isnull=False).get()
    upcoming = Meeting.objects.filter(minutes_issued_at__isnull=True).get()
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" or "Content Security" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, live_server, User.objects.get(username="leader"), password=demo_data.PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/coordination/{jm.code}/")
    shot(page, "coordination-demo-joint-meeting")
    page.goto(f"{live_server.url}/coordination/meetings/{issued.code}/")
    assert page.locator("[data-testid=decisions] [data-testid=decision]").count() == 5
    shot(page, "coordination-demo-issued-meeting")
    page.goto(f"{live_server.url}/coordination/meetings/{upcoming.code}/")
    assert page.locator("[data-testid=earlier] [data-testid=decision]").count() == 5
    shot(page, "coordination-demo-next-meeting")
    page.goto(f"{live_server.url}/coordination/instructions/")
    shot(page, "coordination-demo-instructions")
    page.goto(f"{live_server.url}/coordination/liaisons/")
    page.fill("[data-testid=roster-search]", "科技")
    expect(page.get_by_test_id("roster-table")).not_to_contain_text("北龙湖金融岛管委会")  # swapped by htmx
    assert "中原科技城管委会" in page.get_by_test_id("roster-table").inner_text()
    shot(page, "coordination-demo-roster-search")
    assert not problems, problems  # no CSP violation, no JavaScript error under the strict policy
