"""Demo nominations and awards, for `make run` only (`load_awards --demo`); never used in production.

Over the real unit tree, the synthetic registry of `seed_demo` and the catalogue, the demo gives the final review
of Plan 119 (its closing date moved past today if it has closed, since the demo is today's) what the demo logins
expect to find under Khen thưởng:

- Xã Song An's list (`xa.songan`), submitted through Huyện Vũ Thư (`huyen.vuthu`), who forwarded it: a family of
  the registry that escaped poverty (or, in a registry too small to have one, rose from near-poor) waiting for
  DOLISA (`dolisa`) to select it, an individual DOLISA returned with a comment, and a second such family selected,
  found eligible and proposed by the Board (`tdkt`) and awarded by a decision (so the award registry and the
  household's page show it); with one such family only, it is the one awarded, and with none the list has no
  family;
- Xã Vũ Hội's list (`xa.vuhoi`) in draft;
- Hội LHPN tỉnh's nominee (`baocao.phunu`), selected by DOLISA and found eligible by the Board, for `tdkt` to
  propose to the Chairman.

Everything goes through the nomination and decision services as the demo logins, today, so the records obey the same
rules as those typed in the browser. Idempotent: a unit whose list for the occasion exists is left alone, so a
rerun writes nothing.
"""

import io
import struct
import zlib
from dataclasses import dataclass, fields
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from pypdf import PdfWriter

from households.models import Household, PovertyClass, Review, ReviewState
from movement.models import Criterion
from units.choices import UnitKind
from units.demo import ensure_demo_users
from units.models import Unit

from .decisions import services as decisions
from .models import AwardType, Nomination, NomineeFileKind, NomineeKind, Occasion
from .nominations import services as nominations

OCCASION = "tong-ket-2025"
OPEN_DAYS = 60  # how long the final review stays open from the day the demo reopens it
SONG_AN, VU_HOI, WOMEN = "13249", "13255", "Hội LHPN tỉnh"
FAMILY_TYPE = "bang-khen-chu-tich-ho-gia-dinh"
INDIVIDUAL_TYPE = "bang-khen-chu-tich-ca-nhan"
RETURN_COMMENT = (
    "Báo cáo thành tích chưa nêu số hộ nghèo được giúp đỡ thoát nghèo theo từng năm 2021-2025; đề nghị bổ sung và "
    "có xác nhận của UBND xã."
)
SIGNER, SIGNER_TITLE = "Nguyễn Khắc Thận", "Chủ tịch"

ACHIEVED = (
    "Gia đình chủ động vay vốn ưu đãi, chăn nuôi lợn nái và trồng rau màu, vươn lên thoát nghèo bền vững; tích cực "
    "tham gia các phong trào của thôn."
)
SONG_AN_INDIVIDUAL = {
    "kind": NomineeKind.INDIVIDUAL,
    "full_name": "Đặng Thị Thu Hà",
    "birth_year": 1978,
    "sex": "F",
    "position": "Chi hội trưởng Chi hội Phụ nữ thôn",
    "workplace": "Xã Song An",
    "achievements": "Vận động 9 hộ nghèo vay vốn, hướng dẫn kỹ thuật trồng nấm rơm, giúp 4 hộ thoát nghèo.",
}
VU_HOI_INDIVIDUAL = {
    "kind": NomineeKind.INDIVIDUAL,
    "full_name": "Bùi Văn Khánh",
    "birth_year": 1969,
    "sex": "M",
    "position": "Trưởng thôn",
    "workplace": "Xã Vũ Hội",
    "achievements": "Vận động nhân dân hiến đất, góp công sửa 3 nhà cho hộ nghèo trong thôn.",
}
WOMEN_INDIVIDUAL = {
    "kind": NomineeKind.INDIVIDUAL,
    "full_name": "Trần Thị Thanh Hoa",
    "birth_year": 1972,
    "sex": "F",
    "position": "Phó Chủ tịch Hội LHPN tỉnh",
    "workplace": "Hội Liên hiệp Phụ nữ tỉnh Thái Bình",
    "achievements": "Chỉ đạo mô hình “Nuôi bò sinh sản luân chuyển” tại 58 xã, giúp 146 hộ do phụ nữ làm chủ hộ "
    "thoát nghèo.",
}


@dataclass
class DemoResult:
    reopened: int = 0
    nominations: int = 0
    nominees: int = 0
    decisions: int = 0

    @property
    def written(self):
        return sum(getattr(self, f.name) for f in fields(self))


def pdf_file(name):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def png_file(name):
    """A 1×1 white PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
    return SimpleUploadedFile(name, data + chunk(b"IEND", b""), content_type="image/png")


def _user(username):
    return get_user_model().objects.get(username=username)


def _unit(kind, key):
    field = "code" if kind in (UnitKind.DISTRICT, UnitKind.COMMUNE) else "short_name"
    return Unit.objects.current().get(kind=kind, **{field: key})


def _criterion(occasion, letter):
    return Criterion.objects.filter(group__movement=occasion.movement, group__letter=letter).order_by("order").first()


SETTLED = (ReviewState.RECOGNISED, ReviewState.LOCKED)
# (a class the household had before the occasion's year, the classes its last settled review must not have)
ESCAPES = (
    (PovertyClass.POOR, (PovertyClass.POOR,)),
    (PovertyClass.NEAR_POOR, (PovertyClass.POOR, PovertyClass.NEAR_POOR)),
)


def escaped_families(unit, year, count):
    """Codes of the first `count` active households of `unit`'s registry that escaped poverty by `year`: recognised
    poor before it and no longer poor in their last settled review up to it; then, if too few, near-poor ones that
    rose above."""
    last = (
        Review.objects.filter(household=OuterRef("pk"), state__in=SETTLED, year__lte=year)
        .exclude(recognised_class="")
        .order_by("-year")
        .values("recognised_class")[:1]
    )
    codes = []
    for before, not_after in ESCAPES:
        codes += [
            code
            for code in Household.objects.active()
            .filter(
                village__path__startswith=unit.path,
                reviews__state__in=SETTLED,
                reviews__recognised_class=before,
                reviews__year__lt=year,
            )
            .annotate(last=Subquery(last))
            .exclude(last__in=not_after)
            .exclude(last__isnull=True)
            .distinct()
            .order_by("code")
            .values_list("code", flat=True)[:count]
            if code not in codes
        ]
    return codes[:count]


def _reopen(occasion, result):
    today = timezone.localdate()
    if not occasion.is_open(today):
        occasion.closes_on = today + timedelta(days=OPEN_DAYS)
        occasion.save(update_fields=["closes_on"])
        result.reopened += 1


def _list(user, occasion, unit, entries, result):
    """The unit's list with its council's minutes and complete nominees: (data, criterion letter, evidence file)."""
    nomination = nominations.open_nomination(user=user, occasion=occasion, unit=unit)
    nominations.save_council(
        user=user,
        nomination=nomination,
        council_date=timezone.localdate(),
        votes_for=7,
        votes_total=9,
        minutes=pdf_file("bien-ban-hop-hoi-dong.pdf"),
    )
    result.nominations += 1
    nominees = []
    for data, letter, evidence in entries:
        nominee = nominations.add_nominee(user=user, nomination=nomination, data=data)
        nominations.attach(
            user=user, nominee=nominee, kind=NomineeFileKind.ACHIEVEMENT_REPORT, file=pdf_file("bao-cao-thanh-tich.pdf")
        )
        if evidence:
            nominations.attach(user=user, nominee=nominee, kind=NomineeFileKind.EVIDENCE, file=png_file("anh.png"))
        nominations.add_claim(
            user=user, nominee=nominee, criterion=_criterion(occasion, letter), statement=data["achievements"]
        )
        nominees.append(nominee)
        result.nominees += 1
    return nomination, nominees


def _step(user, nominees, name, comment=""):
    for nominee in nominees:
        nominations.take_step(user=user, nominee=nominee, name=name, comment=comment)


def _song_an(occasion, result):
    unit = _unit(UnitKind.COMMUNE, SONG_AN)
    if Nomination.objects.filter(occasion=occasion, unit=unit).exists():
        return
    family_type = AwardType.objects.get(code=FAMILY_TYPE)
    families = [
        (
            {"kind": NomineeKind.FAMILY, "award_type": family_type, "household_code": code, "achievements": ACHIEVED},
            "e",
            i == 0,
        )
        for i, code in enumerate(escaped_families(unit, occasion.year, 2))
    ]
    individual = ({**SONG_AN_INDIVIDUAL, "award_type": AwardType.objects.get(code=INDIVIDUAL_TYPE)}, "g", False)
    officer, district, dolisa, board = (_user(name) for name in ("xa.songan", "huyen.vuthu", "dolisa", "tdkt"))
    nomination, nominees = _list(officer, occasion, unit, [*families, individual], result)
    nominations.submit_nomination(user=officer, nomination=nomination)
    _step(district, nominees, "forward")
    *families, person = nominees
    _step(dolisa, [person], "return", RETURN_COMMENT)
    if not families:
        return
    awarded = families[-1]
    _step(dolisa, [awarded], "select")
    _step(board, [awarded], "approve")
    proposal = decisions.propose_to_chairman(user=board, occasion=occasion, nominee_ids=[awarded.pk])
    decisions.record_decision(
        user=board, proposal=proposal, signed_on=timezone.localdate(), signer=SIGNER, signer_title=SIGNER_TITLE
    )
    result.decisions += 1


def _vu_hoi(occasion, result):
    unit = _unit(UnitKind.COMMUNE, VU_HOI)
    if Nomination.objects.filter(occasion=occasion, unit=unit).exists():
        return
    data = {**VU_HOI_INDIVIDUAL, "award_type": AwardType.objects.get(code=INDIVIDUAL_TYPE)}
    _list(_user("xa.vuhoi"), occasion, unit, [(data, "g", False)], result)


def _women(occasion, result):
    unit = _unit(UnitKind.MASS_ORG, WOMEN)
    if Nomination.objects.filter(occasion=occasion, unit=unit).exists():
        return
    reporter = _user("baocao.phunu")
    data = {**WOMEN_INDIVIDUAL, "award_type": AwardType.objects.get(code=INDIVIDUAL_TYPE)}
    nomination, nominees = _list(reporter, occasion, unit, [(data, "g", True)], result)
    nominations.submit_nomination(user=reporter, nomination=nomination)
    _step(_user("dolisa"), nominees, "select")
    _step(_user("tdkt"), nominees, "approve")


@transaction.atomic
def seed(movement, *, log=None):
    """Give `movement`'s final review its demo nominations (see the module's docstring); returns what was written."""
    log = log or (lambda message: None)
    result = DemoResult()
    ensure_demo_users()
    occasion = Occasion.objects.select_related("movement").get(movement=movement, code=OCCASION)
    _reopen(occasion, result)
    _song_an(occasion, result)
    _vu_hoi(occasion, result)
    _women(occasion, result)
    log(
        f"Demo awards: {result.reopened} occasion reopened, {result.nominations} lists, {result.nominees} nominees, "
        f"{result.decisions} decision written."
    )
    return result
