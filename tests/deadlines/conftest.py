"""Fixtures of the deadlines tests: Plan 119's unit report owed by the communes of Huyện Vũ Thư, and their people."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import Deadline, DeadlineKind
from units.choices import UnitKind
from units.roles import Action, Role

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2025, 11, 20)
TITLE = "Báo cáo kết quả thực hiện phong trào “Vì người nghèo - Không để ai bị bỏ lại phía sau” năm 2025"


def morning(day):
    """7 o'clock in Vietnam, when beat runs the reminders."""
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=VIETNAM)


@pytest.fixture
def song_an(tree):
    return tree.commune("13249")


@pytest.fixture
def vu_hoi(tree):
    return tree.commune("13255")


@pytest.fixture
def report(song_an):
    """The communes of Song An's district owe their yearly report by 20/11/2025."""
    return Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT,
        year=2025,
        title=TITLE,
        opens_on=date(2025, 10, 1),
        due_on=DUE,
        action=Action.REPORT,
        unit_kinds=[UnitKind.COMMUNE],
        within=song_an.parent,
    )


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an, last_name="Nguyễn Thị", first_name="Huyền")


@pytest.fixture
def vu_hoi_officer(make_user, vu_hoi):
    return make_user(Role.COMMUNE_OFFICER, vu_hoi, last_name="Phạm Văn", first_name="Đức")


@pytest.fixture
def district_officer(make_user, song_an):
    return make_user(Role.DISTRICT_OFFICER, song_an.parent, last_name="Trần Quang", first_name="Khải")
