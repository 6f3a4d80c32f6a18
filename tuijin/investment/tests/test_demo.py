"""The demo pipeline: loaded after the main scenario, whatever the day, with something true-looking on every
screen — every stage, the counting rules at work, overdue next steps and a task measured from the pipeline."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tuijin.core import demo
from tuijin.investment import analytics
from tuijin.investment.demo import load_demo_investment, summary
from tuijin.investment.models import Agreement, Enterprise, MeasureBinding, Project, ProjectKind, Stage
from tuijin.lib.credit_code import credit_code_is_valid
from tuijin.org.models import User
from tuijin.tasks.models import Task


def load(day: datetime.datetime):
    with time_machine.travel(day, tick=False):
        assert demo.load_demo()  # the main scenario loads the pipeline too
        return summary()


def test_it_builds_a_true_looking_pipeline(db, client):
    figures = load(datetime.datetime(2021, 11, 26, 10, 0, tzinfo=datetime.UTC))
    assert figures["enterprises"] == 40 and figures["projects"] >= 60
    assert figures["signed_this_year"] >= 15 and figures["overdue_next_steps"] >= 5
    projects = Project.objects.filter(is_illustrative=True)
    stages = set(projects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert (
        projects.filter(kind=ProjectKind.INCREASE).count() == 2
        and projects.filter(kind=ProjectKind.UPGRADE).count() == 2
    )
    assert (
        projects.filter(anchor_project__isnull=False).exists()
        and projects.filter(venture_firm__isnull=False).exists()
    )
    assert Agreement.objects.filter(is_first=False).exists()  # re-signed: counted once
    assert all(
        credit_code_is_valid(c)
        for c in Enterprise.objects.exclude(credit_code="").values_list("credit_code", flat=True)
    )
    assert Enterprise.objects.filter(credit_code="").count() == 3
    assert len(set(projects.values_list("sector", flat=True))) == 8
    today = datetime.date(2021, 11, 26)
    assert not projects.filter(stage_since__gt=today).exists()
    # tasks of the annual plan measured from the pipeline
    bound = MeasureBinding.objects.select_related("task")
    assert bound.count() == 2
    city = bound.get(sector__isnull=True).task
    assert city.measured_value == projects.counted_signings(year=2021).count() and city.progress > 0
    # the demo login sees it all, and a second load changes nothing
    investment = User.objects.get(username="investment")
    assert projects.visible_to(investment).count() == projects.count()
    assert not load_demo_investment()
    client.force_login(investment)
    response = client.get(reverse("investment_analytics"))
    assert response.status_code == 200 and len(response.context["targets"]) == 2
    rates = analytics.rates(investment, analytics.Filters(year=2021))
    assert 0 < rates["rates"][0]["rate"] < 100


@pytest.mark.parametrize("day", [datetime.datetime(2027, 1, 6, 9, 0, tzinfo=datetime.UTC)])
def test_it_loads_on_any_day(db, day):
    figures = load(day)
    assert figures["projects"] >= 60
    assert not Project.objects.filter(stage_since__gt=day.date()).exists()
    assert Task.objects.filter(investment_measure__isnull=False).count() == 2
