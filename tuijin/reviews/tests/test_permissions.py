"""Who may do what, for every role: anonymous, a rater in the round (rita), a rater outside it (otto), unit users
whose organisation is under review (alice, bob) and one whose is not (charlie), the organiser (sup), a city
leader, and the 三员 — who see nothing."""

import pytest

from tuijin.reviews import services

from .conftest import group

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "rita", "otto", "alice", "charlie", "sup", "leader", "sysadmin", "secadmin", "auditor"]


@pytest.fixture
def people(rita, otto, alice, bob, charlie, sup, leader, sysadmin, secadmin, auditor):
    return {"anonymous": None, "rita": rita, "otto": otto, "alice": alice, "bob": bob, "charlie": charlie,
            "sup": sup, "leader": leader, "sysadmin": sysadmin, "secadmin": secadmin, "auditor": auditor}  # fmt: skip


def status(client, people, who, url, method="get", data=None):
    client.logout()
    if people[who] is not None:
        client.force_login(people[who])
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "/login/" in response.url:
        return "login"
    return response.status_code


def expect(client, people, url, table, method="get", data=None):
    got = {who: status(client, people, who, url, method, data) for who in table}
    assert got == table


@pytest.fixture
def published(open_review, sup):
    services.close_review(actor=sup, review=open_review)
    return services.publish_review(actor=sup, review=open_review)


def test_it_lists_rounds_for_the_people_concerned(client, people, published):
    expect(client, people, "/reviews/", {
        "anonymous": "login", "rita": 200, "otto": 200, "alice": 200, "charlie": 200, "sup": 200, "leader": 200,
        "sysadmin": 403, "secadmin": 403, "auditor": 403,
    })  # fmt: skip
    for who, sees in (("alice", True), ("charlie", False), ("leader", True), ("otto", False)):
        client.force_login(people[who])
        assert (published.title in client.get("/reviews/").content.decode()) is sees, who


def test_it_shows_published_results_to_the_subjects_units_and_leaders_only(client, people, published):
    url = f"/reviews/{published.code}/"
    expect(client, people, url, {
        "anonymous": "login", "rita": 403, "otto": 403, "alice": 200, "charlie": 404, "sup": 200, "leader": 200,
        "sysadmin": 403, "secadmin": 403, "auditor": 403,
    })  # fmt: skip
    for suffix in ("results.xlsx", "results.docx"):
        expect(client, people, url + suffix, {
            "anonymous": "login", "rita": 403, "otto": 403, "alice": 200, "charlie": 404, "sup": 200,
            "leader": 200, "sysadmin": 403, "secadmin": 403, "auditor": 403,
        })  # fmt: skip


def test_it_shows_an_unpublished_round_to_the_organiser_only(client, people, open_review, sup):
    url = f"/reviews/{open_review.code}/"
    expect(client, people, url, {
        "anonymous": "login", "rita": 403, "otto": 403, "alice": 404, "charlie": 404, "sup": 200, "leader": 404,
        "sysadmin": 403, "secadmin": 403, "auditor": 403,
    })  # fmt: skip
    services.close_review(actor=sup, review=open_review)
    expect(client, people, url + "results.xlsx", {
        "anonymous": "login", "rita": 403, "alice": 404, "sup": 200, "leader": 404, "auditor": 403,
    })  # fmt: skip


def test_it_lets_only_the_organiser_prepare_and_run_a_round(client, people, review):
    leaders = group(review, "领导班子成员")
    subject = review.subjects.first()
    urls = [
        ("get", "/reviews/new/"), ("get", f"/reviews/{review.code}/edit/"), ("get", f"/reviews/{review.code}/rules/"),
        ("get", f"/reviews/{review.code}/subjects/new/"), ("get", f"/reviews/{review.code}/subjects/{subject.code}/"),
        ("get", f"/reviews/{review.code}/groups/{leaders.code}/raters/"),
        ("get", f"/reviews/{review.code}/groups/{leaders.code}/codes/"),
        ("post", f"/reviews/{review.code}/groups/{leaders.code}/codes/withdraw/"),
        ("post", f"/reviews/{review.code}/groups/{leaders.code}/counting/"),
        ("post", f"/reviews/{review.code}/subjects/{subject.code}/delete/"),
        ("post", f"/reviews/{review.code}/open/"),
    ]  # fmt: skip
    for method, url in urls:
        table = {who: 403 for who in PEOPLE} | {"anonymous": "login"}
        table.pop("sup")
        expect(client, people, url, table, method)
        if method == "get":
            assert status(client, people, "sup", url) == 200, url


def test_it_lets_the_organiser_open_voting(client, people, review):
    assert status(client, people, "sup", f"/reviews/{review.code}/open/", "post") == 302
    review.refresh_from_db()
    assert review.is_open


def test_it_shows_a_ballot_sheet_to_the_raters_of_the_round_only(client, people, open_review):
    url = f"/reviews/{open_review.code}/ballot/"
    expect(client, people, url, {
        "anonymous": "login", "rita": 200, "otto": 404, "alice": 403, "charlie": 403, "sup": 403, "leader": 403,
        "sysadmin": 403, "secadmin": 403, "auditor": 403,
    })  # fmt: skip


def test_it_lets_a_rater_vote_once(client, open_review, rita):
    url = f"/reviews/{open_review.code}/ballot/"
    answer = {f"s-{s.code}": "好" for s in open_review.subjects.all()}
    client.force_login(rita)
    client.post(url, answer)
    assert 'data-testid="already-voted"' in client.get(url).content.decode()
    client.post(url, {k: "差" for k in answer})
    assert open_review.tallies.filter(option__label="差", count__gt=0).count() == 0
    assert open_review.tallies.filter(option__label="好", count=1).count() == 2


def test_it_refuses_a_ballot_after_closing(client, open_review, sup, rob):
    services.close_review(actor=sup, review=open_review)
    client.force_login(rob)
    url = f"/reviews/{open_review.code}/ballot/"
    assert 'data-testid="voting-closed"' in client.get(url).content.decode()
    client.post(url, {f"s-{s.code}": "好" for s in open_review.subjects.all()})
    assert not open_review.tallies.filter(count__gt=0).exists()


def test_it_hands_out_written_reports_to_those_concerned(client, people, open_review):
    subject = open_review.subjects.get(unit__name="中原科技城管委会")
    url = f"/reviews/{open_review.code}/subjects/{subject.code}/report/"
    expect(client, people, url, {
        "anonymous": "login", "rita": 200, "otto": 404, "alice": 200, "charlie": 404, "sup": 200, "leader": 404,
        "sysadmin": 403, "secadmin": 403, "auditor": 403,
    })  # fmt: skip


def test_it_opens_the_code_page_to_anyone(client, people):
    expect(client, people, "/reviews/vote/", {who: 200 for who in PEOPLE})
