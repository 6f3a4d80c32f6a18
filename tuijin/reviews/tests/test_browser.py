"""述职评议 in a real browser, on the demo data: the demo rater votes on a phone, a code holder votes on a phone,
and the organiser reads the results. Screenshots go to var/screenshots/reviews-*.png."""

import re

import pytest
from django.test import override_settings

from tuijin.conftest import shot, sign_in
from tuijin.core import demo
from tuijin.core.demo_data import PASSWORD
from tuijin.org.models import User
from tuijin.reviews import services
from tuijin.reviews.demo import load_demo_reviews
from tuijin.reviews.models import Participation, RaterGroup, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def demo_rounds(db):
    with override_settings(DEMO_MODE=True):
        demo.load_demo()
    load_demo_reviews()
    return Review.objects.get(status=Review.Status.OPEN), Review.objects.get(status=Review.Status.PUBLISHED)


def test_it_lets_the_rater_vote_on_a_phone(browser, live_server, demo_rounds):
    opened, _published = demo_rounds
    rater = User.objects.get(username="rater")
    page = browser.new_context(**PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, rater, password=PASSWORD)
    page.goto(f"{live_server.url}/reviews/")
    shot(page, "reviews-rater-list-phone")
    page.click("[data-testid=open-ballot]")
    page.wait_for_url(f"**/reviews/{opened.code}/ballot/")
    rows = page.locator("[data-testid=ballot-row]")
    assert rows.count() == 8
    page.click("[data-testid=submit-ballot]")  # nothing chosen: the page explains, nothing is counted
    page.wait_for_selector("[data-testid=ballot-errors]")
    assert not Participation.objects.filter(user=rater).exists()
    choices = ["好", "好", "较好", "好", "一般", "较好", "好", "较好"]
    for index, label in enumerate(choices):
        rows.nth(index).get_by_text(label, exact=True).click()
    assert page.get_by_text("8 / 8").count() == 1 or "8 / 8" in page.content()
    shot(page, "reviews-ballot-phone")
    box = page.get_by_test_id("submit-ballot").bounding_box()
    assert box["width"] < 390 and box["y"] + box["height"] <= 844 + page.evaluate("window.scrollY")
    page.click("[data-testid=submit-ballot]")
    page.wait_for_url(f"{live_server.url}/reviews/")
    assert page.get_by_test_id("ballot-returned").count() == 1
    shot(page, "reviews-rater-voted-phone")
    assert Participation.objects.filter(review=opened, user=rater).count() == 1


def test_it_lets_a_code_holder_vote_on_a_phone(browser, live_server, demo_rounds):
    opened, _published = demo_rounds
    sup = User.objects.get(username="supervisor")
    [code] = services.generate_codes(
        actor=sup, group=RaterGroup.objects.get(review=opened, name="党组织书记"), count=1
    )
    page = browser.new_context(**PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/reviews/vote/")
    page.fill("#id_code", code.lower().replace("-", " "))
    shot(page, "reviews-code-entry-phone")
    page.click("[data-testid=use-code]")
    rows = page.locator("[data-testid=ballot-row]")
    for index in range(rows.count()):
        rows.nth(index).get_by_text("较好", exact=True).click()
    page.click("[data-testid=submit-ballot]")
    page.wait_for_selector("[data-testid=vote-done]")
    shot(page, "reviews-code-done-phone")
    assert Participation.objects.filter(review=opened, voting_code__isnull=False).count() == 7


def test_it_shows_the_organiser_the_results(browser, live_server, demo_rounds):
    opened, published = demo_rounds
    sup = User.objects.get(username="supervisor")
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    sign_in(page, live_server, sup, password=PASSWORD)
    page.goto(f"{live_server.url}/reviews/{opened.code}/")
    assert page.get_by_test_id("no-partial-results").is_visible()
    assert page.get_by_test_id("results").count() == 0
    shot(page, "reviews-open-round-organiser")
    page.goto(f"{live_server.url}/reviews/{published.code}/")
    ranks = page.locator("[data-testid=ranking] [data-testid=rank]").all_inner_texts()
    assert ranks[0] == "1" and len(ranks) == 8
    scores = [float(s) for s in page.locator("[data-testid=ranking] [data-testid=score]").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    assert re.search(r"郑直工〔\d{4}〕3号", page.get_by_test_id("document-number").inner_text())
    shot(page, "reviews-results-organiser")
    with page.expect_download() as download:
        page.click("[data-testid=download-docx]")
    assert download.value.suggested_filename.endswith("通报.docx")


def test_it_lets_the_organiser_print_slips_and_enter_a_paper_count(browser, live_server, demo_rounds):
    opened, _published = demo_rounds
    sup = User.objects.get(username="supervisor")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, sup, password=PASSWORD)
    page.goto(f"{live_server.url}/reviews/{opened.code}/")
    page.click("[data-testid=codes-2]")
    page.fill("#id_count", "6")
    page.click("[data-testid=make-codes]")
    page.wait_for_selector("[data-testid=slips]")
    assert page.locator("[data-testid=slip-code]").count() == 6
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "reviews-slips")
    page.goto(f"{live_server.url}/reviews/{opened.code}/")
    page.click("[data-testid=paper-4]")
    page.fill("#id_issued", "20")
    page.fill("#id_returned", "18")
    for row in range(8):
        inputs = page.locator("[data-testid=paper-grid] tbody tr").nth(row).locator("input")
        for column, value in enumerate(("12", "4", "2", "0")):
            inputs.nth(column).fill(value)
    shot(page, "reviews-paper-count")
    page.click("[data-testid=save]")
    page.wait_for_url(f"{live_server.url}/reviews/{opened.code}/")
    assert page.get_by_test_id("returned-4").inner_text() == "18"
