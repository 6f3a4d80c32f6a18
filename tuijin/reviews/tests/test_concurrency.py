"""Two simultaneous submissions by the same rater count once — with real threads, each on its own connection.

Each thread calls the same service a web request calls, released together by a barrier. On PostgreSQL the two
transactions really overlap: the second waits for the first's row locks and then fails. SQLite's test database
lives in shared-cache memory, where a writer that finds the database busy gets "database table is locked" at
once instead of waiting as a file database does (Django's 5 s busy timeout); the worker then retries, which is
what that busy timeout does inside SQLite. `transaction_mode = IMMEDIATE` makes each transaction take the write
lock at BEGIN, so on SQLite the two run one after the other.

The second test takes away the service's own guards (the round's row lock and the "already voted?" check), so
that only the unique constraint on "has voted" stands between the two: the second transaction fails on it and
its tally increments, already made, are rolled back with it.
"""

import threading
import time

import pytest
from django.db import OperationalError, connection

from tuijin.reviews import voting
from tuijin.reviews.models import Option, Participation, Review, Subject, Tally
from tuijin.reviews.voting import AlreadyVoted, Ballot, cast_ballot

pytestmark = pytest.mark.django_db(transaction=True)


def simultaneously(work, n: int = 2) -> list:
    """Run `work()` in n threads released at the same instant; each result or exception, per thread."""
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(index):
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    outcomes[index] = work()
                    break
                except OperationalError as exc:  # SQLite shared-cache memory only: see the module docstring
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            else:
                outcomes[index] = TimeoutError("still locked")
        except Exception as exc:  # noqa: BLE001 - reported back to the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def the_ballot(review) -> Ballot:
    good = Option.objects.get(review=review, label="好")
    return Ballot({s.pk: good.pk for s in Subject.objects.filter(review=review)})


def counted(review) -> int:
    return sum(Tally.objects.filter(review=review).values_list("count", flat=True))


def test_it_counts_two_simultaneous_submissions_by_one_rater_once(open_review, rita):
    review_id, ballot = open_review.pk, the_ballot(open_review)

    def submit():
        return cast_ballot(actor=rita, review=Review.objects.get(pk=review_id), ballot=ballot)

    outcomes = simultaneously(submit)

    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyVoted", "NoneType"], outcomes
    assert Participation.objects.filter(review=open_review, user=rita).count() == 1
    assert counted(open_review) == 2, "one sheet of two organisations"


def test_it_rolls_back_the_second_submissions_increments_on_the_unique_constraint(
    open_review, rita, monkeypatch
):
    """Both transactions pass every check in Python and both increment; the database keeps one."""
    review_id, ballot = open_review.pk, the_ballot(open_review)
    monkeypatch.setattr(voting, "_already_voted", lambda *a, **k: False)
    monkeypatch.setattr(voting, "_lock_open", lambda review: review)
    calls = []
    real_count = voting._count

    def count_and_linger(*args):
        real_count(*args)
        calls.append(1)
        time.sleep(0.2)  # hold the transaction open so that the other one runs into it

    monkeypatch.setattr(voting, "_count", count_and_linger)

    def submit():
        return cast_ballot(actor=rita, review=Review.objects.get(pk=review_id), ballot=ballot)

    outcomes = simultaneously(submit)

    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyVoted", "NoneType"], outcomes
    assert len(calls) == 2, "both transactions incremented the tallies"
    assert Participation.objects.filter(review=open_review, user=rita).count() == 1
    assert counted(open_review) == 2, "the second transaction's increments were rolled back"
    assert isinstance([o for o in outcomes if o is not None][0], AlreadyVoted)
