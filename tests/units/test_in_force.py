"""One meaning of "unit in force now" everywhere: a unit whose end date lies ahead (the 2025 reorganisation
announces them) is still in force today, and one that starts later is not yet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from households import selectors as household_selectors
from imports import normalise
from imports import selectors as import_selectors
from imports.importers.base import commune_names, village_names
from imports.importers.lookup import UnitLookup
from imports.importers.users import Context as UsersContext
from imports.importers.users import unit_names
from imports.models import ImportJob
from units import policy
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Action, Role


@pytest.fixture
def dates():
    today = timezone.localdate()
    return {"today": today, "ahead": today + timedelta(days=400), "later": today + timedelta(days=30)}


@pytest.fixture
def units(tree, dates):
    """In Huyện Vũ Thư: Xã Song An ends in a year's time; Xã Song An Mới starts next month; each has a village
    with the same dates."""
    district = tree.district("344")
    ending = tree.commune("13249")
    Unit.objects.filter(pk=ending.pk).update(valid_to=dates["ahead"])
    ending.refresh_from_db()
    starting = Unit.objects.create(
        kind=UnitKind.COMMUNE,
        category=UnitCategory.COMMUNE_RURAL,
        name="Xã Song An Mới",
        code="99249",
        parent=district,
        valid_from=dates["later"],
    )
    ending_village = Unit.objects.create(
        kind=UnitKind.VILLAGE,
        category=UnitCategory.VILLAGE_RURAL,
        name="Thôn Đông Hòa",
        parent=ending,
        valid_to=dates["ahead"],
    )
    starting_village = Unit.objects.create(
        kind=UnitKind.VILLAGE,
        category=UnitCategory.VILLAGE_RURAL,
        name="Thôn Nguyệt Lâm Mới",
        parent=starting,
        valid_from=dates["later"],
    )
    return {
        "district": district,
        "ending": ending,
        "starting": starting,
        "ending_village": ending_village,
        "starting_village": starting_village,
    }


def test_the_queryset_says_which_units_are_in_force(units, dates):
    current = set(Unit.objects.current().values_list("pk", flat=True))
    assert {units["ending"].pk, units["ending_village"].pk} <= current
    assert not {units["starting"].pk, units["starting_village"].pk} & current
    later = set(Unit.objects.active_on(dates["later"]).values_list("pk", flat=True))
    assert {units["starting"].pk, units["ending"].pk} <= later
    assert units["ending"].pk not in set(
        Unit.objects.active_on(dates["ahead"] + timedelta(days=1)).values_list("pk", flat=True)
    )


def test_the_unit_browser_lists_the_units_in_force_today(client, make_user, tree, units):
    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    html = client.get(reverse("units:detail", args=[units["district"].pk])).content.decode()
    assert "Xã Song An" in html and "Xã Song An Mới" not in html


def test_the_household_forms_offer_the_villages_in_force(make_user, tree, units):
    officer = make_user(Role.DISTRICT_OFFICER, units["district"])
    villages = set(household_selectors.villages_for(officer))
    assert units["ending_village"] in villages and units["starting_village"] not in villages
    communes = set(household_selectors.communes_for(officer))
    assert units["ending"] in communes and units["starting"] not in communes


def test_imports_find_the_units_in_force(make_user, tree, units):
    officer = make_user(Role.DISTRICT_OFFICER, units["district"], last_name="Phạm Thị", first_name="Thu Hương")
    lookup = UnitLookup(ImportJob(unit=units["district"], requested_by=officer))
    commune = lookup.commune("13249")
    assert commune == units["ending"]
    assert lookup.village(commune, "Thôn Đông Hòa") == units["ending_village"]
    with pytest.raises(normalise.Invalid, match="có hiệu lực từ ngày"):
        lookup.commune("Xã Song An Mới")
    assert "Xã Song An" in commune_names(units["district"])
    assert "Xã Song An Mới" not in commune_names(units["district"])
    assert "Thôn Đông Hòa" in village_names(units["district"])
    assert "Thôn Nguyệt Lâm Mới" not in village_names(units["district"])
    targets = set(import_selectors.target_units(officer))
    assert units["ending"] in targets and units["starting"] not in targets


def test_a_village_that_starts_later_is_not_taken_yet(make_user, tree, units):
    officer = make_user(Role.DISTRICT_OFFICER, units["district"])
    lookup = UnitLookup(ImportJob(unit=units["district"], requested_by=officer))
    starting = units["starting"]
    lookup.allowed.add(starting.pk)  # as if the commune were in force: its village still is not
    with pytest.raises(normalise.Invalid, match="có hiệu lực từ ngày"):
        lookup.village(starting, "Thôn Nguyệt Lâm Mới")


def test_the_users_import_names_and_finds_the_units_in_force(make_user, tree, units):
    admin = make_user(Role.ADMIN, tree.province)
    names = unit_names(tree.province)
    assert "Xã Song An (13249)" in names and "Xã Song An Mới (99249)" not in names
    context = UsersContext(ImportJob(unit=tree.province, requested_by=admin), applying=False)
    assert context.unit("13249", Role.COMMUNE_OFFICER) == units["ending"]
    with pytest.raises(normalise.Invalid):
        context.unit("99249", Role.COMMUNE_OFFICER)


def test_the_policy_lets_the_officer_of_a_unit_in_force_act(make_user, units):
    officer = make_user(Role.COMMUNE_OFFICER, units["ending"])
    assert policy.can(officer, Action.EDIT_REGISTRY, units["ending_village"])
    assert set(policy.restrict(officer, Unit.objects.current())) == {units["ending"], units["ending_village"]}
