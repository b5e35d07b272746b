"""Demo records of the movement, for `make run` only (`load_movement --demo`); never used in production.

Over the real unit tree and the synthetic registry of `seed_demo`, the demo gives the movement what a tester expects
to find: district targets (the province's band shared by each district's poor households at the baseline) and the
communes' of Huyện Vũ Thư, registrations with commitments and implementation plans (a small Decree 30 PDF each; on
time, late or missing, and Xã Song An registered without one, so its officer can file it), good practices in every
state with the list of the first half of 2025 sent to the Emulation Board, a few hundred rows of support to poor and
near-poor households in 2022-2025, and Huyện Vũ Thư's self-assessment for 2025.

Everything goes through the movement's own services, dated in the past through their `now`, so the records obey
the same rules as those typed in the browser. Units without a demo login act through a clerk account of their own
(`canbo.<code>`), which cannot sign in. Deterministic (fixed seeds, rows in a fixed order) and idempotent: each
part leaves what is already there, so a rerun writes nothing.
"""

import random
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from common.text import slug
from deadlines.rules import VIETNAM
from documents import services as document_services
from documents.issuers import document_date, issuer_for, signature_for
from documents.pdf import render_pdf
from households import figures
from households.models import PovertyClass, Review
from units.choices import UnitKind
from units.demo import DEMO_USERS, ensure_demo_users
from units.models import Membership, Unit
from units.roles import ROLE_RULES, Action, Role

from .models import (
    Assessment,
    Compilation,
    Evidence,
    GoodPractice,
    Half,
    PracticeKind,
    Registration,
    SupportKind,
    Target,
    UnitPlan,
)
from .models.practices import half_bounds
from .selectors import participation as participation_selectors
from .services import ledger, participation, practices, targets

SEED = 119
DEMO_DISTRICT = "344"  # Huyện Vũ Thư: its communes get targets and registrations, it assesses itself for 2025
DEMO_COMMUNE = "13249"  # Xã Song An: registered, its plan left for the demo officer to file
STEERING_LOGIN = "dolisa"
ASSESSED_YEAR = 2025
COMPILED = (2025, Half.FIRST)
TEMPLATE = "movement/demo/document.html"

ON_TIME, LATE, MISSING = "on_time", "late", "missing"

# Provincial participants: (kind, short name, plan, commitments, households to lift, VND pledged, models).
PROVINCIAL = [
    (
        UnitKind.DEPARTMENT,
        "Sở LĐ-TB&XH",
        ON_TIME,
        "Tham mưu UBND tỉnh ban hành đầy đủ, kịp thời các chính sách giảm nghèo; phối hợp với doanh nghiệp giới "
        "thiệu việc làm, đào tạo nghề cho lao động thuộc hộ nghèo, hộ cận nghèo; xây dựng 10 mô hình giảm nghèo "
        "về sinh kế; tổng hợp, báo cáo kết quả Phong trào đúng thời hạn.",
        0,
        0,
        10,
    ),
    (
        UnitKind.FRONT,
        "UBMTTQ tỉnh",
        ON_TIME,
        "Vận động Quỹ “Vì người nghèo” các cấp; hỗ trợ xây mới, sửa chữa nhà Đại đoàn kết cho hộ nghèo, hộ có "
        "hoàn cảnh khó khăn về nhà ở; giám sát việc thực hiện chính sách giảm nghèo tại cơ sở.",
        0,
        60_000_000_000,
        0,
    ),
    (
        UnitKind.MASS_ORG,
        "Hội LHPN tỉnh",
        ON_TIME,
        "Mỗi năm giúp ít nhất 75 hộ nghèo do phụ nữ làm chủ hộ thoát nghèo; trao tặng con giống, vật tư sản xuất "
        "cho hội viên nghèo; nhân rộng 25 mô hình “Phụ nữ giúp nhau phát triển kinh tế”.",
        300,
        5_000_000_000,
        25,
    ),
    (
        UnitKind.MASS_ORG,
        "Hội Nông dân tỉnh",
        LATE,
        "Hỗ trợ hội viên nông dân nghèo vay vốn Quỹ Hỗ trợ nông dân; chuyển giao kỹ thuật trồng trọt, chăn nuôi; "
        "xây dựng 20 tổ hợp tác, chi hội nghề nghiệp có hộ nghèo tham gia.",
        200,
        3_000_000_000,
        20,
    ),
    (
        UnitKind.MASS_ORG,
        "Tỉnh đoàn",
        MISSING,
        "Tổ chức các đợt tình nguyện sửa nhà, tặng quà, học bổng cho con em hộ nghèo; hỗ trợ thanh niên thuộc hộ "
        "nghèo học nghề, lập nghiệp.",
        0,
        1_500_000_000,
        12,
    ),
    (
        UnitKind.BANK,
        "NHCSXH Thái Bình",
        ON_TIME,
        "Giải ngân kịp thời, đúng đối tượng vốn tín dụng chính sách cho hộ nghèo, hộ cận nghèo, hộ mới thoát "
        "nghèo; mức cho vay tối đa 100 triệu đồng/hộ; giữ tỷ lệ nợ quá hạn dưới 0,2%.",
        2_000,
        1_200_000_000_000,
        0,
    ),
]

# Districts by code: how their plan was filed (None: not registered).
DISTRICT_PLANS = {
    "336": ON_TIME,
    "338": LATE,
    "339": ON_TIME,
    "340": ON_TIME,
    "341": MISSING,
    "342": ON_TIME,
    "343": None,
    "344": ON_TIME,
}
COMMUNE_PLANS = {DEMO_COMMUNE: MISSING, "13255": ON_TIME}

FAMILY = ["Nguyễn", "Trần", "Phạm", "Vũ", "Đặng", "Bùi", "Đỗ", "Hoàng", "Ngô", "Lê", "Đinh", "Tạ", "Lương", "Mai"]
MALE = (
    ["Văn", "Đức", "Quang", "Minh", "Xuân", "Hữu", "Đình"],
    ["Hùng", "Dũng", "Tuấn", "Thắng", "Hải", "Long", "Sơn", "Bình", "Cường", "Khánh", "Thành", "Việt", "Toàn", "Nam"],
)
FEMALE = (
    ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thị Thu"],
    ["Hà", "Lan", "Hương", "Mai", "Thủy", "Hạnh", "Yến", "Nga", "Huyền", "Thảo", "Oanh", "Dung", "Loan"],
)

PRACTICES = [
    {
        "unit": (UnitKind.MASS_ORG, "Hội LHPN tỉnh"),
        "title": "Mô hình “Nuôi bò sinh sản luân chuyển” giúp phụ nữ nghèo thoát nghèo",
        "kind": PracticeKind.MODEL,
        "description": "Hội LHPN các cấp trao bò cái sinh sản cho hội viên thuộc hộ nghèo; bê con đầu tiên được "
        "chuyển cho hội viên nghèo khác trong chi hội, cán bộ thú y xã hướng dẫn kỹ thuật chăm sóc.",
        "results": "Sau 3 năm, 412 con bò đã luân chuyển qua 3 vòng tại 58 xã; thu nhập bình quân của hộ tham "
        "gia tăng 1,8 triệu đồng/tháng.",
        "figures": (146, None, 7_850_000_000),
        "steps": [("propose", date(2025, 3, 10), ""), ("select", date(2025, 4, 8), "")],
    },
    {
        "unit": (UnitKind.COMMUNE, DEMO_COMMUNE),
        "title": "Tổ hợp tác trồng nấm rơm cho hộ nghèo, hộ cận nghèo xã Song An",
        "kind": PracticeKind.MODEL,
        "description": "UBND xã cho thuê lán trại, Hội Nông dân xã chuyển giao kỹ thuật, doanh nghiệp bao tiêu "
        "sản phẩm; mỗi hộ nghèo tham gia được hỗ trợ giống và vật tư vụ đầu.",
        "results": "32 hộ tham gia, trong đó 21 hộ nghèo và cận nghèo; sản lượng 46 tấn nấm/năm, lãi bình quân "
        "25 triệu đồng/hộ/năm.",
        "figures": (14, 38, 640_000_000),
        "steps": [("propose", date(2025, 4, 22), ""), ("select", date(2025, 5, 20), "")],
    },
    {
        "unit": (UnitKind.FRONT, "UBMTTQ tỉnh"),
        "title": "Cách làm hay “Mái ấm Đại đoàn kết”: xã hội hóa xây nhà cho hộ nghèo",
        "kind": PracticeKind.INITIATIVE,
        "description": "Mặt trận các cấp vận động doanh nghiệp, con em xa quê góp vốn; người dân trong thôn góp "
        "ngày công, vật liệu; mỗi căn nhà được hỗ trợ 60 triệu đồng, sửa chữa 30 triệu đồng.",
        "results": "Xây mới 1.126 và sửa chữa 538 nhà Đại đoàn kết trong giai đoạn 2022-2025, xóa xong nhà tạm, "
        "nhà dột nát trên địa bàn tỉnh.",
        "figures": (None, None, 83_700_000_000),
        "steps": [("propose", date(2025, 2, 14), ""), ("select", date(2025, 3, 6), "")],
    },
    {
        "unit": (UnitKind.BANK, "NHCSXH Thái Bình"),
        "title": "Sáng kiến “Điểm giao dịch xã gắn với tổ tiết kiệm và vay vốn”",
        "kind": PracticeKind.INITIATIVE,
        "description": "Điểm giao dịch lưu động mở tại trụ sở UBND xã vào một ngày cố định hằng tháng; tổ tiết "
        "kiệm và vay vốn ở thôn bình xét công khai, hộ vay không phải đi lại.",
        "results": "262 điểm giao dịch xã hoạt động; 9.840 lượt hộ nghèo, cận nghèo được vay; nợ quá hạn 0,08%.",
        "figures": (1_210, None, 412_000_000_000),
        "steps": [("propose", date(2025, 8, 12), ""), ("select", date(2025, 9, 15), "")],
    },
    {
        "unit": (UnitKind.DISTRICT, DEMO_DISTRICT),
        "title": "Dạy nghề may công nghiệp gắn với giải quyết việc làm tại chỗ ở huyện Vũ Thư",
        "kind": PracticeKind.MODEL,
        "description": "Trung tâm GDNN-GDTX huyện mở lớp may 3 tháng tại xã; doanh nghiệp may trên địa bàn nhận "
        "học viên vào làm ngay sau khóa học.",
        "results": "18 lớp, 540 học viên, trong đó 212 người thuộc hộ nghèo, cận nghèo; 91% có việc làm sau 6 "
        "tháng, thu nhập 6-7 triệu đồng/tháng.",
        "figures": (87, 491, 1_620_000_000),
        "steps": [("propose", date(2026, 3, 18), "")],
    },
    {
        "unit": (UnitKind.COMMUNE, "13255"),
        "title": "Hộ ông Phạm Văn Lực vươn lên thoát nghèo từ chăn nuôi lợn an toàn sinh học",
        "kind": PracticeKind.EXEMPLAR,
        "description": "Từ khoản vay 50 triệu đồng của NHCSXH năm 2022, gia đình ông Lực xây chuồng trại đúng "
        "quy trình an toàn sinh học, nay nuôi 12 lợn nái và 80 lợn thịt.",
        "results": "Thoát nghèo năm 2023; năm 2025 thu nhập 180 triệu đồng, giúp 3 hộ nghèo trong thôn con giống.",
        "figures": (1, 2, 50_000_000),
        "steps": [
            ("propose", date(2025, 10, 2), ""),
            (
                "return",
                date(2025, 10, 20),
                "Đề nghị bổ sung thu nhập của hộ trước và sau khi tham gia mô hình, kèm ảnh chuồng trại và xác "
                "nhận của UBND xã.",
            ),
        ],
    },
    {
        "unit": (UnitKind.MASS_ORG, "Hội Nông dân tỉnh"),
        "title": "Cánh đồng lúa chất lượng cao liên kết bao tiêu có hộ nghèo tham gia",
        "kind": PracticeKind.MODEL,
        "description": "Hội Nông dân làm đầu mối ký hợp đồng với doanh nghiệp cung ứng giống, phân bón trả chậm "
        "và bao tiêu lúa; hộ nghèo được ưu tiên vào tổ liên kết.",
        "results": "1.250 ha tại 4 huyện, 3.900 hộ tham gia (286 hộ nghèo, cận nghèo); lợi nhuận tăng 2,3 triệu "
        "đồng/sào so với sản xuất đại trà.",
        "figures": (64, None, 2_400_000_000),
        "steps": [("propose", date(2025, 11, 27), "")],
    },
    {
        "unit": (UnitKind.MASS_ORG, "Hội LHPN tỉnh"),
        "title": "Câu lạc bộ “Phụ nữ khởi nghiệp” hỗ trợ hội viên cận nghèo",
        "kind": PracticeKind.INITIATIVE,
        "description": "Mỗi câu lạc bộ 15-20 hội viên, sinh hoạt hằng tháng, được tập huấn lập kế hoạch kinh doanh "
        "và giới thiệu vay vốn ưu đãi.",
        "results": "34 câu lạc bộ, 612 hội viên; 97 hộ cận nghèo có thu nhập vượt chuẩn cận nghèo.",
        "figures": (None, 120, 930_000_000),
        "steps": [],
    },
]

# What the givers gave each year: poor and near-poor households of the previous year's review.
LIVESTOCK = [
    ("01 con bò cái sinh sản", 16_000_000, 22_000_000),
    ("02 con lợn nái giống", 7_000_000, 9_500_000),
    ("100 con gà giống và thức ăn chăn nuôi", 3_000_000, 4_500_000),
    ("Giống và vật tư trồng nấm rơm", 2_000_000, 3_000_000),
]
EMPLOYERS = [
    "Công ty TNHH Giày Thái Bình",
    "Công ty CP May xuất khẩu Thái Bình",
    "Công ty TNHH Điện tử Vũ Thư",
]


@dataclass
class DemoResult:
    accounts: int = 0
    targets: int = 0
    registrations: int = 0
    plans: int = 0
    practices: int = 0
    compilations: int = 0
    support: int = 0
    assessments: int = 0

    @property
    def written(self):
        return sum(getattr(self, f.name) for f in fields(self))


def _at(day, hour=9, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


def _person(rng):
    middles, givens = rng.choice([MALE, FEMALE])
    return f"{rng.choice(FAMILY)} {rng.choice(middles)} {rng.choice(givens)}"


def _share(total, weights):
    """`total` split in proportion to `weights` in whole numbers that add up to it (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    for index in sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _unit(kind, key):
    units = Unit.objects.current().filter(kind=kind)
    if kind in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE):
        return units.get(code=key)
    return units.get(short_name=key)


class Actors:
    """Who acts for a unit: its demo login when it has one that reports and records support, else its clerk (a
    commune or district officer, or a unit reporter) created once, with no password."""

    ROLES = {UnitKind.COMMUNE: Role.COMMUNE_OFFICER, UnitKind.DISTRICT: Role.DISTRICT_OFFICER}

    def __init__(self, result):
        self.result = result
        User = get_user_model()
        wanted = {Action.REPORT, Action.RECORD_SUPPORT}
        logins = {
            (demo.unit_kind, demo.unit_key): demo.username
            for demo in DEMO_USERS
            if wanted <= ROLE_RULES[demo.role].actions
        }
        self.logins = {key: User.objects.get(username=name) for key, name in logins.items()}
        self.steering = User.objects.get(username=STEERING_LOGIN)

    def __call__(self, unit):
        key = unit.code if unit.kind in (UnitKind.DISTRICT, UnitKind.COMMUNE) else unit.short_name
        if (unit.kind, key) in self.logins:
            return self.logins[(unit.kind, key)]
        username = f"canbo.{unit.code or slug(unit.short_name or unit.name)}"
        rng = random.Random(f"{SEED}-{username}")
        last, _, first = _person(rng).rpartition(" ")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            self.result.accounts += 1
        Membership.objects.get_or_create(user=user, unit=unit, role=self.ROLES.get(unit.kind, Role.UNIT_REPORTER))
        return user


# Targets ------------------------------------------------------------------------------------------------------


def _poor_at_baseline(movement, units):
    return [figures.class_counts(unit, movement.baseline_year).poor.households for unit in units]


def _targets(movement, actors, result):
    """The province's band shared among the districts by their poor households at the baseline, and Huyện Vũ
    Thư's band among its communes (a commune without poor households gets no target)."""
    province = Target.objects.get(movement=movement, unit=movement.province)
    low, high = province.yearly_min or 1000, province.yearly_max or 1500
    districts = list(Unit.objects.current().filter(kind=UnitKind.DISTRICT, parent=movement.province).order_by("code"))
    weights = _poor_at_baseline(movement, districts)
    weights = weights if sum(weights) else [1] * len(districts)
    bands = dict(zip(districts, zip(_share(low, weights), _share(high, weights), strict=True), strict=True))
    district = next(d for d in districts if d.code == DEMO_DISTRICT)
    communes = _communes(district)
    weights = _poor_at_baseline(movement, communes)
    entries = [targets.TargetEntry(unit=unit, yearly_min=lo, yearly_max=hi) for unit, (lo, hi) in bands.items()]
    if sum(weights):
        commune_bands = zip(_share(bands[district][0], weights), _share(bands[district][1], weights), strict=True)
        entries += [
            targets.TargetEntry(unit=unit, yearly_min=lo, yearly_max=hi)
            for unit, (lo, hi) in zip(communes, commune_bands, strict=True)
            if hi
        ]
    have = set(Target.objects.filter(movement=movement).values_list("unit_id", flat=True))
    entries = [entry for entry in entries if entry.unit.pk not in have]
    result.targets += targets.set_targets(user=actors.steering, movement=movement, entries=entries)
    return dict(zip(communes, weights, strict=True)), bands


def _communes(district):
    """The district's communes in force today that were already there when the units filed their plans."""
    return list(
        Unit.objects.current()
        .active_on(date(2022, 8, 1))
        .filter(kind=UnitKind.COMMUNE, parent=district)
        .order_by("code")
    )


# Registrations and plans --------------------------------------------------------------------------------------


def _participants(movement, commune_poor, bands):
    """(unit, plan, commitments, households to lift, VND pledged, models) of every unit that registers."""
    rows = [(_unit(kind, key), plan, *rest) for kind, key, plan, *rest in PROVINCIAL]
    for district, (lo, hi) in bands.items():
        plan = DISTRICT_PLANS.get(district.code)
        if plan is None:
            continue
        rng = random.Random(f"{SEED}-register-{district.code}")
        models = rng.randint(5, 12)
        text = (
            f"Phấn đấu giảm bình quân {lo:,}-{hi:,} hộ nghèo mỗi năm theo chỉ tiêu tỉnh giao; 100% hộ nghèo, hộ cận "
            f"nghèo được tiếp cận đầy đủ các chính sách hỗ trợ; xóa xong nhà tạm, nhà dột nát; xây dựng {models} mô "
            f"hình giảm nghèo về sinh kế."
        ).replace(",", ".")
        rows.append((district, plan, text, 4 * lo, rng.randint(8, 30) * 500_000_000, models))
    for index, commune in enumerate(commune_poor):
        plan = COMMUNE_PLANS.get(commune.code)
        if plan is None:
            if index % 10 == 7:
                continue
            plan = LATE if index % 6 == 4 else MISSING if index % 13 == 11 else ON_TIME
        rng = random.Random(f"{SEED}-register-{commune.code}")
        lift = max(2, commune_poor[commune] // 3 + 1)
        models = rng.randint(1, 3)
        text = (
            f"Giảm {lift} hộ nghèo trong giai đoạn 2022-2025, không để phát sinh hộ tái nghèo; 100% hộ nghèo có "
            f"nhu cầu được vay vốn ưu đãi; xây dựng {models} mô hình sinh kế giảm nghèo tại các thôn; huy động "
            f"nguồn lực tại chỗ hỗ trợ hộ nghèo về nhà ở, con giống."
        )
        rows.append((commune, plan, text, lift, rng.randint(2, 12) * 50_000_000, models))
    return rows


def _plan_pdf(movement, unit, number, signed_on, signer, commitments, deputy):
    issuer = issuer_for(unit, signed_on)
    context = {
        "issuer": issuer,
        "dateline": document_date(issuer.place, signed_on),
        "signature": signature_for(issuer, deputy=deputy, signer=signer),
        "type_code": "KH",
        "number": number,
        "doc_type": "Kế hoạch",
        "summary": f"Thực hiện {movement.name}",
        "sections": [
            (
                "I. MỤC ĐÍCH, YÊU CẦU",
                [
                    f"Cụ thể hóa Kế hoạch số {movement.plan_number} ngày {movement.plan_date:%d/%m/%Y} của "
                    f"{movement.plan_issuer}; phát huy sức mạnh của cả hệ thống chính trị và toàn xã hội trong "
                    f"công tác giảm nghèo bền vững tại {unit.name}.",
                ],
            ),
            ("II. CHỈ TIÊU", [commitments]),
            (
                "III. TỔ CHỨC THỰC HIỆN",
                [
                    "Giao bộ phận chuyên môn theo dõi, đôn đốc; định kỳ báo cáo kết quả về Sở Lao động - Thương "
                    "binh và Xã hội trước ngày 20 tháng 11 hằng năm.",
                ],
            ),
        ],
        "recipients": ["Sở Lao động - Thương binh và Xã hội", "Ban Thi đua - Khen thưởng (Sở Nội vụ)", "Lưu: VT"],
    }
    pdf, _pages = render_pdf(TEMPLATE, context)
    return SimpleUploadedFile(f"ke-hoach-{slug(unit.name)}.pdf", pdf, content_type="application/pdf")


def _registrations(movement, actors, commune_poor, bands, result):
    registered = set(Registration.objects.filter(movement=movement).values_list("unit_id", flat=True))
    filed = set(UnitPlan.objects.filter(movement=movement).values_list("unit_id", flat=True))
    for unit, plan, commitments, lift, pledged, models in _participants(movement, commune_poor, bands):
        rng = random.Random(f"{SEED}-plan-{unit.pk}")
        user = actors(unit)
        registered_on = date(2022, 9, 8) + timedelta(days=rng.randint(0, 12))
        if unit.pk not in registered:
            participation.register(
                user=user,
                movement=movement,
                unit=unit,
                commitments=commitments,
                households_to_lift=lift,
                support_pledged=pledged,
                models_planned=models,
                now=_at(registered_on, rng.randint(8, 16), rng.randint(0, 59)),
            )
            result.registrations += 1
        if plan == MISSING or unit.pk in filed:
            continue
        if plan == ON_TIME:
            signed_on = min(registered_on + timedelta(days=rng.randint(2, 8)), date(2022, 9, 28))
            filed_on = min(signed_on + timedelta(days=rng.randint(0, 2)), date(2022, 9, 30))
        else:
            signed_on = date(2022, 10, 3) + timedelta(days=rng.randint(0, 40))
            filed_on = signed_on + timedelta(days=rng.randint(1, 6))
        signer = _person(rng)
        issuer = issuer_for(unit, signed_on)
        number = rng.randint(28, 186)
        participation.file_plan(
            user=user,
            movement=movement,
            unit=unit,
            number=f"{number}/KH-{issuer.abbreviation}",
            signed_on=signed_on,
            signer=signer,
            file=_plan_pdf(movement, unit, number, signed_on, signer, commitments, deputy=rng.random() < 0.4),
            now=_at(filed_on, rng.randint(8, 16), rng.randint(0, 59)),
        )
        result.plans += 1


# Good practices -----------------------------------------------------------------------------------------------


def _practices(movement, actors, result):
    steps = {"propose": practices.propose_practice, "select": practices.select_practice}
    for spec in PRACTICES:
        unit = _unit(*spec["unit"])
        if GoodPractice.objects.filter(movement=movement, unit=unit, title=spec["title"]).exists():
            continue
        households, people, value = spec["figures"]
        practice = practices.create_practice(
            user=actors(unit),
            unit=unit,
            movement=movement,
            title=spec["title"],
            kind=spec["kind"],
            description=spec["description"],
            results=spec["results"],
            households_out_of_poverty=households,
            people_employed=people,
            value_mobilised=value,
        )
        result.practices += 1
        for name, day, comment in spec["steps"]:
            if name == "return":
                practice = practices.return_practice(user=actors.steering, practice=practice, comment=comment)
            else:
                user = actors(unit) if name == "propose" else actors.steering
                practice = steps[name](user=user, practice=practice, comment=comment, now=_at(day, 10))
    year, half = COMPILED
    if Compilation.objects.filter(movement=movement, year=year, half=half).exists():
        return
    sent = half_bounds(year, half)[1] + timedelta(days=3)
    compilation = practices.compile_half_year(
        user=actors.steering, movement=movement, year=year, half=half, now=_at(sent, 15)
    )
    # Rendered here, so the list is readable before the worker starts; the worker's delivery then finds it done.
    document_services.render_stored(document_id=compilation.document_id)
    result.compilations += 1


# The support ledger -------------------------------------------------------------------------------------------


def _listed(movement, year):
    """(registry code, class) of the active households poor or near-poor in `year`'s recognised review."""
    return list(
        Review.objects.filter(
            year=year,
            recognised_class__in=[PovertyClass.POOR, PovertyClass.NEAR_POOR],
            household__archived_at__isnull=True,
            village__path__startswith=movement.province.path,
        )
        .order_by("household_id")
        .values_list("household__code", "recognised_class")
    )


def _day(rng, year, today):
    return min(date(year, 1, 1) + timedelta(days=rng.randint(0, 364)), today)


def _loan(rng, cls):
    poor = cls == PovertyClass.POOR
    value = rng.randint(6, 20 if poor else 16) * 5_000_000  # 30-100 (poor) or 30-80 million đồng
    note = "Cho vay hộ nghèo, thời hạn 60 tháng" if poor else "Cho vay hộ cận nghèo, thời hạn 60 tháng"
    return SupportKind.LOAN, value, "", note


def _livestock(rng, cls):
    what, low, high = rng.choice(LIVESTOCK)
    return SupportKind.PRODUCTION, rng.randint(low // 100_000, high // 100_000) * 100_000, "", what


def _job(rng, cls):
    if rng.random() < 0.35:
        return SupportKind.TRAINING, rng.randint(30, 45) * 100_000, "", "Đào tạo nghề may công nghiệp 3 tháng"
    return SupportKind.JOB, 0, rng.choice(EMPLOYERS), "Tuyển dụng lao động phổ thông, lương 6-7 triệu đồng/tháng"


def _house(rng, cls):
    if rng.random() < 0.6:
        return SupportKind.HOUSING, 60_000_000, "Quỹ Vì người nghèo tỉnh", "Xây mới nhà Đại đoàn kết"
    return SupportKind.HOUSING, 30_000_000, "Quỹ Vì người nghèo tỉnh", "Sửa chữa nhà ở"


# (giver, rows a year, classes given to, what one row is)
GIVERS = [
    ((UnitKind.BANK, "NHCSXH Thái Bình"), 30, (PovertyClass.POOR, PovertyClass.NEAR_POOR), _loan),
    ((UnitKind.MASS_ORG, "Hội LHPN tỉnh"), 18, (PovertyClass.POOR,), _livestock),
    ((UnitKind.DEPARTMENT, "Sở LĐ-TB&XH"), 22, (PovertyClass.POOR, PovertyClass.NEAR_POOR), _job),
    ((UnitKind.FRONT, "UBMTTQ tỉnh"), 8, (PovertyClass.POOR,), _house),
]


def _support(movement, actors, result):
    today = timezone.localdate()
    years = [year for year in range(2022, 2026) if date(year, 1, 1) <= today]
    listed = {year: _listed(movement, year - 1) for year in years}
    for key, per_year, classes, give in GIVERS:
        giver = _unit(*key)
        rows = []
        for year in years:
            rng = random.Random(f"{SEED}-support-{key[1]}-{year}")
            pool = [(code, cls) for code, cls in listed[year] if cls in classes]
            chosen = sorted(set(rng.sample(pool, min(per_year, len(pool)))))
            for code, cls in chosen:
                kind, value, donor, note = give(rng, cls)
                rows.append(
                    ledger.SupportRow(
                        kind=kind,
                        value=value,
                        given_on=_day(rng, year, today),
                        household_code=code,
                        donor=donor,
                        note=note,
                    )
                )
        if not rows:
            continue
        ledger.check_support_rows(giver=giver, rows=rows)
        seen = ledger.existing_keys(giver, rows)
        fresh = []
        for row in rows:
            if row.key(giver.pk) not in seen:
                seen.add(row.key(giver.pk))
                fresh.append(row)
        if fresh:
            result.support += len(ledger.record_support_rows(user=actors(giver), giver=giver, rows=fresh))


# Self-assessment ----------------------------------------------------------------------------------------------


def _assessment(movement, actors, result):
    unit = _unit(UnitKind.DISTRICT, DEMO_DISTRICT)
    if Assessment.objects.filter(movement=movement, unit=unit, year=ASSESSED_YEAR).exists():
        return
    group = participation_selectors.group_for(movement, unit)
    day = date(ASSESSED_YEAR, 11, 18)
    issuer = issuer_for(unit, day)
    answers = {}
    for criterion in group.criteria.all():
        if criterion.evidence == Evidence.DOCUMENT:
            context = {
                "issuer": issuer,
                "dateline": document_date(issuer.place, day),
                "signature": signature_for(issuer, signer="Nguyễn Văn Hải"),
                "type_code": "BC",
                "number": 214,
                "doc_type": "Báo cáo",
                "summary": f"Kết quả công tác giảm nghèo năm {ASSESSED_YEAR}",
                "sections": [("", [criterion.text])],
                "recipients": ["Sở Lao động - Thương binh và Xã hội", "Lưu: VT"],
            }
            pdf, _pages = render_pdf(TEMPLATE, context)
            upload = SimpleUploadedFile("bao-cao.pdf", pdf, content_type="application/pdf")
            answers[criterion.pk] = {"file": upload}
        elif criterion.evidence == Evidence.YES_NO:
            answers[criterion.pk] = {"met": True, "comment": "Đạt."}
    participation.save_assessment(
        user=actors(unit),
        movement=movement,
        unit=unit,
        year=ASSESSED_YEAR,
        answers=answers,
        submit=True,
        now=_at(day, 16),
    )
    result.assessments += 1


@transaction.atomic
def seed(movement, *, log=None):
    """Give `movement` its demo records (see the module's docstring); returns what was written (DemoResult)."""
    log = log or (lambda message: None)
    result = DemoResult()
    ensure_demo_users()
    actors = Actors(result)
    commune_poor, bands = _targets(movement, actors, result)
    _registrations(movement, actors, commune_poor, bands, result)
    _practices(movement, actors, result)
    _support(movement, actors, result)
    _assessment(movement, actors, result)
    log(
        f"Demo movement records: {result.targets} targets, {result.registrations} registrations, {result.plans} "
        f"plans, {result.practices} good practices, {result.compilations} compilation, {result.support} support "
        f"rows, {result.assessments} self-assessment, {result.accounts} clerk accounts written."
    )
    return result
