"""Task pages show and change only what the user may: unit users their units' tasks, leaders read only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.conftest import PASSWORD
from tuijin.tasks import services
from tuijin.tasks.models import Task, TaskState


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def png_upload(name="p.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, task):
    for url in (reverse("home"), reverse("task_list"), reverse("task_detail", args=[task.code])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice", "bob"])
def test_it_shows_the_task_to_those_concerned(client, task, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("task_detail", args=[task.code])).status_code == 200
    assert task.title in client.get(reverse("task_list")).content.decode()


@pytest.mark.django_db
def test_it_hides_the_task_from_an_outsider(client, task, charlie):
    login(client, charlie)
    assert client.get(reverse("task_detail", args=[task.code])).status_code == 404
    assert task.title not in client.get(reverse("task_list")).content.decode()
    assert client.get(reverse("plan_detail", args=[task.plan.code])).status_code == 404
    assert client.post(reverse("task_action", args=[task.code, "acknowledge"])).status_code == 404
    assert client.get(reverse("report_create", args=[task.code])).status_code == 404


@pytest.mark.django_db
def test_it_hides_evidence_files_from_an_outsider(client, task, alice, charlie):
    login(client, alice)
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    client.post(
        reverse("report_create", args=[task.code]), {"text": "进展", "progress": 20, "files": [png_upload()]}
    )
    evidence = task.evidence.get()
    assert client.get(reverse("evidence_file", args=[evidence.code])).status_code == 200
    assert client.get(reverse("evidence_thumb", args=[evidence.code])).status_code == 200
    client.logout()
    login(client, charlie)
    assert client.get(reverse("evidence_file", args=[evidence.code])).status_code == 404
    assert client.get(reverse("evidence_thumb", args=[evidence.code])).status_code == 404


@pytest.mark.django_db
def test_it_lets_the_leader_read_but_not_act(client, task, leader):
    login(client, leader)
    page = client.get(reverse("task_detail", args=[task.code])).content.decode()
    assert 'data-testid="acknowledge"' not in page
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED
    assert client.get(reverse("task_create", args=[task.plan.code])).status_code == 403
    assert client.get(reverse("plan_create")).status_code == 403


@pytest.mark.django_db
def test_it_lets_the_lead_unit_acknowledge_and_report_with_a_photo(client, task, alice):
    login(client, alice)
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    response = client.post(
        reverse("report_create", args=[task.code]),
        {"text": "完成桩基施工", "progress": 35, "files": [png_upload()]},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress == 35
    assert task.evidence.count() == 1


@pytest.mark.django_db
def test_it_explains_a_bad_report_and_saves_nothing(client, task, alice):
    login(client, alice)
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    bad_file = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 100)
    response = client.post(
        reverse("report_create", args=[task.code]), {"text": "", "progress": 150, "files": [bad_file]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "virus.exe" in page
    assert task.reports.count() == 0
    assert task.evidence.count() == 0


@pytest.mark.django_db
def test_it_lets_the_supervisor_create_a_task_and_reads_its_time_limit(client, plan, sup, unit_a, unit_b):
    login(client, sup)
    response = client.post(
        reverse("task_create", args=[plan.code]),
        {"number": "2", "title": "完成征地1200亩", "lead_units": [unit_a.pk], "supporting_units": [unit_b.pk],
         "limit_text": "6月底前完成组卷，年底前完成交地", "source_kind": "deployment"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(number="2")
    assert str(task.deadline) == "2026-12-31"
    assert [str(m.date) for m in task.milestones.all()] == ["2026-06-30", "2026-12-31"]


@pytest.mark.django_db
def test_it_rejects_a_unit_that_both_leads_and_supports(client, plan, sup, unit_a):
    login(client, sup)
    response = client.post(
        reverse("task_create", args=[plan.code]),
        {
            "number": "3",
            "title": "x",
            "lead_units": [unit_a.pk],
            "supporting_units": [unit_a.pk],
            "source_kind": "deployment",
        },
    )
    assert response.status_code == 200
    assert "cannot both lead and support" in response.content.decode() or "不能" in response.content.decode()
    assert not Task.objects.filter(number="3").exists()


def _many_tasks(plan, sup, units, n):
    for i in range(n):
        services.create_task(actor=sup, plan=plan, number=str(100 + i), title=f"任务{i}", lead_units=[units[0]],
                             supporting_units=units[1:], limit_text="年底前")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_lists_tasks_with_a_fixed_number_of_queries(client, plan, sup, unit_a, unit_b, who, request,
                                                       django_assert_max_num_queries):  # fmt: skip
    user = request.getfixturevalue(who)
    _many_tasks(plan, sup, [unit_a, unit_b], 3)
    login(client, user)
    url = reverse("plan_detail", args=[plan.code])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many_tasks(plan, sup, [unit_a, unit_b], 40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    # Session, user, roles, the count, the page of rows, their units, the plan and unit choices, the unread bell
    # (+ a unit user's sector, for the navigation). Was 12: the filter's choices were each counted before they
    # were read (a COUNT per select), and are now read once as values (tasks/rows.py).
    with django_assert_max_num_queries(10):
        client.get(reverse("task_list"))


@pytest.mark.django_db
def test_it_attaches_files_for_those_concerned_only(client, task, alice, leader):
    login(client, alice)
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    response = client.post(
        reverse("task_action", args=[task.code, "attach"]), {"files": [png_upload("方案.png")]}
    )
    assert response.status_code == 302
    assert task.evidence.get().original_name == "方案.png"
    client.logout()
    login(client, leader)
    client.post(reverse("task_action", args=[task.code, "attach"]), {"files": [png_upload("x.png")]})
    assert task.evidence.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice", "leader"])
def test_it_shows_the_dashboard_and_plans_with_a_fixed_number_of_queries(client, plan, sup, unit_a, unit_b, who,
                                                                         request):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, request.getfixturevalue(who))
    _many_tasks(plan, sup, [unit_a, unit_b], 2)
    counts = []
    for extra in (0, 30):
        _many_tasks(plan, sup, [unit_a, unit_b], extra)
        with CaptureQueriesContext(connection) as dashboard:
            assert client.get(reverse("home")).status_code == 200
        with CaptureQueriesContext(connection) as plans:
            assert client.get(reverse("plan_list")).status_code == 200
        counts.append((len(dashboard), len(plans)))
    assert counts[0] == counts[1]
