"""One-time voting codes: printed once as slips with a QR code, good for one ballot sheet, on a public page."""

import base64
import re

import pytest

from tuijin.reviews import codes, services
from tuijin.reviews.models import Participation, Tally, VotingCode

from .conftest import group

pytestmark = pytest.mark.django_db


def test_it_makes_readable_codes_and_a_qr_png():
    code = codes.new_code()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert not set(code) & set("0O1IL2Z5S8B")
    assert codes.digest(code) == codes.digest(code.lower().replace("-", " "))
    uri = codes.qr_data_uri(f"https://example.org/reviews/vote/?code={code}")
    assert base64.b64decode(uri.removeprefix("data:image/png;base64,")).startswith(b"\x89PNG")


def test_it_prints_the_slips_once_and_keeps_only_hashes(client, review, sup):
    client.force_login(sup)
    url = f"/reviews/{review.code}/groups/{group(review, '群众代表').code}/codes/"
    response = client.post(url, {"count": 3})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    printed = re.findall(r'data-testid="slip-code">([A-Z0-9-]+)<', html)
    assert len(printed) == 3 and html.count('src="data:image/png;base64,') == 3
    assert set(VotingCode.objects.values_list("digest", flat=True)) == {codes.digest(c) for c in printed}
    again = client.get(url).content.decode()
    assert not [c for c in printed if c in again]


def test_it_lets_a_code_holder_vote_once_without_signing_in(client, review, sup):
    [code] = services.generate_codes(actor=sup, group=group(review, "群众代表"), count=1)
    services.open_review(actor=sup, review=review)
    sheet = client.get("/reviews/vote/", {"code": code})
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    html = sheet.content.decode()
    assert "中共中原科技城管委会机关委员会" in html and 'name="code"' in html
    names = re.findall(r'name="(s-[0-9a-f-]{36})"', html)
    assert len(set(names)) == 2
    answer = {name: "较好" for name in set(names)} | {"code": code}
    done = client.post("/reviews/vote/", answer)
    assert done.status_code == 200 and 'data-testid="vote-done"' in done.content.decode()
    assert Participation.objects.get().voting_code.digest == codes.digest(code)
    assert set(Tally.objects.filter(count=1).values_list("group__name", "option__label")) == {
        ("群众代表", "较好")
    }
    again = client.post("/reviews/vote/", answer)
    assert 'data-testid="vote-done"' not in again.content.decode()
    assert sum(Tally.objects.values_list("count", flat=True)) == 2


def test_it_refuses_unknown_withdrawn_and_not_yet_open_codes(client, review, sup):
    [early] = services.generate_codes(actor=sup, group=group(review, "群众代表"), count=1)
    assert 'data-testid="code-error"' in client.get("/reviews/vote/", {"code": early}).content.decode()
    services.open_review(actor=sup, review=review)
    services.withdraw_codes(actor=sup, group=group(review, "群众代表"))
    for text in (early, codes.new_code(), "not a code"):
        html = client.get("/reviews/vote/", {"code": text}).content.decode()
        assert 'data-testid="code-error"' in html
        assert 'data-testid="ballot-row"' not in html


def test_it_asks_for_every_row_before_counting_a_code_ballot(client, open_review, sup):
    [code] = services.generate_codes(actor=sup, group=group(open_review, "群众代表"), count=1)
    subject = open_review.subjects.first()
    response = client.post("/reviews/vote/", {"code": code, f"s-{subject.code}": "好"})
    assert 'data-testid="ballot-errors"' in response.content.decode()
    assert not Participation.objects.exists() and not Tally.objects.filter(count__gt=0).exists()


def test_it_counts_codes_as_issued_ballots_until_withdrawn(review, sup):
    services.generate_codes(actor=sup, group=group(review, "群众代表"), count=5)
    services.withdraw_codes(actor=sup, group=group(review, "群众代表"))
    services.generate_codes(actor=sup, group=group(review, "群众代表"), count=4)
    from tuijin.reviews.scoring import returned_counts

    crowd = [t for t in returned_counts(review) if t.group.name == "群众代表"][0]
    assert (crowd.issued, crowd.codes) == (4, 4)
