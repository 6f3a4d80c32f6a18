"""Unit names as lists write them: full, short, alias, or tidied — never guessed."""

import pytest

from tuijin.org.models import Unit, UnitAlias, UnitKind
from tuijin.org.resolve import UnitResolver, guess_kind, normalise_unit_name


@pytest.fixture
def units(db):
    tech = Unit.objects.create(name="郑州市科学技术局", short_name="市科技局")
    district = Unit.objects.create(name="管城回族区人民政府")
    UnitAlias.objects.create(unit=district, name="管城区政府")
    erqi = Unit.objects.create(name="二七区人民政府")
    reform = Unit.objects.create(name="市发展改革委")
    UnitAlias.objects.create(unit=reform, name="市发改委")
    return {"tech": tech, "district": district, "erqi": erqi, "reform": reform}


def test_it_loads_everything_in_two_queries(units, django_assert_num_queries):
    with django_assert_num_queries(2):
        resolver = UnitResolver.load()
    with django_assert_num_queries(0):
        resolver.resolve("市科技局")


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("郑州市科学技术局", "tech"),
        ("市科技局", "tech"),  # short name
        ("管城区政府", "district"),  # alias
        ("市发改委", "reform"),
        ("二七区政府", "erqi"),  # 人民政府 → 政府
        ("二七区 人民政府", "erqi"),
        ("市科技局。", "tech"),  # trailing punctuation
        ("\u3000市发展改革委 ", "reform"),  # full-width space
        ("市 发展改革委", "reform"),
    ],
)
def test_it_finds_the_unit(units, written, unit):
    assert UnitResolver.load().resolve(written) == units[unit]


def test_it_does_not_guess(units):
    resolver = UnitResolver.load()

    assert resolver.resolve("市科学技术局") is None
    assert resolver.resolve("市发展和改革委员会") is None
    assert resolver.suggest("郑州市科学技朮局") == "郑州市科学技术局"
    assert resolver.suggest("完全不同的名字") is None


def test_a_full_name_wins_over_someone_elses_alias(db):
    real = Unit.objects.create(name="市商务局")
    other = Unit.objects.create(name="市商务局（旧）")
    UnitAlias.objects.create(unit=other, name="市商务局 ")

    assert UnitResolver.load().resolve("市商务局") == real


def test_it_tidies_and_guesses_a_new_units_kind():
    assert normalise_unit_name(" 金水区人民政府。") == "金水区政府"
    assert guess_kind("郑东新区管委会") == UnitKind.SECTOR
    assert guess_kind("金水区政府") == UnitKind.DISTRICT
    assert guess_kind("市营商办") == UnitKind.DEPARTMENT
