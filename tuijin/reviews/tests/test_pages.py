"""The organiser's pages, start to finish: create, rules, subjects with reports, raters, open, the rater's
sheet, paper count, close, results, publish. And the list's query count does not grow with the rounds."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.reviews import services
from tuijin.reviews.models import Review, Subject, Tally

from .conftest import PDF, group, report

pytestmark = pytest.mark.django_db


def test_it_runs_a_round_through_the_pages(client, sup, rita, unit_a, unit_b):
    client.force_login(sup)
    response = client.post("/reviews/new/", {"title": "2026年度机关党建述职评议", "year": 2026, "date": "2026-12-18",
                                             "issuing_organ": "中共郑州市委市直机关工作委员会"})  # fmt: skip
    review = Review.objects.get()
    assert response.url == f"/reviews/{review.code}/"

    rules = client.post(f"/reviews/{review.code}/rules/", {
        "quorum_numerator": 2, "quorum_denominator": 3, "groups": "60 领导班子成员\n40 党员代表",
        "options": "100 好\n80 较好\n60 一般\n0 差", "bands": "90 好\n80 较好\n60 一般\n0 差",
    })  # fmt: skip
    assert rules.status_code == 302
    for name, unit in (
        ("中共中原科技城管委会机关委员会", unit_a),
        ("中共郑州市科学技术局机关委员会", unit_b),
    ):
        added = client.post(f"/reviews/{review.code}/subjects/new/", {
            "organisation": name, "unit": unit.pk, "secretary": "书记",
            "report_file": SimpleUploadedFile("述职报告.pdf", PDF),
        })  # fmt: skip
        assert added.status_code == 302, added.content.decode()[:2000]
    leaders = group(review, "领导班子成员")
    assert (
        client.post(f"/reviews/{review.code}/groups/{leaders.code}/raters/", {"users": [rita.pk]}).status_code
        == 302
    )
    members = group(review, "党员代表")
    client.post(f"/reviews/{review.code}/groups/{members.code}/counting/", {"counting": "paper"})
    detail = client.get(f"/reviews/{review.code}/").content.decode()
    assert 'data-testid="problems"' not in detail
    client.post(f"/reviews/{review.code}/open/")
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN and Tally.objects.count() == 2 * 2 * 4

    client.force_login(rita)
    sheet = client.get(f"/reviews/{review.code}/ballot/").content.decode()
    names = sorted(set(re.findall(r'name="(s-[0-9a-f-]{36})"', sheet)))
    assert len(names) == 2
    voted = client.post(f"/reviews/{review.code}/ballot/", {names[0]: "好", names[1]: "较好"})
    assert voted.url == "/reviews/"
    assert 'data-testid="ballot-returned"' in client.get("/reviews/").content.decode()

    client.force_login(sup)
    open_page = client.get(f"/reviews/{review.code}/").content.decode()
    assert 'data-testid="no-partial-results"' in open_page and 'data-testid="results"' not in open_page
    partial = client.get(f"/reviews/{review.code}/?part=returned", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="returned"') and "<html" not in partial
    subjects = list(Subject.objects.filter(review=review))
    options = list(review.options.all())
    paper = {"issued": 10, "returned": 9} | {
        f"t_{s.pk}_{o.pk}": n for s in subjects for o, n in zip(options, (6, 2, 1, 0), strict=True)
    }
    assert client.post(f"/reviews/{review.code}/groups/{members.code}/paper/", paper).status_code == 302
    client.post(f"/reviews/{review.code}/close/")
    closed = client.get(f"/reviews/{review.code}/").content.decode()
    assert 'data-testid="results"' in closed and 'data-testid="publish"' in closed
    client.post(f"/reviews/{review.code}/publish/", {"document_number": "郑直工〔2026〕12号"})
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED and review.document_number == "郑直工〔2026〕12号"
    published = client.get(f"/reviews/{review.code}/").content.decode()
    assert "郑直工〔2026〕12号" in published and 'data-testid="download-docx"' in published


def test_it_warns_the_committee_about_counts_that_will_be_void(client, review, sup):
    services.set_counting(actor=sup, group=group(review, "群众代表"), counting="paper")
    services.open_review(actor=sup, review=review)
    client.force_login(sup)
    subjects, options = list(review.subjects.all()), list(review.options.all())
    data = {"issued": 5, "returned": 6} | {f"t_{s.pk}_{o.pk}": 2 for s in subjects for o in options}
    response = client.post(
        f"/reviews/{review.code}/groups/{group(review, '群众代表').code}/paper/", data, follow=True
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 3, (
        warnings
    )  # the group (6 returned > 5 issued), and each organisation (8 votes > 6)
    assert "6" in warnings[0] and "5" in warnings[0] and "8" in warnings[1]


def test_it_explains_a_bad_paper_count_field_by_field(client, review, sup):
    services.set_counting(actor=sup, group=group(review, "群众代表"), counting="paper")
    services.open_review(actor=sup, review=review)
    client.force_login(sup)
    response = client.post(f"/reviews/{review.code}/groups/{group(review, '群众代表').code}/paper/",
                           {"issued": "-1", "returned": "x"})  # fmt: skip
    assert response.status_code == 200
    assert response.content.decode().count("invalid-feedback") >= 3
    assert not Tally.objects.filter(count__gt=0).exists()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_it_lists_rounds_in_a_fixed_number_of_queries(client, sup, rita, django_assert_num_queries):
    for user in (sup, rita):
        client.force_login(user)
        for i in range(2):
            services.create_review(
                actor=sup, title=f"第{user.pk}-{i}轮", year=2026, date=datetime.date(2026, 12, 1)
            )
        few = queries(client, "/reviews/")
        for i in range(5):
            services.create_review(
                actor=sup, title=f"第{user.pk}-{i}轮b", year=2026, date=datetime.date(2026, 12, 2)
            )
        with django_assert_num_queries(few):
            client.get("/reviews/")


def test_it_shows_the_results_page_in_a_fixed_number_of_queries(client, review, sup, unit_c,
                                                                  django_assert_max_num_queries):  # fmt: skip
    services.open_review(actor=sup, review=review)
    services.close_review(actor=sup, review=review)
    client.force_login(sup)
    small = queries(client, f"/reviews/{review.code}/")
    bigger = services.create_review(actor=sup, title="更多", year=2026, date=datetime.date(2026, 12, 20))
    for i in range(6):
        services.add_subject(actor=sup, review=bigger, organisation=f"党组织{i}", unit=unit_c, secretary="书记",
                             report=report())  # fmt: skip
    services.open_review(actor=sup, review=bigger)
    services.close_review(actor=sup, review=bigger)
    with django_assert_max_num_queries(small):
        client.get(f"/reviews/{bigger.code}/")
