"""The benchmark seeding (bench/seed.py, outside the application) builds what the
benchmarks count on: a province of communes of 5-15 teams, each team under a hamlet, about
9.2 members a team, the first of each team its leader."""

import importlib

import pytest
from django.apps import apps

from bench import seed
from organisations.models import Membership, OrgUnit, Role, UnitKind


@pytest.mark.django_db
def test_seed_builds_a_province_of_teams_with_members(capsys):
    seed.main(["--members", "100", "--prefix", "SEEDT", "--phone-offset", "7000000"])
    assert capsys.readouterr().out.startswith("11 teams, 100 members in ")
    province = OrgUnit.objects.get(code="SEEDT")
    assert province.kind == UnitKind.PROVINCE and province.depth == 1
    units = OrgUnit.objects.filter(path__startswith=province.path).exclude(pk=province.pk)
    communes = units.filter(kind=UnitKind.COMMUNE)
    teams = units.filter(kind=UnitKind.TEAM)
    assert teams.count() == 11 and units.filter(kind=UnitKind.HAMLET).count() == 11
    assert all(5 <= c.numchild <= 15 for c in communes[:1]) and communes.count() <= 3
    assert province.numchild == communes.count()
    for team in teams:
        assert team.get_parent().kind == UnitKind.HAMLET
    members = Membership.objects.filter(unit__in=teams)
    assert members.count() == 100
    assert members.filter(role=Role.LEADER).count() == 11
    assert sorted(teams.values_list("pk", flat=True)) == sorted(
        members.filter(role=Role.LEADER).values_list("unit_id", flat=True)
    )
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_tree_only_builds_no_members():
    teams = seed.seed(members=30, prefix="SEEDU", tree_only=True)
    assert len(teams) == 4
    assert not Membership.objects.filter(unit__in=teams).exists()


def test_seeding_is_not_part_of_the_application():
    assert not any(config.name == "bench" for config in apps.get_app_configs())
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("organisations.bench")
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("organisations.management.commands.bench_seed")
