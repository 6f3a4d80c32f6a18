"""Counting rules (统计口径): a project counts once, at its first signing; a capital increase counts only the
increase; an upgrade only the upgrade."""

import datetime
from decimal import Decimal

import pytest

from tuijin.investment import services
from tuijin.investment.models import Agreement, Project, ProjectKind, Stage

from .conftest import OTHER_VALID_CODE, make_project, sign

D = datetime.date


def totals(**filters):
    return Project.objects.counted_signings(**filters).signed_total()


def test_it_counts_a_project_once_at_its_first_signing(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000", "framework")
    services.sign_again(
        actor=ivan, project=project, agreement_type="formal", date=D(2021, 5, 1), amount=Decimal("80000")
    )
    services.sign_again(
        actor=ivan, project=project, agreement_type="formal", date=D(2021, 6, 1), amount=Decimal("80000")
    )
    assert Agreement.objects.filter(project=project).count() == 3
    assert totals(year=2021) == {"count": 1, "amount": Decimal("80000")}
    project.refresh_from_db()
    assert project.first_signed_on == D(2021, 3, 1)
    assert project.agreement_type == "formal"


def test_it_does_not_count_a_signing_again_in_a_later_year(ivan, project, time_machine):
    sign(ivan, project, D(2021, 3, 1), "50000")
    time_machine.move_to(datetime.datetime(2022, 3, 1, 10, tzinfo=datetime.UTC))
    services.sign_again(
        actor=ivan, project=project, agreement_type="formal", date=D(2022, 2, 1), amount=Decimal("60000")
    )
    assert totals(year=2021)["count"] == 1
    assert totals(year=2022) == {"count": 0, "amount": Decimal("0")}


def test_it_keeps_the_first_signing_when_moving_back_and_signing_again(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.move_stage(actor=ivan, project=project, to_stage=Stage.NEGOTIATING, date=D(2021, 4, 1),
                        reason="对方董事会未批准，重新谈判")  # fmt: skip
    sign(ivan, project, D(2021, 6, 1), "70000", "formal")
    project.refresh_from_db()
    assert project.first_signed_on == D(2021, 3, 1)
    assert totals(year=2021) == {"count": 1, "amount": Decimal("70000")}
    assert Agreement.objects.filter(project=project, is_first=True).count() == 1


def test_it_counts_only_the_increase_of_a_capital_increase(ivan, project, enterprise, unit_a, head):
    sign(ivan, project, D(2021, 3, 1), "100000")
    increase = make_project(ivan, enterprise, unit_a, head, name="鲲鹏二期增资", kind=ProjectKind.INCREASE,
                            base_project=project, stage_since=D(2021, 5, 1))  # fmt: skip
    # the agreement states 15亿 in all; 5亿 of it is new
    sign(ivan, increase, D(2021, 7, 1), "150000", "formal", increment="50000")
    assert totals(year=2021) == {"count": 2, "amount": Decimal("150000")}  # 10亿 + 5亿, not 10亿 + 15亿
    increase.refresh_from_db()
    assert increase.counted_amount == Decimal("50000")


def test_it_counts_only_the_upgrade_of_an_upgraded_project(ivan, project, enterprise, unit_a, head):
    sign(ivan, project, D(2021, 3, 1), "20000")
    upgrade = make_project(ivan, enterprise, unit_a, head, name="区域总部升级为全国总部", kind=ProjectKind.UPGRADE,
                           base_project=project, stage_since=D(2021, 4, 1))  # fmt: skip
    sign(ivan, upgrade, D(2021, 8, 1), "60000", "formal", increment="40000")
    services.sign_again(actor=ivan, project=upgrade, agreement_type="formal", date=D(2021, 9, 1),
                        amount=Decimal("65000"), increment_amount=Decimal("45000"))  # fmt: skip
    assert totals(year=2021) == {"count": 2, "amount": Decimal("65000")}  # 2亿 + 4.5亿 upgrade


def test_it_refuses_an_increase_without_its_increment(ivan, project, enterprise, unit_a, head):
    sign(ivan, project, D(2021, 3, 1), "100000")
    increase = make_project(ivan, enterprise, unit_a, head, name="增资", kind=ProjectKind.INCREASE,
                            base_project=project, stage_since=D(2021, 5, 1))  # fmt: skip
    with pytest.raises(services.PipelineError) as exc:
        sign(ivan, increase, D(2021, 7, 1), "150000", "formal")
    assert exc.value.field == "increment_amount"
    with pytest.raises(services.PipelineError) as exc:
        sign(ivan, increase, D(2021, 7, 1), "150000", "formal", increment="160000")
    assert exc.value.field == "increment_amount"
    assert totals(year=2021)["count"] == 1


def test_it_still_counts_a_project_dropped_after_signing(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "30000")
    services.move_stage(
        actor=ivan, project=project, to_stage=Stage.DROPPED, date=D(2021, 9, 1), reason="企业战略调整"
    )
    assert totals(year=2021) == {"count": 1, "amount": Decimal("30000")}


def test_it_filters_counted_signings_by_sector_category_and_channel(
    ivan, olga, project, unit_a, sector_b, hightech
):  # fmt: skip
    sign(ivan, project, D(2021, 3, 1), "30000")
    other = services.create_enterprise(
        actor=olga, name="百度在线网络技术（北京）有限公司", credit_code=OTHER_VALID_CODE
    )
    elsewhere = make_project(olga, other, sector_b, hightech, name="百度智能云基地", channel="expo")
    sign(olga, elsewhere, D(2021, 4, 1), "20000")
    assert totals(year=2021) == {"count": 2, "amount": Decimal("50000")}
    assert totals(year=2021, sector=unit_a)["count"] == 1
    assert totals(year=2021, category=hightech) == {"count": 1, "amount": Decimal("20000")}
    assert totals(year=2021, channel="expo")["count"] == 1
    assert totals(year=2020)["count"] == 0
    assert totals(date_from=D(2021, 3, 15), date_to=D(2021, 12, 31))["count"] == 1


def test_it_counts_stages_reached_once_by_their_first_date(ivan, project):
    sign(ivan, project, D(2021, 3, 1), "30000")
    services.move_stage(actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 1),
                        registered_capital=Decimal("5000"))  # fmt: skip
    services.move_stage(actor=ivan, project=project, to_stage=Stage.LANDED, date=D(2021, 5, 1))
    services.move_stage(actor=ivan, project=project, to_stage=Stage.STARTED, date=D(2021, 6, 1))
    assert Project.objects.reached(Stage.LANDED, year=2021).count() == 1
    assert Project.objects.reached(Stage.STARTED, year=2021).count() == 1
    # moving back below 开工 un-starts it (it did not happen), but keeps the landing
    services.move_stage(
        actor=ivan, project=project, to_stage=Stage.LANDED, date=D(2021, 6, 2), reason="误操作"
    )
    assert Project.objects.reached(Stage.STARTED, year=2021).count() == 0
    assert Project.objects.reached(Stage.LANDED, year=2021).count() == 1
