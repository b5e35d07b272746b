"""Award registry rows for the registry's tests, made directly with the models (deciding is another area's
service): award types, occasions, proposals, decisions and awards over the real Thái Bình tree."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from awards.models import (
    Award,
    AwardMethod,
    AwardType,
    Decision,
    NomineeKind,
    Occasion,
    OccasionKind,
    Proposal,
    ProposalStage,
)
from awards.rules import bonus
from households.models import Household, Member
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MULTIPLES = {
    NomineeKind.INDIVIDUAL: Decimal("1.5"),
    NomineeKind.COLLECTIVE: Decimal("3"),
    NomineeKind.FAMILY: Decimal("2.25"),
}
BASE_SALARY = 2_340_000
SIGNER = "Nguyễn Khắc Thận"
TYPE_NAMES = {
    NomineeKind.COLLECTIVE: "Bằng khen của Chủ tịch UBND tỉnh (tập thể)",
    NomineeKind.INDIVIDUAL: "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
    NomineeKind.FAMILY: "Bằng khen của Chủ tịch UBND tỉnh (hộ gia đình)",
}


def award_types():
    return {
        kind: AwardType.objects.get_or_create(
            code=f"bang-khen-{kind}", defaults={"name": name, "nominee_kind": kind, "position": n}
        )[0]
        for n, (kind, name) in enumerate(TYPE_NAMES.items())
    }


def make_occasion(movement, *, code, name, kind, year):
    return Occasion.objects.create(movement=movement, code=code, name=name, kind=kind, year=year)


def make_decision(*, occasion, issuer, number, signed_on, user):
    proposal = Proposal.objects.create(
        stage=ProposalStage.BOARD,
        occasion=occasion,
        issuer=issuer,
        number=number,
        year=signed_on.year,
        issued_on=signed_on,
        created_by=user,
    )
    return Decision.objects.create(
        occasion=occasion,
        proposal=proposal,
        issuer=issuer,
        number=number,
        year=signed_on.year,
        signed_on=signed_on,
        signer=SIGNER,
        signer_title="Chủ tịch",
        created_by=user,
    )


def district_of(unit):
    if unit.kind == UnitKind.DISTRICT:
        return unit
    return Unit.objects.filter(pk__in=unit.ancestor_ids, kind=UnitKind.DISTRICT).first()


def award(decision, *, name, unit, kind=NomineeKind.INDIVIDUAL, method=AwardMethod.THEMATIC, types=None, **fields):
    """An Award row as a decision copies it from its nominee; the bonus at 2,340,000 đ."""
    multiple = MULTIPLES[kind]
    return Award(
        decision=decision,
        award_type=(types or award_types())[kind],
        kind=kind,
        method=method,
        occasion=decision.occasion,
        year=decision.occasion.year,
        name=name,
        unit=unit,
        district=district_of(unit),
        multiple=multiple,
        base_salary=BASE_SALARY,
        bonus=bonus(multiple, BASE_SALARY),
        **fields,
    )


@dataclass
class Registry:
    song_an: Unit  # Xã Song An, Huyện Vũ Thư (344)
    an_khe: Unit  # Xã An Khê, Huyện Quỳnh Phụ (338)
    household: Household
    decisions: list
    awards: dict = field(default_factory=dict)  # name -> Award
    users: dict = field(default_factory=dict)  # role key -> User


def build_registry(tree, movement, make_user):
    """Three decisions of the Chairman over two districts and a provincial department: individuals (two people
    named Nguyễn Văn An/Ân in different districts), a family of the registry, collectives, a formula-looking name."""
    song_an, an_khe = tree.commune("13249"), tree.commune("12475")
    dolisa = tree.participant("Sở LĐ-TB&XH")
    board = tree.participant("Ban TĐKT")
    users = {
        "dolisa": make_user(Role.DOLISA_STAFF, dolisa, username="ldtbxh.awards"),
        "board": make_user(Role.EMULATION_BOARD, board, username="tdkt.awards"),
        "vu_thu": make_user(Role.DISTRICT_OFFICER, tree.district("344"), username="vuthu.awards"),
        "quynh_phu": make_user(Role.DISTRICT_OFFICER, tree.district("338"), username="quynhphu.awards"),
        "song_an": make_user(Role.COMMUNE_OFFICER, song_an, username="songan.awards"),
    }
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nhân Thanh", parent=song_an
    )
    household = Household.objects.create(province=tree.province, village=village, code="13249-00007")
    Member.objects.create(
        household=household, full_name="Trần Văn Bình", birth_date=date(1968, 5, 1), sex="M", relation="head"
    )
    final = make_occasion(movement, code="tong-ket-2025", name="Tổng kết 2021-2025", kind=OccasionKind.FINAL, year=2025)
    yearly = make_occasion(movement, code="nam-2024", name="Năm 2024", kind=OccasionKind.YEARLY, year=2024)
    ad_hoc = make_occasion(movement, code="dot-xuat-2025", name="Đột xuất 2025", kind=OccasionKind.AD_HOC, year=2025)
    user = users["board"]
    first = make_decision(occasion=yearly, issuer=tree.province, number=987, signed_on=date(2024, 12, 20), user=user)
    second = make_decision(occasion=ad_hoc, issuer=tree.province, number=410, signed_on=date(2025, 3, 2), user=user)
    third = make_decision(occasion=final, issuer=tree.province, number=1234, signed_on=date(2025, 8, 15), user=user)
    types = award_types()
    regular, ad_hoc_method = AwardMethod.REGULAR, AwardMethod.AD_HOC
    rows = [
        award(first, name="Nguyễn Văn Ân", unit=an_khe, method=regular, birth_year=1975, sex="M", cccd="034075009876"),
        award(first, name="Lê Thị Hoa", unit=an_khe, method=regular, birth_year=1982, sex="F", position="Trưởng thôn"),
        award(first, name="=Phạm Văn Công", unit=an_khe, method=regular, birth_year=1990, sex="M"),
        award(first, name="Xã An Khê", unit=an_khe, kind=NomineeKind.COLLECTIVE, method=regular),
        award(second, name="Đặng Thị Ánh", unit=dolisa, method=ad_hoc_method, birth_year=1985, sex="F"),
        award(third, name="Nguyễn Văn An", unit=song_an, birth_year=1980, sex="M", cccd="034080001234"),
        award(third, name="Xã Song An", unit=song_an, kind=NomineeKind.COLLECTIVE),
        award(third, name="Hộ ông Trần Văn Bình", unit=song_an, kind=NomineeKind.FAMILY, household=household),
        award(third, name="Hộ bà Lê Thị Mận", unit=an_khe, kind=NomineeKind.FAMILY),
    ]
    for row in rows:
        row.award_type = types[row.kind]
    Award.objects.bulk_create(rows)
    return Registry(
        song_an=song_an,
        an_khe=an_khe,
        household=household,
        decisions=[first, second, third],
        awards={row.name: Award.objects.get(name=row.name) for row in rows},
        users=users,
    )
