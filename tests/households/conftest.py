"""Fixtures of the registry tests: a commune with villages, its officer and leader, households with members."""

from datetime import date

import pytest

from households import services
from households.models import PovertyStandard
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

# The 2025 review period runs 01/09/2025 - 14/12/2025 (seeded defaults, DOMAIN.md §3).
OPEN_2025 = date(2025, 10, 1)
CLOSED_2025 = date(2026, 1, 10)


def make_village(commune, name, *, urban=False):
    category = UnitCategory.VILLAGE_URBAN if urban else UnitCategory.VILLAGE_RURAL
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=category, name=name, parent=commune)


@pytest.fixture
def standard(reference_data):
    return PovertyStandard.objects.get(code="nd07-2021")


@pytest.fixture
def song_an(tree):
    return tree.commune("13249")  # Xã Song An, Huyện Vũ Thư (rural)


@pytest.fixture
def vu_hoi(tree):
    return tree.commune("13255")  # Xã Vũ Hội, Huyện Vũ Thư


@pytest.fixture
def village(song_an):
    return make_village(song_an, "Thôn Đông")


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an)


@pytest.fixture
def leader(make_user, song_an):
    return make_user(Role.COMMUNE_LEADER, song_an)


@pytest.fixture
def province_admin(make_user, tree):
    return make_user(Role.ADMIN, tree.province)


_serial = iter(range(1, 10**6))


def head(name="Nguyễn Văn An", **fields):
    n = next(_serial)
    return {
        "full_name": name,
        "birth_date": date(1970, 5, 1),
        "sex": "M",
        "cccd": f"0340700{n:05d}",
        **fields,
    }


def add_household(user, village, code, *, members=2):
    """A household with a head and `members - 1` more members, created through the services."""
    household = services.create_household(user=user, village=village, code=code, head=head())
    for i in range(members - 1):
        services.save_member(
            user=user,
            household=household,
            full_name=f"Trần Thị Bình {i}",
            birth_date=date(1995 + i, 1, 15),
            sex="F",
            relation="child",
        )
    return household


@pytest.fixture
def household(officer, village):
    return add_household(officer, village, "13249-00001", members=3)
