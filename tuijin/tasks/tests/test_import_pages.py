"""The import pages: only the supervision office uses them; upload → preview → (columns) → confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent
from tuijin.lib.tests.sheets import task_list, xlsx_bytes
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task
from tuijin.tasks.views_import import SESSION_KEY

TASKS = [
    "一、项目招商",
    {"number": 1, "title": "头部企业招商", "lead": "市商务局", "supporting": "市科技局", "limit": "6月底前完成签约；年底前落地"},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "limit": "9月上旬"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.IMPORT_TEMP_DIR = tmp_path / "imports"
    return settings.IMPORT_TEMP_DIR


@pytest.fixture
def signed_in(client, sup, unit_b, unit_c):
    Unit.objects.create(name="市住房保障局")
    client.login(username="sup", password=PASSWORD)
    return client


def upload(client, data=None, name="清单.xlsx", **fields):
    payload = {"plan_name": "2021年重点任务", "year": "2021", **fields}
    payload["file"] = SimpleUploadedFile(
        name, data if data is not None else task_list(TASKS, layout="two_level")
    )
    return client.post("/plans/import/", payload)


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "leader"])
def test_only_the_supervisor_may_import(client, who, request, task):
    user = request.getfixturevalue(who)
    client.login(username=user.username, password=PASSWORD)

    assert client.get("/plans/import/").status_code == 403
    assert client.get(f"/plans/{task.plan.code}/import/").status_code == 403
    assert client.post("/plans/import/", {"plan_name": "x", "year": "2021"}).status_code == 403
    token = "A" * 32
    assert client.get(f"/plans/import/{token}/").status_code == 403
    assert client.post(f"/plans/import/{token}/confirm/").status_code == 403
    assert client.post(f"/plans/import/{token}/columns/").status_code == 403


def test_it_previews_then_saves_on_confirm(signed_in, private_folder, sup):
    response = upload(signed_in)

    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert list(private_folder.iterdir()) == [private_folder / f"{token}.upload"]

    page = signed_in.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "头部企业招商" in html and "2021-06-30" in html and "2021-12-31" in html and "2021-09-10" in html
    assert 'data-testid="import-confirm"' in html
    assert Task.objects.count() == 0 and not Plan.objects.exists()  # nothing saved before confirm

    done = signed_in.post(f"/plans/import/{token}/confirm/")

    plan = Plan.objects.get(name="2021年重点任务")
    assert done.status_code == 302 and done["Location"] == f"/plans/{plan.code}/"
    assert plan.tasks.count() == 2
    assert AuditEvent.objects.get(action="plan.import").actor == sup
    assert list(private_folder.iterdir()) == []
    assert token not in signed_in.session.get(SESSION_KEY, {})
    assert signed_in.get(f"/plans/import/{token}/").status_code == 404


def test_it_imports_into_an_existing_plan_from_the_plans_page(signed_in, plan):
    page = signed_in.get(f"/plans/{plan.code}/import/")
    assert page.status_code == 200 and f'value="{plan.code}" selected' in page.content.decode()

    plan.year = 2021
    plan.save()
    response = upload(signed_in, plan=str(plan.code), plan_name="")
    signed_in.post(response["Location"] + "confirm/")

    assert plan.tasks.count() == 2


def test_it_shows_every_problem_and_offers_no_confirm(signed_in):
    data = task_list([{"number": 1, "title": "道路建设", "lead": "市城建局", "limit": "尽快"}])
    response = upload(signed_in, data)

    html = signed_in.get(response["Location"]).content.decode()

    assert 'data-testid="import-problems"' in html
    assert "市城建局" in html and "尽快" in html
    assert 'data-testid="import-confirm"' not in html
    assert "tj-problem-row" in html
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert signed_in.post(f"/plans/import/{token}/confirm/").status_code == 400
    assert Task.objects.count() == 0


def test_it_offers_to_create_unknown_units(signed_in):
    data = task_list([{"number": 1, "title": "道路建设", "lead": "市城建局", "limit": "年底前"}])
    response = upload(signed_in, data, create_units="on")

    html = signed_in.get(response["Location"]).content.decode()
    assert 'data-testid="units-to-create"' in html and "市城建局" in html
    signed_in.post(response["Location"] + "confirm/")
    assert Task.objects.get().lead_units[0].name == "市城建局"


def test_it_asks_which_column_is_which_when_the_headings_are_unknown(signed_in):
    rows = [
        ["甲", "乙", "丙", "丁"],
        ["1", "头部企业招商", "市商务局", "6月底前"],
        ["2", "人才公寓配租", "市住房保障局", "9月上旬"],
    ]
    response = upload(signed_in, xlsx_bytes(rows))
    html = signed_in.get(response["Location"]).content.decode()
    assert 'data-testid="column-mapping"' in html and "A: 甲" in html
    assert 'data-testid="import-confirm"' not in html

    mapped = signed_in.post(
        response["Location"] + "columns/", {"number": "A", "title": "B", "lead_units": "C", "limit_text": "D"}
    )
    assert mapped.status_code == 302
    html = signed_in.get(response["Location"]).content.decode()
    assert "头部企业招商" in html and 'data-testid="import-confirm"' in html

    signed_in.post(response["Location"] + "confirm/")
    assert sorted(Task.objects.values_list("title", flat=True)) == ["人才公寓配租", "头部企业招商"]


def test_it_refuses_one_column_for_two_fields(signed_in):
    rows = [["甲", "乙", "丙"], ["1", "头部企业招商", "市商务局"]]
    response = upload(signed_in, xlsx_bytes(rows))

    page = signed_in.post(response["Location"] + "columns/", {"number": "A", "title": "B", "lead_units": "B"})

    assert page.status_code == 400 and "B" in page.content.decode()


def test_it_refuses_a_file_of_the_wrong_type(signed_in):
    response = upload(signed_in, b"%PDF-1.4 not a list", name="清单.pdf")
    assert response.status_code == 400 and "清单.pdf" in response.context["form"].errors["file"][0]

    response = upload(signed_in, b"<html><table></table></html>", name="清单.xlsx")
    assert response.status_code == 400 and ".xlsx" in response.context["form"].errors["file"][0]

    response = upload(signed_in, b"PK\x03\x04 a zip, not text", name="清单.csv")
    assert response.status_code == 400


def test_a_workbook_that_cannot_be_read_is_a_problem_of_the_preview(signed_in):
    response = upload(signed_in, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="清单.xls")

    page = signed_in.get(response["Location"])

    assert page.status_code == 200
    assert page.context["preview"].errors and not page.context["preview"].can_commit
    assert 'data-testid="import-confirm"' not in page.content.decode()


def test_it_refuses_a_file_too_large(signed_in, settings):
    settings.IMPORT_MAX_BYTES = 1000

    response = upload(signed_in)

    assert response.status_code == 400
    assert "1000" in response.context["form"].errors["file"][0]


def test_it_needs_a_plan(signed_in):
    response = upload(signed_in, plan_name="")
    assert response.status_code == 400


def test_a_token_from_another_session_is_not_found(signed_in, client, sup):
    response = upload(signed_in)
    other = type(client)()
    other.login(username="sup", password=PASSWORD)

    assert other.get(response["Location"]).status_code == 404


def test_cancel_deletes_the_file(signed_in, private_folder):
    response = upload(signed_in)

    signed_in.post(response["Location"] + "cancel/")

    assert list(private_folder.iterdir()) == []
    assert not Plan.objects.exists()


def test_the_rows_page_through_with_htmx(signed_in):
    response = upload(signed_in)

    page = signed_in.get(response["Location"] + "?page=1", headers={"HX-Request": "true"})

    html = page.content.decode()
    assert 'data-testid="import-rows"' in html and "<html" not in html


def test_the_preview_costs_the_same_queries_for_a_long_list(signed_in, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(tasks):
        location = upload(signed_in, task_list(tasks))["Location"]
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(location).status_code == 200
        return len(captured)

    one = {"title": "招商", "lead": "市商务局", "supporting": "市科技局", "limit": "6月底前"}
    short = queries_for([{"number": 1, **one}])
    long = queries_for([{"number": n, **one} for n in range(1, 301)])
    assert short == long
    location = upload(signed_in)["Location"]
    with django_assert_max_num_queries(7):  # session, user, roles, plan, units, aliases, …
        signed_in.get(location)
