"""Synthetic registry data for the demo site and the benchmarks; never used in production.

`seed(households=N)` gives every commune in force 6-12 villages (thôn, or tổ dân phố in wards and towns), then
N households with 1-7 members each and one review a year for 2021-2025. Classes follow Plan 119: about 3.6 %
poor and 3.6 % near-poor households at the 2021 baseline, the number of poor households cut by about a third by
2025, with some re-poor (tái nghèo) and newly poor (phát sinh) households every year. Each review's income and
deprivations are drawn for its class and classified by `rules.classify`, so the computed class always agrees
with the rule. Closed years are locked (with the system transition `lock_closed_periods` writes).

A small load (at most DEMO_MAX_HOUSEHOLDS) is a demo: the demo communes get more households and Xã Song An has
2026 reviews in draft, submitted and returned states so the queues have work. A large load is a benchmark load:
households are spread over the whole province and nothing is left open.

Generation is deterministic (seeded per commune) and streamed: rows are written with COPY in chunks, by a
separate generator process for large loads so that Python and PostgreSQL work on both cores at once. The
history triggers of pghistory are skipped for these rows: demo data has no author to record.
"""

import io
import math
import multiprocessing
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pgtrigger
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from units.choices import URBAN_COMMUNE_CATEGORIES, UnitCategory, UnitKind
from units.models import Unit

from . import rules, selectors
from .models import Household, PovertyCause, PovertyClass

SEED = 129  # chosen so that small demo loads show the yearly fall clearly
FIRST_YEAR, LAST_YEAR, CURRENT_YEAR = 2021, 2025, 2026
DEMO_MAX_HOUSEHOLDS = 20_000
DEMO_COMMUNE = "13249"  # Xã Song An, the demo commune officer's and leader's
DEMO_SHARES = {"13249": 0.20, "13255": 0.10}  # Song An and Vũ Hội in a demo load
DEMO_OFFICER, DEMO_LEADER = "xa.songan", "lanhdao.songan"
CHUNK_HOUSEHOLDS = 4_000
PARALLEL_FROM = 50_000  # households; below this, generate in this process
HISTORY_TRIGGERS = (
    "households.Household:insert_insert",
    "households.Member:insert_insert",
    "households.Review:insert_insert",
)

# Start shares (2021 review) and the year-on-year factors of the number of poor and near-poor households.
START_POOR, START_NEAR, START_AVERAGE = 0.036, 0.036, 0.11
POOR_FACTORS = {2022: 0.88, 2023: 0.90, 2024: 0.91, 2025: 0.93, 2026: 0.94}  # 2025 ≈ 0.67 × 2021
NEAR_FACTORS = {2022: 0.97, 2023: 0.96, 2024: 0.96, 2025: 0.95, 2026: 0.97}

POOR, NEAR, AVERAGE, ABOVE = "poor", "near_poor", "average", "none"
assert tuple(c.value for c in PovertyClass) == (POOR, NEAR, AVERAGE, ABOVE)

COLUMNS = {
    "households_household": "id, province_id, village_id, code, address, archived_at, archive_reason, created_at",
    "households_member": "household_id, full_name, birth_date, sex, relation, cccd, ethnicity, "
    "has_health_insurance, has_disability, working_capacity, schooling",
    # Generated columns (Member.name_folded, Review.deprivation_count) are left to the database.
    "households_review": "id, household_id, village_id, year, standard_id, is_urban, income, deprived, member_count, "
    "computed_class, class_override, class_reason, recognised_class, no_working_capacity, social_protection, "
    "meritorious_service, ethnic_minority, state, version, updated_at, updated_by_id",
    "households_review_causes": "review_id, povertycause_id",
    "households_reviewtransition": "review_id, from_state, to_state, by_id, at, comment",
}
TABLES = tuple(COLUMNS)


def _nfc(words):
    return [unicodedata.normalize("NFC", w) for w in words.split()]


def _pool(weighted):
    """A list to index with int(random() * len): each entry repeated by its weight."""
    return [
        unicodedata.normalize("NFC", x) if isinstance(x, str) else x for x, weight in weighted for _ in range(weight)
    ]


FAMILY = _pool(
    [("Nguyễn", 380), ("Trần", 110), ("Lê", 90), ("Phạm", 75), ("Vũ", 55), ("Hoàng", 45), ("Đặng", 22),
     ("Bùi", 25), ("Đỗ", 20), ("Ngô", 14), ("Hồ", 8), ("Dương", 10), ("Đinh", 10), ("Đào", 10), ("Mai", 8),
     ("Phan", 10), ("Trịnh", 8), ("Lương", 6), ("Tạ", 5), ("Tô", 5), ("Hà", 5), ("Lại", 4), ("Khúc", 4),
     ("Quách", 3), ("Cao", 5), ("Lý", 4), ("Đoàn", 5), ("Nghiêm", 3), ("Doãn", 2), ("Bế", 1)]
)  # fmt: skip
MIDDLE_MALE_OLD = _pool([("Văn", 60), ("Đức", 8), ("Đình", 8), ("Xuân", 5), ("Hữu", 6), ("Quang", 5), ("Ngọc", 4),
                         ("Công", 4)])  # fmt: skip
MIDDLE_MALE_YOUNG = _pool([("Văn", 25), ("Đức", 12), ("Minh", 15), ("Quang", 8), ("Thành", 7), ("Hữu", 5),
                           ("Duy", 6), ("Tuấn", 4), ("Trọng", 5), ("Công", 5), ("Gia", 4), ("Bảo", 4)])  # fmt: skip
MIDDLE_FEMALE_OLD = _pool([("Thị", 85), ("Thu", 4), ("Ngọc", 3), ("Kim", 3), ("Thanh", 3), ("Hồng", 2)])
MIDDLE_FEMALE_YOUNG = _pool([("Thị", 40), ("Thu", 10), ("Minh", 8), ("Ngọc", 8), ("Thanh", 6), ("Phương", 6),
                             ("Hồng", 5), ("Thùy", 6), ("Kim", 3), ("Bích", 3), ("Thị Thu", 3),
                             ("Hải", 2)])  # fmt: skip
GIVEN_MALE = _nfc(
    "Hùng Dũng Tuấn Nam Long Hải Sơn Thắng Cường Minh Đức Hoàng Huy Khánh Phúc Quân Tùng Bình An Thành Vinh Toàn "
    "Hiếu Trung Kiên Lâm Mạnh Nghĩa Phong Tài Thịnh Tiến Việt Hưng Quý Lực Chiến Đạt Hòa Thái Tâm Lợi Khoa Hiệp "
    "Tuyên Sáng Thuận Bảo Đông Giang Hậu Kha Lộc Lượng Ninh Thanh Trường Tú Vượng Xuân Yên Đại Định Khải"
)
GIVEN_FEMALE = _nfc(
    "Lan Hương Hoa Mai Linh Ngọc Trang Hà Thảo Nhung Hằng Huyền Phương Yến Loan Dung Thủy Nga Hạnh Oanh Liên "
    "Tuyết Vân Anh Chi My Vy Ánh Nhàn Xuân Thu Hiền Quỳnh Giang Hồng Lý Hoài Hậu Thơm Lụa Nụ Hòa Bích Huệ Lành "
    "Ngân Nhi Tâm Thanh Thắm Thúy Trâm Uyên Vui"
)
ETHNIC_MINORITIES = _pool([("Mường", 4), ("Tày", 3), ("Thái", 2), ("Hoa", 2), ("Nùng", 2), ("Dao", 1)])
VILLAGE_NAMES = _nfc(
    "Đông Tây Nam Bắc Trung Thượng Hạ Đoài An_Lạc An_Phú Phú_Lạc Phú_Xuân Bình_Minh Tân_Lập Tân_Hòa Hòa_Bình "
    "Quang_Minh Đồng_Tâm Thống_Nhất Văn_Lang Cổ_Dũng Vạn_Thắng Hưng_Đạo Phúc_Khánh Đại_Đồng Nguyệt_Lâm "
    "Thanh_Châu Nam_Tiến Kim_Thành Lạc_Đạo Xuân_Hòa Thái_Hòa Mỹ_Lộc Vĩnh_Ninh Hồng_Phong Đoàn_Kết Tiền_Phong "
    "Đông_Hồ Phương_Cáp Lương_Điền"
)
VILLAGE_NAMES = [name.replace("_", " ") for name in VILLAGE_NAMES]
RETURN_COMMENTS = [
    "Đề nghị kiểm tra lại thu nhập bình quân đầu người của hộ.",
    "Thiếu thông tin bảo hiểm y tế của các thành viên, đề nghị bổ sung.",
    "Số nhân khẩu chưa khớp với sổ hộ khẩu, đề nghị rà soát lại.",
    "Đề nghị ghi rõ chỉ số thiếu hụt về nhà ở theo phiếu B.",
]
# How often each indicator is among a household's deprivations (employment, dependants, nutrition, insurance,
# adult education, schooling, housing quality, housing area, water, latrine, telecom, information).
INDICATOR_WEIGHTS = {1: 14, 2: 16, 3: 3, 4: 14, 5: 9, 6: 3, 7: 10, 8: 9, 9: 4, 10: 8, 11: 4, 12: 6}
CAUSE_WEIGHTS = {
    "thieu-von": 30,
    "thieu-dat": 8,
    "thieu-phuong-tien": 8,
    "thieu-lao-dong": 25,
    "khong-biet-cach-lam-an": 8,
    "khong-co-viec-lam": 6,
    "om-dau": 25,
    "chay-luoi": 2,
    "khac": 3,
}
# Household types: weight and how much likelier than average to be poor in 2021.
FAMILY_TYPES = {
    "elder_single": (11, 3.5),
    "elder_couple": (17, 1.6),
    "nuclear": (37, 0.55),
    "three_gen_young": (11, 0.7),
    "three_gen_old": (9, 0.8),
    "single_parent": (7, 2.2),
    "young_couple": (8, 0.6),
}
_TYPE_NORM = sum(w * k for w, k in FAMILY_TYPES.values()) / sum(w for w, _k in FAMILY_TYPES.values())
_TYPE_POOL = _pool([(name, weight) for name, (weight, _k) in FAMILY_TYPES.items()])


# Villages -------------------------------------------------------------------------------------------------


def communes_in_force(day):
    return list(Unit.objects.active_on(day).filter(kind=UnitKind.COMMUNE).order_by("code"))


def _village_count(commune):
    return random.Random(f"{SEED}-villages-{commune.code}").randint(6, 12)


@transaction.atomic
def ensure_all_villages(day):
    """Give every commune in force on `day` that has no village 6-12 villages; returns how many were created."""
    communes = communes_in_force(day)
    with_villages = set(
        Unit.objects.filter(kind=UnitKind.VILLAGE, parent__in=communes).values_list("parent_id", flat=True)
    )
    villages = []
    for commune in communes:
        if commune.pk in with_villages:
            continue
        rng = random.Random(f"{SEED}-village-names-{commune.code}")
        count = _village_count(commune)
        if commune.category in URBAN_COMMUNE_CATEGORIES:
            category, names = UnitCategory.VILLAGE_URBAN, [f"Tổ dân phố {n}" for n in range(1, count + 1)]
        elif rng.random() < 0.5:
            category, names = UnitCategory.VILLAGE_RURAL, [f"Thôn {n}" for n in range(1, count + 1)]
        else:
            category, names = UnitCategory.VILLAGE_RURAL, [f"Thôn {n}" for n in rng.sample(VILLAGE_NAMES, count)]
        villages += [Unit(kind=UnitKind.VILLAGE, category=category, name=name, parent=commune) for name in names]
    Unit.objects.bulk_create(villages)
    return len(villages)


# Classes over the years --------------------------------------------------------------------------------------


def _inflow(cls, ever_poor, ever_near):
    """Chances that an average or better-off household becomes poor, near-poor or (if better off) average."""
    if cls == AVERAGE:
        return (0.03 if ever_poor else 0.002), (0.04 if ever_near else 0.012), 0.0
    return (0.01 if ever_poor else 0.0004), (0.02 if ever_near else 0.0025), 0.012


NEAR_TO_POOR = 0.035
POOR_EXIT = ((NEAR, 0.55), (AVERAGE, 0.35), (ABOVE, 0.10))
NEAR_EXIT = ((AVERAGE, 0.75), (ABOVE, 0.25))
AVERAGE_TO_NONE = 0.08


def calibrate():
    """Yearly chances to stay poor / near-poor so that the expected totals follow POOR_/NEAR_FACTORS.

    The expected distribution over (class, ever poor, ever near-poor) is carried from year to year.
    """
    dist = {(POOR, 1, 0): START_POOR, (NEAR, 0, 1): START_NEAR, (AVERAGE, 0, 0): START_AVERAGE}
    dist[(ABOVE, 0, 0)] = 1 - sum(dist.values())
    stays = {}
    for year in range(FIRST_YEAR + 1, CURRENT_YEAR + 1):
        poor = sum(m for (c, _p, _n), m in dist.items() if c == POOR)
        near = sum(m for (c, _p, _n), m in dist.items() if c == NEAR)
        to_poor = near * NEAR_TO_POOR
        to_near = 0.0
        for (c, ep, en), mass in dist.items():
            if c in (AVERAGE, ABOVE):
                pp, pn, _pa = _inflow(c, ep, en)
                to_poor += mass * pp
                to_near += mass * pn
        stay_poor = min(max((poor * POOR_FACTORS[year] - to_poor) / poor, 0.3), 0.97)
        to_near += poor * (1 - stay_poor) * POOR_EXIT[0][1]
        stay_near = min(max((near * NEAR_FACTORS[year] - to_near) / near, 0.3), 1 - NEAR_TO_POOR)
        stays[year] = (stay_poor, stay_near)
        new = {}
        for (c, ep, en), mass in dist.items():
            for target, chance in _moves(c, ep, en, stay_poor, stay_near):
                key = (target, ep or target == POOR, en or target == NEAR)
                new[key] = new.get(key, 0.0) + mass * chance
        dist = new
    return stays


def _moves(cls, ever_poor, ever_near, stay_poor, stay_near):
    if cls == POOR:
        return [(POOR, stay_poor)] + [(t, (1 - stay_poor) * s) for t, s in POOR_EXIT]
    if cls == NEAR:
        rest = 1 - stay_near - NEAR_TO_POOR
        return [(POOR, NEAR_TO_POOR), (NEAR, stay_near)] + [(t, rest * s) for t, s in NEAR_EXIT]
    pp, pn, pa = _inflow(cls, ever_poor, ever_near)
    if cls == AVERAGE:
        return [(POOR, pp), (NEAR, pn), (ABOVE, AVERAGE_TO_NONE), (AVERAGE, 1 - pp - pn - AVERAGE_TO_NONE)]
    return [(POOR, pp), (NEAR, pn), (AVERAGE, pa), (ABOVE, 1 - pp - pn - pa)]


# The plan of a load ------------------------------------------------------------------------------------------


@dataclass
class CommunePlan:
    code: str
    urban: bool
    factor: float  # relative chance of poverty in 2021
    villages: list  # [(village id, households)]
    demo_work: bool = False  # leave 2026 reviews open here


@dataclass
class LoadPlan:
    """Everything the generator needs, picklable, with no database access."""

    households: int
    province_id: int
    standard_id: int
    first_household_id: int
    first_review_id: int
    stays: dict
    lines: dict  # is_urban -> (poverty line, average line)
    standard: object  # a PovertyStandard (for rules.classify)
    causes: dict  # code -> id
    officer_id: int | None
    leader_id: int | None
    communes: list = field(default_factory=list)


def _allocate(total, weights, rng):
    """Split `total` by `weights` (largest remainder, ties broken by the seeded rng); returns integers."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - counts[i], rng.random()), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def commune_weight(commune, predecessors):
    """Relative size of a commune: a seeded spread, wards denser, merged communes the sum of their parts."""
    rng = random.Random(f"{SEED}-size-{commune.code}")
    weight = math.exp(rng.gauss(0, 0.3)) * (1 + predecessors.get(commune.pk, 0))
    if commune.category == UnitCategory.COMMUNE_WARD:
        weight *= 1.4
    return weight


def build_plan(households, day):
    """Decide how many households each village gets, and the constants of the generator."""
    demo = households <= DEMO_MAX_HOUSEHOLDS
    communes = communes_in_force(day)
    predecessors = {}
    for successor_id in Unit.objects.filter(kind=UnitKind.COMMUNE, successor__isnull=False).values_list(
        "successor_id", flat=True
    ):
        predecessors[successor_id] = predecessors.get(successor_id, 0) + 1
    rng = random.Random(f"{SEED}-allocate-{households}")
    weights = [commune_weight(c, predecessors) for c in communes]
    if demo:
        fixed = {c.code: round(households * DEMO_SHARES[c.code]) for c in communes if c.code in DEMO_SHARES}
        others = [0 if c.code in fixed else w for c, w in zip(communes, weights, strict=True)]
        rest = _allocate(households - sum(fixed.values()), others, rng)
        counts = [fixed.get(c.code, n) for c, n in zip(communes, rest, strict=True)]
    else:
        counts = _allocate(households, weights, rng)
    villages_by_commune = {}
    for village in Unit.objects.filter(kind=UnitKind.VILLAGE, parent__in=communes).order_by("pk"):
        villages_by_commune.setdefault(village.parent_id, []).append(village)

    standard = selectors.standard_for(LAST_YEAR)
    users = {u.username: u.pk for u in get_user_model().objects.filter(username__in=[DEMO_OFFICER, DEMO_LEADER])}
    plan = LoadPlan(
        households=households,
        province_id=int(communes[0].path.split("/", 1)[0]),
        standard_id=standard.pk,
        first_household_id=0,
        first_review_id=0,
        stays=calibrate(),
        lines={
            False: (standard.rural_poverty_line, standard.rural_average_line),
            True: (standard.urban_poverty_line, standard.urban_average_line),
        },
        standard=standard,
        causes=dict(PovertyCause.objects.values_list("code", "pk")),
        officer_id=users.get(DEMO_OFFICER),
        leader_id=users.get(DEMO_LEADER),
    )
    factors = []
    for commune, count in zip(communes, counts, strict=True):
        villages = villages_by_commune.get(commune.pk, [])
        if not count or not villages:
            continue
        vrng = random.Random(f"{SEED}-village-split-{commune.code}")
        split = _allocate(count, [0.5 + vrng.random() for _v in villages], vrng)
        urban = commune.category in URBAN_COMMUNE_CATEGORIES
        factor = math.exp(random.Random(f"{SEED}-poverty-{commune.code}").gauss(0, 0.45)) * (0.35 if urban else 1)
        factors.append((factor, count))
        plan.communes.append(
            CommunePlan(
                code=commune.code,
                urban=urban,
                factor=factor,
                villages=[(v.pk, n) for v, n in zip(villages, split, strict=True) if n],
                demo_work=demo and commune.code == DEMO_COMMUNE,
            )
        )
    # Commune factors average 1 over households, so the province starts at the START_* shares.
    mean = sum(f * n for f, n in factors) / max(sum(n for _f, n in factors), 1)
    for commune in plan.communes:
        commune.factor /= mean
    return plan


# The generator -------------------------------------------------------------------------------------------------

_SCHOOL_BY_AGE = dict.fromkeys(range(3, 6), "preschool")
_SCHOOL_BY_AGE.update(dict.fromkeys(range(6, 11), "primary"))
_SCHOOL_BY_AGE.update(dict.fromkeys(range(11, 15), "lower_secondary"))
_SCHOOL_BY_AGE.update(dict.fromkeys(range(15, 18), "upper_secondary"))


class Generator:
    """Rows of one load, commune by commune, as COPY text; deterministic for a given plan."""

    def __init__(self, plan):
        self.plan = plan
        self.review_id = plan.first_review_id
        self.household_id = plan.first_household_id
        self.cccd_serial = {}
        rng = random.Random(f"{SEED}-orders")
        numbers = list(INDICATOR_WEIGHTS)
        # 2,000 indicator orders drawn by weight (Efraimidis-Spirakis); a household takes the first k of one.
        self.orders = [
            sorted(numbers, key=lambda n: -(rng.random() ** (1 / INDICATOR_WEIGHTS[n]))) for _i in range(2000)
        ]
        self.cause_pool = _pool([(plan.causes[c], w) for c, w in CAUSE_WEIGHTS.items() if c in plan.causes])
        self.labour_cause = plan.causes.get("thieu-lao-dong")
        self.ill_cause = plan.causes.get("om-dau")

    # Members ---------------------------------------------------------------------------------------------

    def _name(self, rng, family, male, birth_year):
        r = rng.random
        if male:
            middle = MIDDLE_MALE_OLD if birth_year < 1975 else MIDDLE_MALE_YOUNG
            given = GIVEN_MALE
        else:
            middle = MIDDLE_FEMALE_OLD if birth_year < 1975 else MIDDLE_FEMALE_YOUNG
            given = GIVEN_FEMALE
        return f"{family} {middle[int(r() * len(middle))]} {given[int(r() * len(given))]}"

    def _family_name(self, rng):
        return FAMILY[int(rng.random() * len(FAMILY))]

    def _cccd(self, rng, birth_year, male):
        century = (0 if birth_year < 2000 else 2) + (0 if male else 1)
        key = (century, birth_year % 100)
        count = self.cccd_serial.get(key, 0)
        self.cccd_serial[key] = count + 1
        # A bijection of the counter onto 000000-999999, so numbers look random and never repeat.
        return f"034{century}{birth_year % 100:02d}{(count * 7919 + 104729) % 1_000_000:06d}"

    def family(self, rng):
        """[(relation, male, age, family name)] of one household, head first, and its type."""
        r = rng.random
        kind = _TYPE_POOL[int(r() * len(_TYPE_POOL))]
        fam = self._family_name(rng)
        people = []

        def children(mother_age, count, family_name, relation="child"):
            for _i in range(count):
                age = mother_age - rng.randint(20, 38)
                if age >= 1:
                    people.append((relation, r() < 0.51, age, family_name))

        if kind == "elder_single":
            people.append(("head", r() < 0.3, rng.randint(62, 92), fam))
        elif kind == "elder_couple":
            age = rng.randint(58, 88)
            people += [("head", True, age, fam), ("spouse", False, max(age - rng.randint(0, 6), 55), None)]
        elif kind in ("nuclear", "three_gen_young", "young_couple"):
            age = rng.randint(22, 32) if kind == "young_couple" else rng.randint(28, 57)
            wife = max(age - rng.randint(0, 5), 20)
            people += [("head", True, age, fam), ("spouse", False, wife, None)]
            count = (0 if r() < 0.4 else 1) if kind == "young_couple" else (1 if r() < 0.22 else 2 if r() < 0.7 else 3)
            children(wife, count, fam)
            if kind == "three_gen_young":
                father = min(age + rng.randint(22, 35), 95)
                if r() < 0.6:
                    people.append(("parent", True, father, fam))
                people.append(("parent", False, min(father - rng.randint(0, 5), 95), None))
        elif kind == "three_gen_old":
            age = rng.randint(55, 80)
            wife = max(age - rng.randint(0, 5), 50)
            son = max(wife - rng.randint(20, 32), 20)
            daughter_in_law = max(son - rng.randint(0, 5), 19)
            people += [
                ("head", True, age, fam),
                ("spouse", False, wife, None),
                ("child", True, son, fam),
                ("other", False, daughter_in_law, None),
            ]
            children(daughter_in_law, 1 if r() < 0.5 else 2, fam, "grandchild")
        else:  # single parent
            age = rng.randint(28, 55)
            people.append(("head", False, age, fam))
            children(age, 1 if r() < 0.6 else 2, self._family_name(rng))
        return kind, people

    def members(self, rng, household_id, people, ethnicity):
        """COPY lines of the members and what the reviews need to know about them."""
        r = rng.random
        rows = []
        births = []
        able = False
        oldest = 0
        protection = False
        disabled_any = False
        for relation, male, age, fam in people:
            fam = fam or self._family_name(rng)
            birth_year = CURRENT_YEAR - age
            month = rng.randint(1, 12)
            births.append((birth_year, month))
            disabled = r() < (0.07 if age >= 60 else 0.02)
            if age >= 75 or (disabled and r() < 0.5):
                capacity = "none"
            elif disabled or (age >= 65 and r() < 0.6):
                capacity = "limited"
            else:
                capacity = "full"
            if capacity == "full" and 15 <= age <= 64:
                able = True
            disabled_any |= disabled
            protection |= age >= 80 or (disabled and capacity == "none")
            oldest = max(oldest, age)
            school = _SCHOOL_BY_AGE.get(age, "na")
            if school == "upper_secondary" and r() < 0.12:
                school = "out_of_school"
            elif 18 <= age <= 22 and r() < 0.35:
                school = "higher"
            cccd = self._cccd(rng, birth_year, male) if age >= 14 and r() < 0.2 else "\\N"
            rows.append(
                [
                    household_id,
                    self._name(rng, fam, male, birth_year),
                    f"{birth_year}-{month:02d}-{rng.randint(1, 28):02d}",
                    "M" if male else "F",
                    relation,
                    cccd,
                    ethnicity,
                    "t",
                    "t" if disabled else "f",
                    capacity,
                    school,
                ]
            )
        facts = {
            "births": births,
            "no_capacity": not able,
            "protection": protection,
            "meritorious": r() < (0.08 if oldest >= 65 else 0.01),
            "disabled": disabled_any,
        }
        return rows, facts

    # Reviews -----------------------------------------------------------------------------------------------

    def trajectory(self, rng, factor, first_year, last_year):
        """{year: class} from first_year to last_year (inclusive) by the calibrated chain."""
        r = rng.random
        u = r()
        poor, near = min(START_POOR * factor, 0.6), min(START_NEAR * factor**0.6, 0.3)
        cls = POOR if u < poor else NEAR if u < poor + near else ABOVE
        if cls == ABOVE and u < poor + near + START_AVERAGE:
            cls = AVERAGE
        ever_poor, ever_near = cls == POOR, cls == NEAR
        classes = {}
        for year in range(FIRST_YEAR, last_year + 1):
            if year > FIRST_YEAR:
                stay_poor, stay_near = self.plan.stays[year]
                u = r()
                for target, chance in _moves(cls, ever_poor, ever_near, stay_poor, stay_near):
                    u -= chance
                    if u < 0:
                        cls = target
                        break
                ever_poor |= cls == POOR
                ever_near |= cls == NEAR
            if year >= first_year:
                classes[year] = cls
        return classes

    def answers(self, rng, cls, urban, order, year):
        """Income (VND/person/month, rounded to 10,000) and deprivations drawn for a class."""
        r = rng.random
        line, ceiling = self.plan.lines[urban]
        if cls == POOR:
            income = int(line * rng.triangular(0.35, 1.0, 0.75) / 10_000) * 10_000
            k = 3 + (0 if r() < 0.45 else 1 if r() < 0.55 else 2 if r() < 0.6 else 3)
        elif cls == NEAR:
            income = int(line * rng.triangular(0.55, 1.0, 0.85) / 10_000) * 10_000
            k = 0 if r() < 0.25 else 1 if r() < 0.55 else 2
        elif cls == AVERAGE:
            income = line + 10_000 * rng.randint(1, (ceiling - line) // 10_000)
            k = 0 if r() < 0.5 else 1 if r() < 0.6 else 2 if r() < 0.75 else 3
        else:
            growth = 1.06 ** (year - FIRST_YEAR)
            income = ceiling + 10_000 * (1 + int(math.exp(rng.gauss(14.5, 0.6)) * growth / 10_000))
            k = 0 if r() < 0.85 else 1
        return income, order[:k]

    def classify(self, income, urban, count):
        return rules.classify(income=income, is_urban=urban, deprivations=count, standard=self.plan.standard)

    def household(self, rng, commune, village_id, number, out):
        """Append one household's rows to the `out` lists."""
        plan = self.plan
        r = rng.random
        hid = self.household_id
        self.household_id += 1
        urban = commune.urban
        kind, people = self.family(rng)
        ethnicity = "Kinh" if r() < 0.997 else ETHNIC_MINORITIES[int(r() * len(ETHNIC_MINORITIES))]
        rows, facts = self.members(rng, hid, people, ethnicity)

        first_year, archived, reason = FIRST_YEAR, None, ""
        u = r()
        if u < 0.015:  # split off from another household (tách hộ) after the baseline
            first_year = rng.randint(FIRST_YEAR + 1, LAST_YEAR)
        elif u < 0.023:  # moved away, merged or dissolved since
            year = rng.randint(FIRST_YEAR + 1, CURRENT_YEAR)
            archived = date(year, rng.randint(1, 10 if year == CURRENT_YEAR else 12), rng.randint(1, 28))
            reason = "dissolved" if kind == "elder_single" else "moved_away" if r() < 0.7 else "merged"
        last_year = (archived.year - 1) if archived else (CURRENT_YEAR if commune.demo_work else LAST_YEAR)
        factor = commune.factor * FAMILY_TYPES[kind][1] / _TYPE_NORM * (1.8 if facts["disabled"] else 1)
        classes = self.trajectory(rng, factor, first_year, last_year)
        order = self.orders[int(r() * len(self.orders))]
        created = f"{first_year}-{rng.randint(8, 10):02d}-{rng.randint(1, 28):02d} 08:00:00+07"
        # The part of the address below the village: a hamlet (xóm) in the countryside, a house in a lane in town.
        address = f"Số {1 + number % 157}, ngõ {1 + number % 19}" if urban else f"Xóm {1 + number % 6}"
        out[0].append(
            f"{hid}\t{plan.province_id}\t{village_id}\t{commune.code}-{number:05d}\t{address}\t"
            f"{archived.isoformat() if archived else chr(92) + 'N'}\t{reason}\t{created}\n"
        )

        causes = None
        last_deprived = ()
        flags = (
            "t" if facts["no_capacity"] else "f",
            "t" if facts["protection"] else "f",
            "t" if facts["meritorious"] else "f",
            "f" if ethnicity == "Kinh" else "t",
        )
        flag_text = "\t".join(flags)
        births = facts["births"]
        for year, cls in classes.items():
            if year == CURRENT_YEAR and r() >= 0.25:
                break  # most of the demo commune's households are not reviewed yet this year
            income, deprived = self.answers(rng, cls, urban, order, year)
            computed = self.classify(income, urban, len(deprived))
            members = sum(1 for y, m in births if (y, m) <= (year, 10)) or 1
            rid = self.review_id
            self.review_id += 1
            depr = "{" + ",".join(str(n) for n in sorted(deprived)) + "}"
            day = rng.randint(1, 25 if year == CURRENT_YEAR else 28)  # this year's: before the demo's today
            at = f"{year}-11-{day:02d} {rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}:00+07"
            if year < CURRENT_YEAR:
                state, recognised, version, by = "locked", computed, 4, "\\N"
                out[4].append(f"{rid}\trecognised\tlocked\t\\N\t{year}-12-15 00:30:00+07\t\n")
            else:
                u = r()
                state = "draft" if u < 0.4 else "submitted" if u < 0.85 else "returned"
                recognised, by = "", plan.officer_id or "\\N"
                version = {"draft": 1, "submitted": 2, "returned": 3}[state]
                if state != "draft":
                    out[4].append(f"{rid}\tdraft\tsubmitted\t{by}\t{at}\t\n")
                if state == "returned":
                    comment = RETURN_COMMENTS[int(r() * len(RETURN_COMMENTS))]
                    out[4].append(f"{rid}\tsubmitted\treturned\t{plan.leader_id or chr(92) + 'N'}\t{at}\t{comment}\n")
            out[2].append(
                f"{rid}\t{hid}\t{village_id}\t{year}\t{plan.standard_id}\t{'t' if urban else 'f'}\t{income}\t{depr}\t"
                f"{members}\t{computed}\t\t\t{recognised}\t{flag_text}\t{state}\t{version}\t{at}\t{by}\n"
            )
            if computed == POOR:
                if causes is None:
                    first = self.labour_cause if facts["no_capacity"] and self.labour_cause else None
                    first = first or self.cause_pool[int(r() * len(self.cause_pool))]
                    second = self.cause_pool[int(r() * len(self.cause_pool))]
                    causes = sorted({first, second} if r() < 0.5 else {first})
                out[3].extend(f"{rid}\t{c}\n" for c in causes)
            last_deprived = deprived
        # Members agree with the latest review on health insurance (indicator 4).
        if 4 in last_deprived:
            eligible = [row for row, (y, _m) in zip(rows, births, strict=True) if CURRENT_YEAR - y >= 6] or rows
            eligible[int(r() * len(eligible))][7] = "f"
        out[1].extend("\t".join(map(str, row)) + "\n" for row in rows)

    def chunks(self, size=CHUNK_HOUSEHOLDS):
        """Yield {table: COPY text} for about `size` households at a time."""
        out = [[] for _t in TABLES]
        households = 0
        for commune in self.plan.communes:
            rng = random.Random(f"{SEED}-households-{commune.code}")
            number = 0
            for village_id, count in commune.villages:
                for _i in range(count):
                    number += 1
                    self.household(rng, commune, village_id, number, out)
                    households += 1
                    if households >= size:
                        yield {t: "".join(rows) for t, rows in zip(TABLES, out, strict=True)}
                        out = [[] for _t in TABLES]
                        households = 0
        if households:
            yield {t: "".join(rows) for t, rows in zip(TABLES, out, strict=True)}


def _produce(plan, queue):
    """Generator process: put chunks on the queue, then None."""
    for chunk in Generator(plan).chunks():
        queue.put(chunk)
    queue.put(None)


def _chunks_in_background(plan):
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=3)
    process = context.Process(target=_produce, args=(plan, queue), daemon=True)
    process.start()
    try:
        while (chunk := queue.get()) is not None:
            yield chunk
    finally:
        if process.is_alive():
            process.terminate()
        process.join()


# Loading ---------------------------------------------------------------------------------------------------


def _reserve(cursor, table, count):
    """Take `count` consecutive ids from the table's sequence (the table is locked); returns the first."""
    cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s)", [sequence])
    (first,) = cursor.fetchone()
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first, sequence


@dataclass
class SeedResult:
    created: bool
    households: int = 0
    members: int = 0
    reviews: int = 0
    villages: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)


def seed(*, households, day=None, parallel=None, log=None):
    """Create the villages and `households` households with members and reviews, unless households exist.

    Returns a SeedResult. Idempotent: once the province has households, nothing is added.
    """
    started = time.monotonic()
    day = day or timezone.localdate()
    log = log or (lambda message: None)
    result = SeedResult(created=False)
    result.villages = ensure_all_villages(day)
    if Household.objects.exists() or households <= 0:
        result.households = Household.objects.count()
        return result
    plan = build_plan(households, day)
    parallel = households >= PARALLEL_FROM if parallel is None else parallel
    outermost = not connection.in_atomic_block
    with transaction.atomic(), pgtrigger.ignore(*HISTORY_TRIGGERS), connection.cursor() as cursor:
        if outermost:
            # Django's foreign keys are checked at commit: millions of queued checks. Check each COPY instead.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("LOCK TABLE households_household, households_review IN EXCLUSIVE MODE")
        plan.first_household_id, _seq = _reserve(cursor, "households_household", households)
        reviews_max = households * (CURRENT_YEAR - FIRST_YEAR + 1)
        plan.first_review_id, review_sequence = _reserve(cursor, "households_review", reviews_max)
        chunks = _chunks_in_background(plan) if parallel else Generator(plan).chunks()
        copy_seconds = 0.0
        raw = cursor.cursor
        for number, chunk in enumerate(chunks, 1):
            tick = time.monotonic()
            for table in TABLES:
                if chunk[table]:
                    raw.copy_expert(f"COPY {table} ({COLUMNS[table]}) FROM STDIN", io.StringIO(chunk[table]))
            copy_seconds += time.monotonic() - tick
            if number % 25 == 0:
                log(f"  loaded {number * CHUNK_HOUSEHOLDS:,} households…")
        cursor.execute("SELECT max(id) FROM households_review")
        (last_review,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [review_sequence, last_review or plan.first_review_id])
        result.phases["copy"] = copy_seconds
    result.phases["load"] = time.monotonic() - started  # with the commit
    tick = time.monotonic()
    analyse()
    result.phases["analyse"] = time.monotonic() - tick
    result.created = True
    result.households = Household.objects.count()
    result.seconds = time.monotonic() - started
    return result


def analyse():
    """Refresh planner statistics (and, outside a transaction, the visibility map) of the loaded tables."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"{command} {table}")


def yearly_totals():
    """{year: {class: households}} of recognised classes, province-wide."""
    totals = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT year, recognised_class, count(*) FROM households_review WHERE recognised_class <> '' "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        )
        for year, cls, count in cursor.fetchall():
            totals.setdefault(year, {})[cls] = count
    return totals
