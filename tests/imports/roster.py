"""Synthetic household rosters as communes send them: Vietnamese names, Excel dates, CCCDs as text.

`roster_rows` yields (header, rows) for households of the given villages; `write_roster` streams them to an .xlsx
(write-only, so a 100,000-row file is cheap to build). Used by the tests and by the throughput measurement:

    python -m tests.imports.roster /tmp/roster.xlsx 100000 <district GSO code>
    make bench BENCH_ARGS="--only imports"   # the throughput measurement
"""

import random
from datetime import datetime

from openpyxl import Workbook

HEADER = [
    "STT",
    "Mã hộ",
    "Xã/Phường/Thị trấn",
    "Thôn/Tổ dân phố",
    "Địa chỉ",
    "Họ và tên",
    "Quan hệ với chủ hộ",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Dân tộc",
    "Có thẻ BHYT",
    "Khuyết tật",
    "Khả năng lao động",
    "Tình trạng đi học",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Hoàng", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh", "Đào", "Phan"]
MIDDLE_M = ["Văn", "Đức", "Đình", "Xuân", "Hữu", "Quang", "Minh", "Thành", "Trọng", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng", "Thùy", "Thị Thu", "Minh"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Đức", "Huy", "Khánh", "Phúc"]
GIVEN_F = ["Lan", "Hương", "Hoa", "Mai", "Linh", "Ngọc", "Trang", "Thảo", "Nhung", "Hằng", "Huyền", "Phương", "Yến"]


# The school level of each age, so that a generated roster does not set off the import's age warnings.
SCHOOLING = [(3, 5, "Mầm non"), (6, 10, "Tiểu học"), (11, 14, "THCS"), (15, 17, "THPT")]


def _name(rng, male, family=None):
    middle = rng.choice(MIDDLE_M if male else MIDDLE_F)
    given = rng.choice(GIVEN_M if male else GIVEN_F)
    return f"{family or rng.choice(FAMILY)} {middle} {given}"


def _cccd(rng, serial, born, male):
    century = (0 if male else 1) + (2 if born.year >= 2000 else 0)
    return f"034{century}{born.year % 100:02d}{serial % 1_000_000:06d}"


def household_members(rng, serial):
    """One household: (name, relation, birth, male, cccd) for 1-7 members, ~3.3 on average."""
    size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 20, 22, 25, 13, 7, 3])[0]
    head_male = rng.random() < 0.8
    family = rng.choice(FAMILY)
    head_born = datetime(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28))
    people = [(_name(rng, head_male, family), "Chủ hộ", head_born, head_male)]
    if size > 1:
        spouse_born = datetime(min(head_born.year + rng.randint(-3, 5), 2000), rng.randint(1, 12), rng.randint(1, 28))
        people.append((_name(rng, not head_male), "Vợ" if head_male else "Chồng", spouse_born, not head_male))
    for child in range(size - len(people)):
        male = rng.random() < 0.5
        year = min(head_born.year + 20 + 2 * child + rng.randint(0, 1), 2024)
        born = datetime(year, rng.randint(1, 12), rng.randint(1, 28))
        people.append((_name(rng, male, family if male else None), "Con", born, male))
    members = []
    for index, (name, relation, born, male) in enumerate(people):
        cccd = _cccd(rng, serial * 8 + index, born, male) if born.year <= 2010 and rng.random() < 0.85 else None
        members.append((name, relation, born, male, cccd))
    return members


def roster_rows(villages, rows, *, seed=129, prefix="HB"):
    """Rows for about `rows` members; `villages` is a list of (commune name, village name)."""
    rng = random.Random(seed)
    serial = number = 0
    while number < rows:
        serial += 1
        commune, village = villages[serial % len(villages)]
        code = f"{prefix}-{serial:06d}"
        address = f"Số {rng.randint(1, 200)}, {village}"
        for index, (name, relation, born, male, cccd) in enumerate(household_members(rng, serial)):
            number += 1
            age = 2025 - born.year
            schooling = next(
                (level for low, high, level in SCHOOLING if low <= age <= high), "Không trong độ tuổi đi học"
            )
            yield [
                number,
                code,
                commune if index == 0 else None,
                village if index == 0 else None,
                address if index == 0 else None,
                name,
                relation,
                born,
                "Nam" if male else "Nữ",
                cccd,
                "Kinh",
                "Có",
                "Không",
                "Có khả năng lao động" if 16 <= age <= 60 else "Không có khả năng lao động",
                schooling,
            ]


def write_roster(path, villages, rows, *, title=True, **kwargs):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    if title:
        sheet.append(["DANH SÁCH HỘ GIA ĐÌNH VÀ THÀNH VIÊN"])
        sheet.append([])
    sheet.append(HEADER)
    for row in roster_rows(villages, rows, **kwargs):
        sheet.append(row)
    workbook.save(path)


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from units.models import Unit

    target, count, district = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    villages = [
        (v.parent.name, v.name)
        for v in Unit.objects.filter(kind="village", parent__parent__code=district, parent__valid_to__isnull=True)
        .select_related("parent")
        .order_by("path")
    ]
    write_roster(target, villages, count)
