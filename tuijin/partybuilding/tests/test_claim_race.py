"""Simultaneous claims, each in its own thread and database connection: the places are never overfilled, and a
member's double click counts once."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.utils import translation

from tuijin.conftest import make_user
from tuijin.org.models import Role

from .. import services
from ..models import Claim, Need
from ..services_service import claim_need

pytestmark = pytest.mark.django_db(transaction=True)


def race(attempts) -> list[str]:
    """Run every (member, need) claim at the same moment; the outcome of each: "ok", or the refusal."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)

    def run(index, member, need):
        close_old_connections()
        translation.activate("en")  # each thread starts in the default language; the assertions read English
        try:
            barrier.wait()
            for attempt in range(50):
                try:
                    claim_need(actor=member, need=Need.objects.get(pk=need.pk))
                    outcomes[index] = "ok"
                except services.PartyError as exc:
                    outcomes[index] = str(exc)
                except (
                    OperationalError
                ) as exc:  # SQLite: the database is busy with the other writer; try again
                    outcomes[index] = f"busy: {exc}"
                    time.sleep(0.01 * (attempt + 1))
                    continue
                break
        except Exception as exc:  # reported in the outcome, so the assertion shows it
            outcomes[index] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, m, n)) for i, (m, n) in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_it_gives_the_last_place_to_one_of_several_members_claiming_at_once(registration, need, unit_a):
    Need.objects.filter(pk=need.pk).update(places=2, claimed=1)
    members = [make_user(f"m{i}", Role.UNIT, unit_a, f"党员{i}") for i in range(5)]
    outcomes = race([(m, need) for m in members])
    assert outcomes.count("ok") == 1, outcomes
    assert sorted(outcomes) == ["All places of this need are taken."] * 4 + ["ok"], outcomes
    need.refresh_from_db()
    assert need.claimed == 2 and Claim.objects.filter(need=need).count() == 1


def test_it_counts_a_members_simultaneous_double_claim_once(registration, need, alice):
    outcomes = race([(alice, need), (alice, need), (alice, need)])
    assert sorted(outcomes) == ["You have claimed this need already."] * 2 + ["ok"], outcomes
    need.refresh_from_db()
    assert need.claimed == 1 and Claim.objects.filter(need=need, member=alice).count() == 1
