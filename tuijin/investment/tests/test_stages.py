"""Stage moves: dated history, required fields per stage, reasons to move back or drop, audited."""

import datetime
from decimal import Decimal

import pytest

from tuijin.core.models import AuditEvent
from tuijin.investment import services
from tuijin.investment.models import Stage, StageChange

from .conftest import sign

D = datetime.date


def refused(field, **kwargs):
    with pytest.raises(services.PipelineError) as exc:
        services.move_stage(**kwargs)
    assert exc.value.field == field, exc.value.message
    return exc.value.message


def test_it_records_each_move_with_its_date_and_audits_it(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.move_stage(actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 2),
                        registered_capital=Decimal("10000"))  # fmt: skip
    moves = list(StageChange.objects.filter(project=project).values_list("from_stage", "to_stage", "date"))
    assert moves == [("", "lead", D(2021, 1, 4)), ("lead", "signed", D(2021, 3, 1)),
                     ("signed", "registered", D(2021, 4, 2))]  # fmt: skip
    project.refresh_from_db()
    assert (project.stage, project.stage_since, project.registered_on) == (
        "registered",
        D(2021, 4, 2),
        D(2021, 4, 2),
    )
    assert (
        AuditEvent.objects.filter(action="investment.project.stage", object_id=str(project.pk)).count() == 2
    )


def test_it_asks_the_signing_fields(ivan, project):
    base = {"actor": ivan, "project": project, "to_stage": Stage.SIGNED, "date": D(2021, 3, 1)}
    refused("agreement_type", **base, contract_amount=Decimal(1))
    refused("contract_amount", **base, agreement_type="formal")
    refused("contract_amount", **base, agreement_type="formal", contract_amount=Decimal(-1))
    project.refresh_from_db()
    assert project.stage == Stage.LEAD and project.first_signed_on is None
    assert not project.agreements.exists()


def test_it_refuses_registration_without_a_valid_credit_code(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    project.enterprise.credit_code = ""
    project.enterprise.save()
    message = refused("to_stage", actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 1),
                      registered_capital=Decimal(100))  # fmt: skip
    assert "credit code" in message
    project.enterprise.credit_code = "914403001922038216"
    project.enterprise.save()
    refused("registered_capital", actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 1))


def test_it_does_not_let_an_unsigned_project_land(ivan, project):
    refused("to_stage", actor=ivan, project=project, to_stage=Stage.LANDED, date=D(2021, 4, 1))


def test_it_needs_a_reason_to_move_back_or_drop(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    refused("reason", actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 4, 1))
    refused("reason", actor=ivan, project=project, to_stage=Stage.DROPPED, date=D(2021, 4, 1))
    services.move_stage(
        actor=ivan, project=project, to_stage=Stage.DROPPED, date=D(2021, 4, 1), reason="落户他省"
    )
    project.refresh_from_db()
    assert (project.dropped_on, project.dropped_reason) == (D(2021, 4, 1), "落户他省")
    # reopening a dropped project is a move back too
    refused("reason", actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 5, 1))
    services.move_stage(
        actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 5, 1), reason="重启洽谈"
    )
    project.refresh_from_db()
    assert project.dropped_on is None and project.first_signed_on == D(2021, 3, 1)


def test_it_refuses_dates_in_the_future_or_before_the_present_stage(ivan, project):
    refused("date", actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 12, 1))
    refused("date", actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2020, 12, 1))


def test_it_lets_only_the_sectors_officers_move_a_project(vera, alice, sup, leader, project):
    for outsider in (vera, alice, sup, leader):
        refused(None, actor=outsider, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 3, 1))


def test_it_lets_the_officer_and_service_team_from_elsewhere_move_it(ivan, vera, project):
    services.update_project(actor=ivan, project=project, service_team=[vera])
    services.move_stage(actor=vera, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 3, 1))
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_it_refuses_an_officer_who_is_not_an_investment_officer(ivan, alice, project):
    with pytest.raises(services.PipelineError) as exc:
        services.update_project(actor=ivan, project=project, officer=alice)
    assert exc.value.field == "officer"
