"""Household codes in imports: the one written form finds the registered household however the code is spelt, a
commune's own export re-imports onto the same households, impossible codes are refused, and an import's changes
count as edits (the version moves, a form opened before it cannot save over it)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from households import services as household_services
from households.models import Household, Member
from imports.models import JobState
from units.models import Unit
from units.roles import Role

from .conftest import member, problems, workbook

HEAD = {"full_name": "Nguyễn Thị Hồng Nhung", "birth_date": date(1978, 9, 5), "sex": "F", "cccd": "034178001234"}


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an, last_name="Đinh Thị", first_name="Ngọc Ánh")


@pytest.fixture
def registered(officer, song_an):
    """Household 13249-00017 as the officer typed it on the form: with spaces and an en dash."""
    return household_services.create_household(
        user=officer, village=Unit.objects.get(parent=song_an, name="Thôn 2"), code=" 13249 \u2013 00017", head=HEAD
    )


def test_a_communes_own_export_imports_back_onto_the_same_households(
    client, start, confirm, officer, song_an, registered
):
    client.force_login(officer)
    response = client.get(reverse("imports:export_members"), {"year": 2025})
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["13249-00017"]
    job = start(officer, song_an, content)
    assert job.state == JobState.DONE, (job.error, problems(job))
    assert (job.new_rows, job.unchanged_rows) == (0, 1)
    assert list(Household.objects.values_list("code", flat=True)) == ["13249-00017"]


@pytest.mark.parametrize("spelt", ["13249-00017", "13249 - 00017", "13249\u201300017", "１３２４９－０００１７"])
def test_a_code_spelt_another_way_is_the_same_household(start, confirm, officer, song_an, registered, spelt):
    row = member(spelt, "Nguyễn Thị Hồng Nhung", "Chủ hộ", "05/09/1978", "Nữ", "034178001234", village="Thôn 2")
    job = start(officer, song_an, workbook([row, member(spelt, "Lê Văn Tâm", "Chồng", "01/02/1976", "Nam")]))
    assert job.state == JobState.VALIDATED, problems(job)
    assert (job.new_rows, job.unchanged_rows) == (1, 1)
    confirm(job, officer)
    assert list(Household.objects.values_list("code", flat=True)) == ["13249-00017"]
    assert registered.members.count() == 2


def test_a_new_household_needs_a_code_with_a_number_of_its_own_commune(start, officer, song_an, vu_hoi):
    rows = [
        member("abc", "Phạm Văn Trường Giang", "Chủ hộ", "01/02/1950", "Nam", village="Thôn 1"),
        member("13255-00007", "Đỗ Thị Thanh Xuân", "Chủ hộ", "01/06/1952", "Nữ", village="Thôn 1"),
        member("SA-001", "Hoàng Minh Tuấn", "Chủ hộ", "03/04/1948", "Nam", village="Thôn 1"),  # an earlier registry's
        member("13249-00018", "Vũ Thị Lụa", "Chủ hộ", "05/06/1960", "Nữ", village="Thôn 1"),
    ]
    job = start(officer, song_an, workbook(rows))
    assert job.state == JobState.INVALID
    assert problems(job) == [
        (2, "Mã hộ", "Mã hộ ABC không có số thứ tự; hộ mới của Xã Song An được đánh số như 13249-00001."),
        (3, "Mã hộ", "Mã hộ 13255-00007 thuộc cách đánh số của Xã Vũ Hội, nhưng hộ ở Xã Song An."),
    ]
    assert problems(job, "warning") == []


def test_an_imported_change_counts_as_an_edit(start, confirm, officer, song_an, registered):
    household = Household.objects.get(pk=registered.pk)
    head = Member.objects.get(household=household)
    assert (household.version, head.version) == (1, 1)
    row = member("13249-00017", "Nguyễn Thị Hồng Nhung", "Chủ hộ", "05/09/1978", "Nữ", "034178001234")
    row.update({"Thôn/Tổ dân phố": "Thôn 3", "Dân tộc": "Tày"})
    job = confirm(start(officer, song_an, workbook([row])), officer)
    assert job.state == JobState.DONE, (job.error, problems(job))
    assert Household.objects.get(pk=household.pk).version == 2
    assert Member.objects.get(pk=head.pk).version == 2
    # Forms opened before the import cannot save over it.
    with pytest.raises(household_services.HouseholdChanged):
        household_services.update_household(
            user=officer, household=household, village=household.village, address="Xóm 1"
        )
    with pytest.raises(household_services.MemberChanged):
        household_services.save_member(user=officer, household=household, member=head, ethnicity="Kinh")
    stored = Member.objects.get(pk=head.pk)
    assert (stored.ethnicity, stored.household.village.name) == ("Tày", "Thôn 3")
