"""Two officers on two computers editing the same member; the "new household" form suggesting the next code."""

from datetime import date

import pytest
from playwright.sync_api import expect

from households import services
from households.models import Household, Member
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

CONFLICT = "Người khác đã lưu thành viên này trong lúc bạn sửa; xem lại."


def _village(commune, name):
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)


@pytest.fixture
def song_an(tree):
    return tree.commune("13249")


@pytest.fixture
def household(song_an, make_user):
    """Household 13249-00001 of Thôn Đông Hải with its head and a daughter; two officers of Xã Song An."""
    officer_a = make_user(
        Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Nguyễn Thị", first_name="Hồng"
    )
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo2.songan", last_name="Trần Văn", first_name="Phúc")
    household = services.create_household(
        user=officer_a,
        village=_village(song_an, "Thôn Đông Hải"),
        code="13249-00001",
        head={"full_name": "Nguyễn Văn Ân", "birth_date": date(1968, 3, 2), "sex": "M", "cccd": "034068001234"},
    )
    services.save_member(
        user=officer_a,
        household=household,
        full_name="Nguyễn Thị Thu Hà",
        birth_date=date(1999, 4, 12),
        sex="F",
        relation="child",
    )
    return household


@pytest.mark.e2e
def test_the_second_of_two_officers_saving_one_member_is_told_and_the_first_edit_stays(
    page, new_page, login, household
):
    daughter = household.members.get(relation="child")
    url = f"/households/{household.pk}/members/{daughter.pk}/"
    officer_a, officer_b = page, new_page()  # two computers: two browser contexts, two sign-ins
    login(officer_a, "canbo.songan")
    login(officer_b, "canbo2.songan")
    for officer in (officer_a, officer_b):
        officer.goto(url)
        expect(officer.get_by_test_id("member-form").locator("[name=full_name]")).to_have_value("Nguyễn Thị Thu Hà")

    form_a = officer_a.get_by_test_id("member-form")
    form_a.locator("[name=full_name]").fill("Nguyễn Thị Thu Hằng")
    form_a.get_by_test_id("save").click()
    expect(officer_a.get_by_role("alert").filter(has_text="Đã lưu thành viên.")).to_be_visible()

    form_b = officer_b.get_by_test_id("member-form")
    form_b.locator("[name=ethnicity]").select_option("Mường")
    form_b.locator("[name=birth_date]").fill("21/04/1999")
    form_b.get_by_test_id("save").click()
    conflict = officer_b.get_by_test_id("conflict")
    expect(conflict).to_contain_text(CONFLICT)
    expect(conflict).to_contain_text("Nguyễn Thị Thu Hằng")  # what A saved, beside B's own entries
    expect(officer_b.get_by_role("heading", level=1)).to_contain_text("Nguyễn Thị Thu Hằng")
    expect(form_b.locator("[name=ethnicity]")).to_have_value("Mường")
    expect(form_b.locator("[name=birth_date]")).to_have_value("21/04/1999")

    stored = Member.objects.get(pk=daughter.pk)
    assert (stored.full_name, stored.ethnicity, stored.birth_date, stored.version) == (
        "Nguyễn Thị Thu Hằng",
        "Kinh",
        date(1999, 4, 12),
        2,
    )
    officer_a.goto(household.get_absolute_url())
    expect(officer_a.get_by_test_id("member-row").filter(has_text="Nguyễn Thị Thu Hằng")).to_have_count(1)


@pytest.mark.e2e
def test_the_new_household_form_suggests_the_next_code_of_the_chosen_villages_commune(
    page, login, household, tree, make_user
):
    vu_hoi = tree.commune("13255")
    _village(vu_hoi, "Thôn Tây Sơn")
    make_user(Role.DISTRICT_OFFICER, tree.district("344"), username="huyen.vuthu", last_name="Phạm", first_name="Thu")
    login(page, "huyen.vuthu")
    page.goto("/households/new/")
    form = page.get_by_test_id("household-form")
    code = form.locator("[name=code]")
    expect(code).to_have_value("")  # several communes: the village decides
    village = form.locator("[name=village]")
    village.select_option(value=str(Unit.objects.get(name="Thôn Đông Hải").pk))
    expect(code).to_have_value("13249-00002")
    village.select_option(value=str(Unit.objects.get(name="Thôn Tây Sơn").pk))
    expect(code).to_have_value("13255-00001")
    code.fill("13255-00100")  # typed by the officer: the village no longer changes it
    village.select_option(value=str(Unit.objects.get(name="Thôn Đông Hải").pk))
    expect(code).to_have_value("13255-00100")
    assert Household.objects.count() == 1
