"""The real Thái Bình tree: counts as of a date, the late-2024 merger, renames, idempotent loading, paths."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from units import selectors
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.services import load_unit_tree


def name_on(unit, day):
    return selectors.named_as_of(Unit.objects.filter(pk=unit.pk), day).get().name_then


def count(kind, day):
    return Unit.objects.active_on(day).filter(kind=kind).count()


def test_counts_before_and_after_the_2024_merger(tree):
    assert count(UnitKind.DISTRICT, date(2023, 6, 1)) == 8
    assert count(UnitKind.COMMUNE, date(2023, 6, 1)) == 260
    assert count(UnitKind.COMMUNE, date(2025, 6, 1)) == 242
    assert count(UnitKind.COMMUNE, date(2024, 11, 30)) == 260
    assert count(UnitKind.COMMUNE, date(2024, 12, 1)) == 242


def test_commune_types_and_urban_rural(tree):
    communes = Unit.objects.active_on(date(2023, 1, 1)).filter(kind=UnitKind.COMMUNE)
    assert communes.filter(category=UnitCategory.COMMUNE_RURAL).count() == 241
    assert communes.filter(category=UnitCategory.COMMUNE_WARD).count() == 10
    assert communes.filter(category=UnitCategory.COMMUNE_TOWN).count() == 9
    assert tree.commune("12433").is_urban  # Phường Lê Hồng Phong
    assert tree.commune("13192").is_urban  # Thị trấn Vũ Thư
    assert not tree.commune("13249").is_urban  # Xã Song An


def test_merged_communes_end_with_a_successor(tree):
    ended = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=False)
    assert ended.count() == 18
    assert set(ended.values_list("valid_to", flat=True)) == {date(2024, 11, 30)}
    quynh_bao = tree.commune("12556")
    assert quynh_bao.successor.name == "Xã Trang Bảo Xá"
    assert quynh_bao.successor.parent == quynh_bao.parent


def test_renamed_communes_keep_their_old_name_for_old_dates(tree):
    renamed = Unit.objects.filter(former_names__isnull=False).distinct()
    assert renamed.count() == 10
    dong_trung = tree.commune("12997")
    assert dong_trung.name == "Xã Đông Quang"
    day_2023 = date(2023, 6, 1)
    assert name_on(dong_trung, day_2023) == "Xã Đông Trung"
    assert name_on(dong_trung, date(2025, 1, 1)) == "Xã Đông Quang"
    # The old Xã Đông Quang (another commune, merged away) still answers with its own name in 2023.
    old_dong_quang = tree.commune("12796")
    assert name_on(old_dong_quang, day_2023) == "Xã Đông Quang"


def test_participants_of_plan_119_are_seeded(tree):
    names = set(
        Unit.objects.exclude(kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE]).values_list(
            "name", flat=True
        )
    )
    for expected in [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Nội vụ",
        "Ban Thi đua - Khen thưởng (Sở Nội vụ)",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Bình",
        "Ban Tuyên giáo Tỉnh ủy",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Bình",
        "Hội Nông dân tỉnh Thái Bình",
        "Hội Cựu chiến binh tỉnh Thái Bình",
        "Tỉnh đoàn Thái Bình",
        "Liên đoàn Lao động tỉnh Thái Bình",
        "Ngân hàng Chính sách xã hội - Chi nhánh tỉnh Thái Bình",
    ]:
        assert expected in names
    board = tree.participant("Ban TĐKT")
    assert board.parent == tree.participant("Sở Nội vụ")


def test_loading_twice_creates_no_duplicates_and_keeps_admin_changes(tree):
    total = Unit.objects.count()
    quynh_bao = tree.commune("12556")
    other = tree.commune("12589")
    quynh_bao.successor = other  # an admin corrected the successor
    quynh_bao.save()
    renamed = tree.commune("13159")
    renamed.name = "Xã Hồng Vũ (mới)"
    renamed.save()

    result = load_unit_tree()

    assert (result.created, result.renamed, result.ended, result.successors) == (0, 0, 0, 0)
    assert Unit.objects.count() == total
    assert tree.commune("12556").successor == other
    assert tree.commune("13159").name == "Xã Hồng Vũ (mới)"


def test_paths_follow_the_tree_and_moves_cascade(tree):
    district = tree.district("344")
    commune = tree.commune("13249")
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Nhân Thanh", parent=commune)
    assert village.path == f"{tree.province.pk}/{district.pk}/{commune.pk}/{village.pk}/"

    other_district = tree.district("343")
    commune.parent = other_district
    commune.save()
    village.refresh_from_db()
    assert village.path.startswith(f"{tree.province.pk}/{other_district.pk}/{commune.pk}/")


def test_a_unit_cannot_move_under_itself(tree):
    district = tree.district("344")
    commune = tree.commune("13249")
    district.parent = commune
    with pytest.raises(Exception, match="own subtree"), transaction.atomic():
        district.save()


def test_gso_codes_are_unique_per_kind(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind=UnitKind.COMMUNE, code="13249", name="Xã trùng mã", parent=tree.district("344"))


def test_villages_are_listed_as_people_read_them(tree):
    commune = tree.commune("13249")
    for name in ["Thôn 10", "Thôn Tây", "Thôn 2", "Thôn Đông", "Tổ dân phố 1", "Thôn 1", "thôn Bắc"]:
        Unit.objects.create(kind=UnitKind.VILLAGE, name=name, parent=commune)
    names = [unit.name for unit in selectors.children(commune, day=date(2026, 11, 26))]
    assert names == ["Thôn 1", "Thôn 2", "Thôn 10", "thôn Bắc", "Thôn Đông", "Thôn Tây", "Tổ dân phố 1"]
