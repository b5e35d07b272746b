"""Bad input on a nomination: a clear message in Vietnamese and nothing saved — a list submitted without its
dossier parts, a CCCD that is not 12 digits, a year of birth in the future, an attachment that is not what its
name says, an award for another kind of nominee, a collective outside the unit, invisible characters."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards.models import Nomination, Nominee, NomineeFile, NomineeFileKind, NomineeKind, NomineeState
from awards.nominations import services

from .conftest import individual, pdf

S = NomineeState


@pytest.fixture(autouse=True)
def vietnamese(media):
    with translation.override("vi"):
        yield


@pytest.fixture
def nomination(people, awards):
    return services.open_nomination(user=people.commune, occasion=awards.occasion, unit=people.song_an)


def refused(call):
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict if hasattr(info.value, "error_dict") else info.value.messages


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"cccd": "03417500123"}, "cccd", "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số."),
        ({"cccd": "03417500123X"}, "cccd", "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số."),
        ({"birth_year": 2999}, "birth_year", "Năm sinh không thể ở tương lai."),
        ({"birth_year": None}, "birth_year", "Nhập năm sinh."),
        ({"full_name": ""}, "full_name", "Nhập họ và tên của đối tượng đề nghị."),
        ({"achievements": "  "}, "achievements", "Nhập thành tích của đối tượng đề nghị."),
        ({"full_name": "Nguyễn\u202eThị Hằng"}, "full_name", None),
        ({"sex": "X"}, "sex", "Chọn giới tính trong danh sách."),
        ({"amount_contributed": -5}, "amount_contributed", "Số liệu này không thể âm."),
    ],
)
def test_an_individual_with_bad_fields_is_refused_and_nothing_saved(people, awards, nomination, fields, field, message):
    errors = refused(
        lambda: services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards, **fields))
    )
    assert field in errors
    if message:
        assert errors[field] == [message]
    else:
        assert "U+202E" in errors[field][0]
    assert not Nominee.objects.exists()


@pytest.mark.parametrize("typed", ["０３４１７５００１２３４", "034 175 001 234"])
def test_a_cccd_in_full_width_or_spaced_digits_is_stored_as_its_ascii_number(people, awards, nomination, typed):
    nominee = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards, cccd=typed))
    nominee.refresh_from_db()
    assert nominee.cccd == "034175001234"


def test_an_award_for_another_kind_and_a_collective_outside_the_unit_are_refused(people, awards, nomination):
    errors = refused(
        lambda: services.add_nominee(
            user=people.commune, nomination=nomination, data=individual(awards, award_type=awards.family)
        )
    )
    assert errors["award_type"] == ["Hình thức khen thưởng này không dành cho loại đối tượng đã chọn."]
    errors = refused(
        lambda: services.add_nominee(
            user=people.commune,
            nomination=nomination,
            data={
                "kind": NomineeKind.COLLECTIVE,
                "award_type": awards.collective,
                "unit": people.vu_hoi,
                "achievements": "Giảm nghèo tốt.",
            },
        )
    )
    assert errors["unit"] == ["Chọn tập thể: chính đơn vị hoặc một đơn vị trực thuộc."]
    assert not Nominee.objects.exists()


def test_a_family_needs_a_household_or_a_name_and_address(people, awards, nomination):
    errors = refused(
        lambda: services.add_nominee(
            user=people.commune,
            nomination=nomination,
            data={
                "kind": NomineeKind.FAMILY,
                "award_type": awards.family,
                "full_name": "Đỗ Văn Tư",
                "achievements": "Thoát nghèo bền vững.",
            },
        )
    )
    assert errors["household_code"] == ["Nhập mã hộ trong sổ theo dõi, hoặc họ tên chủ hộ và địa chỉ."]
    nominee = services.add_nominee(
        user=people.commune,
        nomination=nomination,
        data={
            "kind": NomineeKind.FAMILY,
            "award_type": awards.family,
            "full_name": "Đỗ Văn Tư",
            "address": "Thôn Đông Hồ, xã Song An",
            "achievements": "Thoát nghèo bền vững.",
        },
    )
    assert nominee.display_name == "Đỗ Văn Tư" and nominee.household is None


def test_an_attachment_that_is_not_what_its_name_says_is_refused(people, awards, nomination):
    nominee = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards))
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    errors = refused(
        lambda: services.attach(
            user=people.commune, nominee=nominee, kind=NomineeFileKind.ACHIEVEMENT_REPORT, file=fake
        )
    )
    assert errors["file"] == [
        "Tệp này không phải PDF, tài liệu Word (.docx) hay ảnh JPEG, PNG (xét theo nội dung tệp, dù tên tệp là gì)."
    ]
    errors = refused(lambda: services.save_council(user=people.commune, nomination=nomination, minutes=fake))
    assert "minutes" in errors
    nomination.refresh_from_db()
    assert not NomineeFile.objects.exists() and not nomination.minutes


def test_a_list_without_its_dossier_parts_is_not_submitted(people, awards, nomination):
    person = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards))
    messages = refused(lambda: services.submit_nomination(user=people.commune, nomination=nomination))
    assert messages == [
        "Đính kèm biên bản họp Hội đồng Thi đua - Khen thưởng xét danh sách.",
        "“Nguyễn Thị Hằng”: chưa đính kèm báo cáo thành tích.",
        "“Nguyễn Thị Hằng”: cần kê khai ít nhất một tiêu chí.",
    ]
    services.save_council(user=people.commune, nomination=nomination, minutes=pdf("bien-ban.pdf"))
    services.add_claim(user=people.commune, nominee=person, criterion=awards.criterion, statement="Tích cực.")
    messages = refused(lambda: services.submit_nomination(user=people.commune, nomination=nomination))
    assert messages == ["“Nguyễn Thị Hằng”: chưa đính kèm báo cáo thành tích."]
    assert Nominee.objects.get().state == S.DRAFT
    assert not Nomination.objects.get().submitted_at


def test_the_simplified_dossier_needs_no_achievement_report(people, awards, nomination):
    awards.occasion.simplified_dossier = True
    awards.occasion.save()
    person = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards))
    services.save_council(user=people.commune, nomination=nomination, minutes=pdf("bien-ban.pdf"))
    services.add_claim(user=people.commune, nominee=person, criterion=awards.criterion, statement="Tích cực.")
    services.submit_nomination(user=people.commune, nomination=nomination)
    assert Nominee.objects.get().state == S.AT_DISTRICT


def test_an_empty_list_and_a_council_vote_that_does_not_add_up_are_refused(people, awards, nomination):
    assert refused(lambda: services.submit_nomination(user=people.commune, nomination=nomination)) == [
        "Danh sách không có đối tượng nào để trình."
    ]
    errors = refused(
        lambda: services.save_council(user=people.commune, nomination=nomination, votes_for=10, votes_total=9)
    )
    assert errors["votes_for"] == ["Số thành viên nhất trí nhiều hơn số thành viên Hội đồng."]


def test_text_is_stored_in_nfc(people, awards, nomination):
    nominee = services.add_nominee(
        user=people.commune,
        nomination=nomination,
        data=individual(awards, full_name=unicodedata.normalize("NFD", "Nguyễn Thị Hằng"), cccd=""),
    )
    assert nominee.full_name == "Nguyễn Thị Hằng" and nominee.name_folded == "nguyen thi hang"


def test_an_attachment_over_the_size_cap_is_refused(people, awards, nomination):
    nominee = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards))
    big = SimpleUploadedFile("anh-chup.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024 + 1))
    errors = refused(
        lambda: services.attach(user=people.commune, nominee=nominee, kind=NomineeFileKind.EVIDENCE, file=big)
    )
    assert errors["file"] == ["Tệp nặng 10,0 MB; tệp đính kèm tối đa 10 MB."]
    assert not NomineeFile.objects.exists()
