"""The import pages take Word documents too: the supervisor uploads, previews by paragraph and confirms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.conftest import PASSWORD
from tuijin.lib.tests.documents import PARAGRAPH_PLAN, PARAGRAPH_UNITS, notice
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, SourceKind, Task


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.IMPORT_TEMP_DIR = tmp_path / "imports"
    return settings.IMPORT_TEMP_DIR


@pytest.fixture
def signed_in(client, sup, unit_b):  # unit_b is 市科技局
    Unit.objects.bulk_create([Unit(name=n) for n in PARAGRAPH_UNITS if n != "市科技局"])
    client.login(username="sup", password=PASSWORD)
    return client


def upload(client, data, name="方案.docx", **fields):
    payload = {
        "plan_name": "2021年重点任务",
        "year": "2021",
        **fields,
        "file": SimpleUploadedFile(name, data),
    }
    return client.post("/plans/import/", payload)


def test_the_upload_form_accepts_word_documents(signed_in):
    html = signed_in.get("/plans/import/").content.decode()

    assert 'accept=".xlsx,.xlsm,.xls,.csv,.docx"' in html


def test_it_previews_a_document_by_paragraph_then_saves_it(signed_in):
    response = upload(signed_in, notice(PARAGRAPH_PLAN))
    assert response.status_code == 302

    page = signed_in.get(response["Location"])

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="source-ref"' in html and "郑政办〔2021〕12号" in html
    assert "建设中原科技城创新孵化基地" in html and "2021-10-31" in html
    first = page.context["preview"].rows[0].source.where
    assert f'<td class="text-nowrap">{first}</td>' in html
    assert 'data-testid="import-confirm"' in html and not Task.objects.exists()

    signed_in.post(response["Location"] + "confirm/")

    plan = Plan.objects.get(name="2021年重点任务")
    assert plan.tasks.count() == 6
    assert set(plan.tasks.values_list("source_kind", "source_ref")) == {
        (SourceKind.DOCUMENT, "郑政办〔2021〕12号")
    }


def test_the_preview_quotes_a_paragraph_that_cannot_be_read(signed_in):
    bad = "5.开展产业链招商，年底前完成。（有关单位负责）"
    response = upload(signed_in, notice(PARAGRAPH_PLAN[:12] + [bad]))

    html = signed_in.get(response["Location"]).content.decode()

    assert 'data-testid="problem-quote"' in html and bad in html
    assert 'data-testid="import-confirm"' not in html
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert signed_in.post(f"/plans/import/{token}/confirm/").status_code == 400
    assert not Task.objects.exists()


def test_a_docx_that_is_no_word_document_is_refused(signed_in):
    response = upload(signed_in, b"%PDF-1.4 not a document")

    assert response.status_code == 400 and "方案.docx" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "leader", "auditor", "sysadmin"])
def test_only_the_supervisor_may_import_a_document(client, who, request):
    user = request.getfixturevalue(who)
    client.login(username=user.username, password=PASSWORD)

    assert client.get("/plans/import/").status_code == 403
    assert upload(client, notice(PARAGRAPH_PLAN)).status_code == 403
    assert not Plan.objects.exists()


def test_the_preview_of_a_long_document_costs_the_same_queries(signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        items = [
            f"{n}.建设创新孵化基地第{n}期，年底前完成。（市科技局牵头，市财政局配合）"
            for n in range(1, count + 1)
        ]
        location = upload(signed_in, notice(items))["Location"]
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(location).status_code == 200
        return len(captured)

    assert queries_for(3) == queries_for(300)
