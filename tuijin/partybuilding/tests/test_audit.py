"""Every change in 双报到 and 办实事 leaves an audit row, and none of them holds a phone or home address in clear."""

import datetime

import pytest

from tuijin.core.models import AuditEvent
from tuijin.tasks import services as tasks
from tuijin.tasks.models import Plan

from .. import practical, services
from ..services_service import (
    cancel_need,
    claim_need,
    complete_need,
    decide_record,
    publish_need,
    submit_record,
    update_need,
    withdraw_claim,
)

D = datetime.date


@pytest.mark.django_db
def test_it_audits_every_write_and_masks_personal_data(sup, alice, unit_a, dora, community, need):
    services.save_community(actor=sup, community=community, name=community.name, street=community.street,
                            district=community.district, contact_phone="13812349999")  # fmt: skip
    post = services.save_post(actor=sup, name="应急救援")
    services.save_post(actor=sup, post=post, name="应急救援", is_active=False)
    reg = services.submit_registration(actor=alice, unit=unit_a, community=community, registered_on=D(2026, 5, 1),
                                       contact_name="张科技", contact_phone="13600001234", commitments="共建")  # fmt: skip
    reg = services.decide_registration(actor=dora, registration=reg, accept=False, reason="请补充共建项目")
    reg = services.resubmit_registration(actor=alice, registration=reg, registered_on=D(2026, 5, 2),
                                         contact_name="张科技", contact_phone="13600001234", commitments="共建项目")  # fmt: skip
    services.decide_registration(actor=dora, registration=reg, accept=True)
    member = services.register_member(actor=alice, unit=unit_a, community=community, address="金水区花园路88号院",
                                      phone="13712345678", availability="weekends")  # fmt: skip
    member = services.decide_member_registration(
        actor=dora, registration=member, accept=False, reason="地址不全"
    )
    member = services.resubmit_member_registration(actor=alice, registration=member, address="金水区花园路88号院1号楼",
                                                   phone="13712345678", availability="weekends")  # fmt: skip
    member = services.decide_member_registration(actor=dora, registration=member, accept=True)
    update_need(actor=dora, need=need, kind="service", title=need.title, needed_on=need.needed_on, places=3)
    claim_need(actor=alice, need=need)
    withdraw_claim(actor=alice, need=need)
    claim_need(actor=alice, need=need)
    complete_need(actor=dora, need=need)
    other = publish_need(
        actor=dora, community=community, kind="wish", title="书包", needed_on=D(2026, 6, 1), places=1
    )
    cancel_need(actor=dora, need=other, reason="已有爱心企业认领")
    record = submit_record(actor=alice, need=need, served_on=D(2026, 5, 20), hours=2, activity="打扫")
    decide_record(actor=dora, service=record, confirm=True)
    rejected = submit_record(
        actor=alice, community=community, served_on=D(2026, 5, 19), hours=1, activity="x"
    )
    decide_record(actor=dora, service=rejected, confirm=False, reason="无记录")
    services.withdraw_member_registration(actor=alice, registration=member)
    plan = tasks.create_plan(actor=sup, name="办实事", year=2026, kind=Plan.Kind.PRACTICAL)
    task = tasks.create_task(actor=sup, plan=plan, title="加装电梯", lead_units=[unit_a])
    practical.save_practical_list(actor=sup, plan=plan, is_public=True)
    update = practical.write_public_update(actor=alice, task=task, text="已开工")
    practical.set_published(actor=sup, update=update, published=True)
    practical.set_published(actor=sup, update=update, published=False)

    rows = AuditEvent.objects.filter(action__startswith="party.")
    actions = set(rows.values_list("action", flat=True))
    assert actions == {
        "party.community.create", "party.community.update", "party.post.create", "party.post.update",
        "party.registration.submit", "party.registration.return", "party.registration.resubmit",
        "party.registration.accept", "party.member.register", "party.member.return", "party.member.resubmit",
        "party.member.accept", "party.member.withdraw", "party.need.publish", "party.need.update",
        "party.need.claim", "party.need.withdraw_claim", "party.need.done", "party.need.cancel",
        "party.record.submit", "party.record.confirm", "party.record.reject", "party.practical.update",
        "party.public_update.write", "party.public_update.publish", "party.public_update.unpublish",
    }  # fmt: skip
    text = " ".join(str(r.before) + str(r.after) for r in rows)
    for secret in ("13812349999", "13600001234", "13712345678", "花园路88号"):
        assert secret not in text
    assert all(r.actor is not None for r in rows)
