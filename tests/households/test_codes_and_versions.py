"""Household codes written one way and numbered per commune; households and members saved over a stale version."""

import importlib
import re
import unicodedata
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from households import codes, selectors, services
from households.models import Household, Member
from units.roles import Role

from .conftest import add_household, head, make_village


def messages(exc, field):
    return " ".join(exc.value.message_dict[field])


# One written form -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (" 13249-00017 ", "13249-00017"),
        ("13249 - 00017", "13249-00017"),
        ("13249\u201300017", "13249-00017"),  # an en dash from a word processor
        ("13249\u221200017", "13249-00017"),  # a minus sign
        ("１３２４９－０００１７", "13249-00017"),  # full-width, from a Vietnamese input method
        ("13249-\u00a000017\t", "13249-00017"),
        ("sa 001", "SA001"),
        (unicodedata.normalize("NFD", "đh-01"), "ĐH-01"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_code_has_one_written_form(typed, written):
    assert codes.normalise(typed) == written
    assert codes.normalise(written) == written


def test_the_numbering_of_a_commune_is_derived_from_its_gso_code():
    numbering = codes.CodeFormat.of("13249")
    assert numbering.code(17) == "13249-00017"
    assert numbering.matches("13249-00017")
    for other in ("13249-17", "13249-000017", "13255-00017", "ABC", "13249-0001A"):
        assert not numbering.matches(other), other
    assert codes.CodeFormat.of("") is None, "a commune without a GSO code has no numbering to check"
    assert codes.numbering_of("13255-00007") == "13255" and codes.numbering_of("SA-001") is None


# New codes: the commune's numbering, the next free number --------------------------------------------------


def test_a_free_text_code_is_refused_with_an_example_of_the_next_free_one(officer, village):
    add_household(officer, village, "13249-00041")
    households, members = Household.objects.count(), Member.objects.count()
    for typed in ("abc", "SA-002", "13249-17", "13255-00042"):
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            services.create_household(user=officer, village=village, code=typed, head=head())
        message = messages(exc, "code")
        assert "không đúng cách đánh số của xã" in message and "ví dụ 13249-00042" in message, message
    assert (Household.objects.count(), Member.objects.count()) == (households, members), "nothing half-saved"


def test_a_code_is_stored_in_its_written_form_and_a_respelling_is_the_same_code(officer, village):
    household = add_household(officer, village, " 13249 \u2013 00007 ")
    assert household.code == Household.objects.get(pk=household.pk).code == "13249-00007"
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.create_household(user=officer, village=village, code="１３２４９-00007", head=head())
    assert messages(exc, "code") == "Mã hộ 13249-00007 đã được dùng cho một hộ ở Thôn Đông, Xã Song An."


def test_the_next_free_code_is_the_communes_highest_number_plus_one(tree, officer, village, song_an, vu_hoi):
    assert selectors.next_household_code(song_an) == "13249-00001"
    add_household(officer, village, "13249-00009")
    add_household(officer, village, "13249-00010")
    province = tree.province
    Household.objects.create(province=province, village=village, code="SA-099")  # an earlier numbering
    Household.objects.create(province=province, village=village, code="13249-0099")  # not five digits
    vu_hoi_officer_village = make_village(vu_hoi, "Thôn Nam")
    Household.objects.create(province=province, village=vu_hoi_officer_village, code="13255-00500")
    assert selectors.next_household_code(song_an) == "13249-00011"
    assert selectors.next_household_code(vu_hoi) == "13255-00501"


def test_the_new_household_form_suggests_the_next_free_code(client, officer, village):
    add_household(officer, village, "13249-00041")
    client.force_login(officer)
    page = client.get(reverse("households:create")).content.decode()
    assert re.search(r'<input[^>]*name="code"[^>]*value="13249-00042"', page), "pre-filled"
    assert 'data-suggested-code="13249-00042"' in page


def test_the_next_code_follows_the_village_chosen_and_stays_in_scope(client, make_user, tree, village, vu_hoi):
    district_officer = make_user(Role.DISTRICT_OFFICER, tree.district("344"))  # Huyện Vũ Thư: several communes
    other = make_village(vu_hoi, "Thôn Tây")
    client.force_login(district_officer)
    page = client.get(reverse("households:create")).content.decode()
    assert re.search(r'<input[^>]*name="code"(?![^>]*value=)[^>]*>', page), "no commune chosen yet: no suggestion"
    url = reverse("households:next_code")
    assert client.get(url, {"village": village.pk}).json() == {"code": "13249-00001"}
    assert client.get(url, {"village": other.pk}).json() == {"code": "13255-00001"}
    outside = make_village(tree.commune("12433"), "Tổ dân phố 9", urban=True)
    assert client.get(url, {"village": outside.pk}).status_code == 404
    assert client.get(url, {"village": "x"}).status_code == 404


def test_the_form_refuses_a_free_text_code_in_vietnamese(client, officer, village):
    client.force_login(officer)
    response = client.post(
        reverse("households:create"),
        {
            "village": village.pk,
            "code": "abc",
            "head-full_name": "Nguyễn Văn Bình",
            "head-birth_date": "02/03/1970",
            "head-sex": "M",
            "head-ethnicity": "Kinh",
            "head-working_capacity": "full",
            "head-schooling": "na",
            "head-has_health_insurance": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mã hộ ABC không đúng cách đánh số của xã" in page and "ví dụ 13249-00001" in page
    assert not Household.objects.exists()


def test_a_household_with_an_earlier_numbering_can_still_be_edited(client, tree, officer, village):
    old = Household.objects.create(province=tree.province, village=village, code="SA-001")
    Member.objects.create(household=old, full_name="Lê Văn Cường", birth_date=date(1960, 1, 1), relation="head")
    services.update_household(user=officer, household=old, village=village, address="Xóm 2")
    client.force_login(officer)
    other = make_village(village.parent, "Thôn Tây")
    response = client.post(
        reverse("households:edit", args=[old.pk]),
        {"village": other.pk, "code": "ignored", "address": "Xóm 5", "version": 2},
    )
    assert response.status_code == 302, response.content.decode()
    old.refresh_from_db()
    assert (old.code, old.village, old.address, old.version) == ("SA-001", other, "Xóm 5", 3)


def test_codes_already_stored_are_brought_to_their_written_form(tree, village):
    migration = importlib.import_module("households.migrations.0006_normalise_household_codes")
    province = tree.province
    for code in ("13249 - 00003", "sa-001", "13249-00004", "ab1", "AB1", "cd2", "ｃｄ２"):
        Household.objects.create(province=province, village=village, code=code)
    migration.normalise_codes(apps, None)
    assert sorted(Household.objects.values_list("code", flat=True)) == [
        "13249-00003",
        "13249-00004",
        "AB1",
        "SA-001",
        "ab1",  # its written form is another household's code: left as it was
        "cd2",  # two codes with one written form: neither is changed
        "ｃｄ２",
    ]
    assert Household.objects.get(code="SA-001").version == 2


# Version checks --------------------------------------------------------------------------------------------


def test_a_household_saved_over_a_stale_version_is_refused_and_nothing_is_saved(officer, village, household):
    other = make_village(village.parent, "Thôn Tây")
    first, second = (Household.objects.get(pk=household.pk) for _ in range(2))
    services.update_household(user=officer, household=first, village=village, address="Số 3, ngõ 5")
    with pytest.raises(services.HouseholdChanged):
        services.update_household(user=officer, household=second, village=other, address="Xóm 9")
    with pytest.raises(services.HouseholdChanged):
        services.update_household(user=officer, household=first, village=other, address="Xóm 9", version=1)
    stored = Household.objects.get(pk=household.pk)
    assert (stored.village, stored.address, stored.version) == (village, "Số 3, ngõ 5", 2)


def test_archiving_counts_as_a_change(officer, household):
    stale = Household.objects.get(pk=household.pk)
    services.archive_household(user=officer, household=household, reason="moved_away", on=date(2025, 3, 1))
    assert household.version == 2
    with pytest.raises(services.HouseholdChanged):
        services.update_household(user=officer, household=stale, village=stale.village, address="Xóm 1")


def test_a_member_saved_over_a_stale_version_is_refused_and_nothing_is_saved(officer, household):
    member = household.members.get(relation="child", full_name="Trần Thị Bình 0")
    first, second = (Member.objects.get(pk=member.pk) for _ in range(2))
    services.save_member(user=officer, household=household, member=first, full_name="Trần Thị Bình An")
    with pytest.raises(services.MemberChanged):
        services.save_member(
            user=officer, household=household, member=second, full_name="Trần Thị Bích", ethnicity="Tày"
        )
    with pytest.raises(services.MemberChanged):
        services.save_member(user=officer, household=household, member=first, version=1, full_name="Trần Thị Bích")
    stored = Member.objects.get(pk=member.pk)
    assert (stored.full_name, stored.ethnicity, stored.version) == ("Trần Thị Bình An", "Kinh", 2)
    second.delete()
    with pytest.raises(services.MemberChanged):
        services.save_member(user=officer, household=household, member=first, full_name="Trần Thị Bích")


def member_post(member, version, **changes):
    data = {
        "version": version,
        "full_name": member.full_name,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "sex": member.sex,
        "relation": member.relation,
        "cccd": member.cccd or "",
        "ethnicity": member.ethnicity,
        "working_capacity": member.working_capacity,
        "schooling": member.schooling,
        "has_health_insurance": "on" if member.has_health_insurance else "",
    }
    data.update(changes)
    return data


def test_the_member_form_shows_the_conflict_and_keeps_what_was_typed(client, officer, household):
    member = household.members.get(full_name="Trần Thị Bình 0")
    url = reverse("households:member_edit", args=[household.pk, member.pk])
    client.force_login(officer)
    assert f'name="version" value="{member.version}"' in client.get(url).content.decode()
    assert client.post(url, member_post(member, 1, full_name="Trần Thị Bình An")).status_code == 302

    typed = unicodedata.normalize("NFD", "Trần Thị Bích Ngọc")
    response = client.post(url, member_post(member, 1, full_name=typed, birth_date="16/01/1995"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="conflict"' in page
    assert "Người khác đã lưu thành viên này trong lúc bạn sửa; xem lại." in page
    assert f'value="{typed}"' in page and 'value="16/01/1995"' in page, "the typing is kept"
    assert 'name="version" value="2"' in page, "saving again is a deliberate choice over the other save"
    assert "Họ và tên: <strong>Trần Thị Bình An</strong>" in page, "what the other person saved is shown"
    stored = Member.objects.get(pk=member.pk)
    assert (stored.full_name, stored.birth_date, stored.version) == ("Trần Thị Bình An", date(1995, 1, 15), 2)

    assert client.post(url, member_post(member, 2, full_name=typed)).status_code == 302
    assert Member.objects.get(pk=member.pk).full_name == "Trần Thị Bích Ngọc"


def test_a_member_removed_meanwhile_is_said_so(client, officer, household):
    member = household.members.get(full_name="Trần Thị Bình 0")
    url = reverse("households:member_edit", args=[household.pk, member.pk])
    client.force_login(officer)
    data = member_post(member, 1, full_name="Trần Thị Bích")
    member.delete()
    assert client.post(url, data).status_code == 404
    assert not Member.objects.filter(full_name="Trần Thị Bích").exists()


def test_the_household_form_shows_the_conflict_and_keeps_what_was_typed(client, officer, village, household):
    other = make_village(village.parent, "Thôn Tây")
    url = reverse("households:edit", args=[household.pk])
    client.force_login(officer)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    assert client.post(url, {"version": 1, "village": village.pk, "address": "Xóm 3"}).status_code == 302
    response = client.post(url, {"version": 1, "village": other.pk, "address": "Số 7, ngõ 2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Người khác đã lưu hộ này trong lúc bạn sửa; xem lại." in page
    assert 'value="Số 7, ngõ 2"' in page and re.search(rf'<option value="{other.pk}"[^>]*selected', page)
    assert "Địa chỉ: <strong>Xóm 3</strong>" in page
    household.refresh_from_db()
    assert (household.village, household.address, household.version) == (village, "Xóm 3", 2)
    missing = client.post(url, {"village": other.pk, "address": "Xóm 4"})
    assert missing.status_code == 200 and Household.objects.get(pk=household.pk).address == "Xóm 3"
