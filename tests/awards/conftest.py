"""Shared fixtures of the awards tests: an occasion of the loaded movement with its award types, the people who
nominate, forward, select and appraise (Xã Song An under Huyện Vũ Thư), a registry household that escaped poverty,
dossier files, and helpers that build a complete list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from awards.models import AwardType, NomineeFileKind, NomineeKind, Occasion, OccasionKind
from awards.nominations import services
from households.models import Household, ReviewState
from movement.models import Criterion
from tests.factories import ReviewFactory
from tests.households.conftest import make_village
from tests.imports.conftest import confirm, start  # noqa: F401 (the import tests' fixtures)
from units.roles import Role


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name="bao-cao-thanh-tich.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


class Awards:
    """The occasion's award types and the occasion itself (tổng kết 2025)."""

    def __init__(self, movement):
        self.collective = AwardType.objects.create(
            code="bk-tap-the", name="Bằng khen của Chủ tịch UBND tỉnh (tập thể)", nominee_kind=NomineeKind.COLLECTIVE
        )
        self.individual = AwardType.objects.create(
            code="bk-ca-nhan", name="Bằng khen của Chủ tịch UBND tỉnh (cá nhân)", nominee_kind=NomineeKind.INDIVIDUAL
        )
        self.family = AwardType.objects.create(
            code="bk-gia-dinh", name="Bằng khen của Chủ tịch UBND tỉnh (hộ gia đình)", nominee_kind=NomineeKind.FAMILY
        )
        self.occasion = Occasion.objects.create(
            movement=movement,
            code="tong-ket-2025",
            name="Tổng kết phong trào 2021–2025",
            kind=OccasionKind.FINAL,
            year=2025,
        )
        self.criterion = Criterion.objects.filter(group__movement=movement, group__letter="g").order_by("order").first()
        self.poor_reduction = Criterion.objects.get(
            group__movement=movement, group__letter="c", measure="poor_reduction"
        )


class People:
    """Xã Song An's officer, Xã Vũ Hội's officer, Huyện Vũ Thư's officer, Huyện Tiền Hải's officer, DOLISA, the
    Emulation Board, the Women's Union reporter."""

    def __init__(self, tree, make_user, movement):
        self.song_an = tree.commune("13249")
        self.vu_hoi = tree.commune("13255")
        self.vu_thu = tree.district("344")
        self.tien_hai = tree.district("342")
        self.dolisa_unit = movement.lead_unit
        self.board_unit = tree.participant("Ban TĐKT")
        self.women = tree.participant("Hội LHPN tỉnh")
        self.commune = make_user(Role.COMMUNE_OFFICER, self.song_an, username="canbo.songan", last_name="Lê Thị")
        self.other_commune = make_user(Role.COMMUNE_OFFICER, self.vu_hoi, username="canbo.vuhoi")
        self.district = make_user(Role.DISTRICT_OFFICER, self.vu_thu, username="ldtbxh.vuthu", last_name="Phạm Văn")
        self.other_district = make_user(Role.DISTRICT_OFFICER, self.tien_hai, username="ldtbxh.tienhai")
        self.dolisa = make_user(Role.DOLISA_STAFF, self.dolisa_unit, username="sldtbxh.thidua")
        self.board = make_user(Role.EMULATION_BOARD, self.board_unit, username="tdkt.ban")
        self.union = make_user(Role.UNIT_REPORTER, self.women, username="hlhpn.thidua")


@pytest.fixture
def awards(movement):
    return Awards(movement)


@pytest.fixture
def people(tree, make_user, movement):
    return People(tree, make_user, movement)


def escaped_household(commune, code="13249-00001", village="Thôn Đông Hồ"):
    """A household of the commune's registry recognised poor in 2024 and near-poor in 2025."""
    village = make_village(commune, village)
    household = Household.objects.create(province=village.parent.parent.parent, village=village, code=code)
    for year, klass in ((2024, "poor"), (2025, "near_poor")):
        ReviewFactory(
            household=household,
            village=village,
            year=year,
            state=ReviewState.RECOGNISED,
            computed_class=klass,
            recognised_class=klass,
        )
    return household


@pytest.fixture
def household(people):
    return escaped_household(people.song_an)


INDIVIDUAL = {
    "kind": NomineeKind.INDIVIDUAL,
    "full_name": "Nguyễn Thị Hằng",
    "birth_year": 1975,
    "sex": "F",
    "position": "Chủ tịch Hội Phụ nữ xã",
    "workplace": "Xã Song An",
    "cccd": "034175001234",
    "achievements": "Vận động 12 hộ nghèo vay vốn, giúp 5 hộ thoát nghèo.",
}


def individual(awards, **fields):
    return {**INDIVIDUAL, "award_type": awards.individual, **fields}


def family(awards, household, **fields):
    return {
        "kind": NomineeKind.FAMILY,
        "award_type": awards.family,
        "household_code": household.code,
        "achievements": "Tích cực lao động sản xuất, vươn lên thoát nghèo bền vững.",
        **fields,
    }


def complete(user, nominee, awards):
    """Give a nominee its achievement report's file and one claimed criterion."""
    services.attach(user=user, nominee=nominee, kind=NomineeFileKind.ACHIEVEMENT_REPORT, file=pdf())
    services.add_claim(
        user=user, nominee=nominee, criterion=awards.criterion, statement="Tích cực tham gia giảm nghèo."
    )


def ready_list(user, unit, awards, *nominee_data):
    """A list of `unit` with its minutes and complete nominees; returns (nomination, nominees)."""
    nomination = services.open_nomination(user=user, occasion=awards.occasion, unit=unit)
    services.save_council(user=user, nomination=nomination, votes_for=7, votes_total=9, minutes=pdf("bien-ban.pdf"))
    nominees = []
    for data in nominee_data:
        nominee = services.add_nominee(user=user, nomination=nomination, data=data)
        complete(user, nominee, awards)
        nominees.append(nominee)
    return nomination, nominees
