"""The tick step: reminders to the unit when acknowledgement is late, red notices to the unit and the office from
the day after the deadline, once per day (idempotent), unrated replies closed, call-back share watched."""

import datetime

from tuijin.notifications.models import Notification
from tuijin.servicedesk import services
from tuijin.servicedesk.models import Policy
from tuijin.servicedesk.tick import step_servicedesk

from .conftest import at


def test_it_reminds_the_unit_and_the_office_of_overdue_requests(raise_for, alice, sup):
    req = raise_for(at(2021, 9, 30, 10, 0))  # acknowledge by 10-8 10:00; reply by 10-13
    Notification.objects.all().delete()
    step_servicedesk(at(2021, 10, 8, 12, 0))
    assert Notification.objects.filter(user=alice, key__startswith="servicedesk:ack-late").count() == 1
    assert not Notification.objects.filter(key__startswith="servicedesk:overdue").exists()
    services.acknowledge(actor=alice, request=req, now=at(2021, 10, 8, 13, 0))
    step_servicedesk(at(2021, 10, 13, 20, 0))  # deadline day: nothing yet
    assert not Notification.objects.filter(key__startswith="servicedesk:overdue").exists()
    summary = step_servicedesk(at(2021, 10, 14, 8, 0))  # the day after the deadline
    assert "overdue notices: 1" in summary
    assert Notification.objects.get(user=alice, key__startswith="servicedesk:overdue").level == "red"
    assert Notification.objects.filter(user=sup, key__startswith="servicedesk:overdue").exists()
    again = step_servicedesk(at(2021, 10, 14, 9, 0))  # same day: nothing new
    assert "overdue notices: 0" in again


def test_it_tells_the_office_when_call_backs_fall_short(raise_for, alice, eva, sup, time_machine):
    time_machine.move_to(at(2021, 10, 20, 10, 0))
    policy = Policy.current()
    policy.callback_percent = 50
    policy.save()
    for n in range(2):
        req = raise_for(at(2021, 10, 11, 10, 0), title=f"事项{n}")
        services.reply(actor=alice, request=req, text="答复", now=at(2021, 10, 12, 10, 0))
        services.rate(actor=eva, request=req, satisfaction="satisfied", now=at(2021, 10, 13, 10, 0))
    step_servicedesk(at(2021, 10, 20, 10, 0))
    assert Notification.objects.filter(user=sup, key__startswith="servicedesk:callbacks").count() == 1
    req.refresh_from_db()
    services.record_callback(actor=sup, request=req, called_on=datetime.date(2021, 10, 20), satisfaction="satisfied",
                             now=at(2021, 10, 20, 11, 0))  # fmt: skip
    Notification.objects.filter(key__startswith="servicedesk:callbacks").delete()
    step_servicedesk(at(2021, 10, 20, 12, 0))  # 1 of 2 = 50 %: enough
    assert not Notification.objects.filter(key__startswith="servicedesk:callbacks").exists()
