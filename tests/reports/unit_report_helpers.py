"""Shared pieces of the unit report tests: generated registry data in Huyện Vũ Thư, the people who file and
receive the reports, a report's narrative."""

import random
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from households.models import Household, ReviewState
from tests.factories import ReviewFactory
from tests.households.conftest import make_village
from units.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CLASSES = ["poor", "near_poor", "average", "none"]


def at(year, month, day, hour=9, minute=0, second=0):
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)


def generate(tree, communes=("13249", "13255"), households=40, seed=11):
    """Households of each commune with recognised 2024 and 2025 reviews of random classes (some missing)."""
    rng = random.Random(seed)
    n = 0
    for code in communes:
        village = make_village(tree.commune(code), "Thôn Đông Hồ Nam Tiến Lương Xá Thượng")
        for _ in range(households):
            n += 1
            household = Household.objects.create(province=tree.province, village=village, code=f"{code}-{n:05d}")
            for year in (2024, 2025):
                if rng.random() < 0.9:
                    cls = rng.choice(CLASSES)
                    ReviewFactory(
                        household=household,
                        year=year,
                        state=ReviewState.RECOGNISED,
                        computed_class=cls,
                        recognised_class=cls,
                        member_count=rng.randint(1, 6),
                    )


SECTIONS = {
    "direction": unicodedata.normalize("NFD", "Ủy ban nhân dân xã ban hành Kế hoạch số 45/KH-UBND ngày 10/3/2025."),
    "results": "Giảm 12 hộ nghèo, vượt chỉ tiêu huyện giao.",
    "practices": "Mô hình “Tổ tiết kiệm vì phụ nữ nghèo” ở thôn Đông Hồ.",
    "difficulties": "Một số hộ nghèo không còn khả năng lao động.",
    "proposals": "Đề nghị huyện hỗ trợ thêm vốn vay ưu đãi.",
}


class People:
    """Xã Song An's officer, Vũ Hội's officer, Huyện Vũ Thư's and Huyện Tiền Hải's officers, DOLISA, the Women's
    Union reporter."""

    def __init__(self, tree, make_user, movement):
        self.song_an = tree.commune("13249")
        self.vu_hoi = tree.commune("13255")
        self.vu_thu = tree.district("344")
        self.tien_hai = tree.district("342")
        self.women = tree.participant("Hội LHPN tỉnh")
        self.commune = make_user(Role.COMMUNE_OFFICER, self.song_an, username="canbo.songan", last_name="Lê Thị")
        self.other_commune = make_user(Role.COMMUNE_OFFICER, self.vu_hoi, username="canbo.vuhoi")
        self.district = make_user(
            Role.DISTRICT_OFFICER, self.vu_thu, username="ldtbxh.vuthu", last_name="Phạm Văn", first_name="Quyết"
        )
        self.other_district = make_user(Role.DISTRICT_OFFICER, self.tien_hai, username="ldtbxh.tienhai")
        self.dolisa = make_user(Role.DOLISA_STAFF, movement.lead_unit, username="sldtbxh.thidua")
        self.union = make_user(Role.UNIT_REPORTER, self.women, username="hlhpn.baocao")
