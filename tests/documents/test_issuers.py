"""The issuer of a document follows the unit and the date: names then in force, the body that carried on after a
merger, the place as Decree 30 writes it, and the signature block of a collective body or of a head."""

from datetime import date

import pytest

from documents.issuers import abbreviation, issuer_for, proper_name, signature_for
from units.models import Unit, UnitName

BEFORE_MERGER = date(2023, 6, 1)
AFTER_MERGER = date(2025, 6, 1)


def test_the_province_issues_as_its_peoples_committee(tree):
    issuer = issuer_for(tree.province, AFTER_MERGER)
    assert issuer.parent_line == ""
    assert issuer.body_lines == ("ỦY BAN NHÂN DÂN", "TỈNH THÁI BÌNH")
    assert (issuer.abbreviation, issuer.place) == ("UBND", "Thái Bình")
    assert signature_for(issuer).lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert signature_for(issuer, deputy=True, signer="Nguyễn Quang Hưng").lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_a_city_and_a_commune_date_their_documents_with_their_proper_names(tree):
    city = issuer_for(tree.district("336"), AFTER_MERGER)
    assert city.body_lines == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH") and city.place == "Thái Bình"
    song_an = issuer_for(tree.commune("13249"), AFTER_MERGER)
    assert song_an.body_lines == ("ỦY BAN NHÂN DÂN", "XÃ SONG AN") and song_an.place == "Song An"


def test_a_department_sits_under_the_provincial_committee_and_signs_by_its_director(tree):
    dolisa = issuer_for(tree.participant("Sở LĐ-TB&XH"), AFTER_MERGER)
    assert dolisa.parent_line == "UBND TỈNH THÁI BÌNH"
    assert dolisa.body_lines == ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",)
    assert (dolisa.abbreviation, dolisa.place) == ("SLĐTBXH", "Thái Bình")
    assert signature_for(dolisa).lines == ("GIÁM ĐỐC",)
    assert signature_for(dolisa, deputy=True).lines == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def test_a_board_inside_a_department_names_the_department_above_it(tree):
    board = issuer_for(tree.participant("Ban TĐKT"), AFTER_MERGER)
    assert board.parent_line == "SỞ NỘI VỤ"
    assert board.abbreviation == "BTĐKT" and board.place == "Thái Bình"


def test_a_renamed_commune_issues_under_the_name_of_the_day(tree):
    ai_quoc = tree.commune("13030")  # Xã Tây Phong until 30/11/2024
    assert issuer_for(ai_quoc, BEFORE_MERGER).body_lines[1] == "XÃ TÂY PHONG"
    assert issuer_for(ai_quoc, BEFORE_MERGER).place == "Tây Phong"
    assert issuer_for(ai_quoc, AFTER_MERGER).body_lines[1] == "XÃ ÁI QUỐC"
    assert issuer_for(ai_quoc, AFTER_MERGER).place == "Ái Quốc"


def test_a_merged_commune_is_succeeded_by_the_body_that_took_over(tree):
    tay_tien = tree.commune("13033")  # merged into Xã Ái Quốc on 1/12/2024
    assert issuer_for(tay_tien, BEFORE_MERGER).body_lines[1] == "XÃ TÂY TIẾN"
    assert issuer_for(tay_tien, AFTER_MERGER).body_lines[1] == "XÃ ÁI QUỐC"


def test_a_unit_ending_in_the_future_still_issues_today(tree):
    song_an = tree.commune("13249")
    Unit.objects.filter(pk=song_an.pk).update(valid_to=date(2030, 6, 30), successor=tree.commune("13255"))
    song_an.refresh_from_db()
    assert issuer_for(song_an, AFTER_MERGER).body_lines[1] == "XÃ SONG AN"


def test_a_renamed_department_keeps_its_former_name_in_old_headers(tree):
    dolisa = tree.participant("Sở LĐ-TB&XH")
    UnitName.objects.create(unit=dolisa, name="Sở Lao động, Thương binh và Xã hội", valid_to=date(2019, 12, 31))
    assert issuer_for(dolisa, date(2019, 6, 1)).body_lines == ("SỞ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI",)
    assert issuer_for(dolisa, AFTER_MERGER).body_lines == ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",)


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Tỉnh Thái Bình", "Thái Bình"),
        ("Thành phố Thái Bình", "Thái Bình"),
        ("Huyện Vũ Thư", "Vũ Thư"),
        ("Thị trấn Quỳnh Côi", "Quỳnh Côi"),
        ("Phường Lê Hồng Phong", "Lê Hồng Phong"),
        ("Xã Song An", "Song An"),
    ],
)
def test_the_place_is_the_proper_name(name, place):
    assert proper_name(name) == place


def test_an_abbreviation_without_a_short_name_takes_the_initials():
    assert abbreviation(Unit(name="Hội Liên hiệp Phụ nữ tỉnh Thái Bình", short_name="")) == "HLHPNTTB"
