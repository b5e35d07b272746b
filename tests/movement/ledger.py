"""Helpers of the ledger tests: a commune with villages and households, givers with their reporters."""

import unicodedata
from datetime import date

from households import services as household_services
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

HEAD = "Nguyễn Thị Hồng Nhung"


def village(commune, name):
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)


def household(officer, village_unit, code, head=HEAD):
    return household_services.create_household(
        user=officer,
        village=village_unit,
        code=code,
        head={
            "full_name": unicodedata.normalize("NFD", head),
            "birth_date": date(1978, 9, 5),
            "sex": "F",
        },
    )


class Ledger:
    """Xã Song An (13249) with Thôn Đông Hồ and two households; Xã Vũ Hội (13255) with one; the Social Policy Bank
    and the Women's Union with a reporter each; a commune officer of each commune."""

    def __init__(self, tree, make_user):
        self.song_an = tree.commune("13249")
        self.vu_hoi = tree.commune("13255")
        self.bank = tree.participant("NHCSXH Thái Bình")
        self.women = tree.participant("Hội LHPN tỉnh")
        self.officer = make_user(Role.COMMUNE_OFFICER, self.song_an, username="canbo.songan")
        self.other_officer = make_user(Role.COMMUNE_OFFICER, self.vu_hoi, username="canbo.vuhoi")
        self.banker = make_user(
            Role.UNIT_REPORTER, self.bank, username="nganhang", last_name="Ngô Thị", first_name="Thanh Tâm"
        )
        self.women_reporter = make_user(Role.UNIT_REPORTER, self.women, username="phunu")
        self.dong_ho = village(self.song_an, "Thôn Đông Hồ")
        self.vu_hoi_village = village(self.vu_hoi, "Thôn Đoài")
        self.first = household(self.officer, self.dong_ho, "13249-00017")
        self.second = household(self.officer, self.dong_ho, "13249-00018", head="Trần Văn Đức Thịnh")
        self.third = household(self.other_officer, self.vu_hoi_village, "13255-00001", head="Phạm Thị Thu Hương")
