"""Twenty allocation requests for the same apartment at the same moment, each in its own thread and database
connection, produce exactly one lease; the database itself refuses a second current lease on a space."""

import threading
import time

import pytest
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.utils import timezone, translation

from tuijin.conftest import make_user
from tuijin.org.models import Role

from .. import services
from ..models import Application, Lease, Space
from .conftest import queue_up, submit

pytestmark = pytest.mark.django_db(transaction=True)


def race(attempts) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes = [""] * len(attempts)

    def run(index, manager, application, space):
        close_old_connections()
        translation.activate("en")
        try:
            barrier.wait()
            for attempt in range(100):
                try:
                    services.allocate(actor=manager, application=Application.objects.get(pk=application.pk),
                                      space=Space.objects.get(pk=space.pk), start=timezone.localdate(),
                                      reason="concurrency test")  # fmt: skip
                    outcomes[index] = "ok"
                except services.SpacesError as exc:
                    outcomes[index] = str(exc)
                except OperationalError as exc:  # SQLite: the other writer holds the database; try again
                    outcomes[index] = f"busy: {exc}"
                    time.sleep(0.01 * (attempt + 1))
                    continue
                break
        except Exception as exc:
            outcomes[index] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_it_lets_the_apartment_once_to_twenty_simultaneous_requests(apartment_policy, flat, manager):
    applications = [
        queue_up(
            submit(make_user(f"r{i}", Role.APPLICANT, None, f"申请人{i}"), apartment_policy, n=i), manager
        )
        for i in range(20)
    ]
    outcomes = race([(manager, application, flat) for application in applications])
    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if o != "ok"]
    assert all("not available" in o or "just been let" in o for o in refused), refused
    assert Lease.objects.filter(space=flat).count() == 1
    flat.refresh_from_db()
    assert flat.status == Space.Status.RESERVED
    assert Application.objects.filter(state=Application.State.ALLOCATED).count() == 1


def test_the_database_refuses_a_second_current_lease_on_a_space(lease, ben, apartment_policy, manager):
    other = queue_up(submit(ben, apartment_policy, n=2), manager)
    duplicate = Lease(application=other, space=lease.space, tenant=ben, start=lease.start, end=lease.end,
                      term_ends=lease.term_ends, market_rent=1, monthly_rent=1, rent_rule="x", allocated_by=manager)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    lease.state = Lease.State.ENDED
    lease.save()
    duplicate.save()  # once the first lease has ended the space can be let again
