"""Figures, not people, for those who work with figures: in a real browser, the Emulation Board and a unit reporter
find no household in the menu and a household's page does not exist for them; the commune officer reads the
CCCD, the district officer a masked one."""

import unicodedata
from datetime import date

import pytest
from playwright.sync_api import expect

from households import services
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

CCCD = "034185009876"


@pytest.fixture
def household(tree, make_user):
    song_an = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nguyên Xá", parent=song_an
    )
    officer = make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Nguyễn Thị")
    return services.create_household(
        user=officer,
        village=village,
        code="13249-00077",
        head={
            "full_name": unicodedata.normalize("NFD", "Vũ Thị Thu Hằng"),
            "birth_date": date(1985, 3, 14),
            "sex": "F",
            "cccd": CCCD,
        },
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "role, short_name",
    [(Role.EMULATION_BOARD, "Ban TĐKT"), (Role.UNIT_REPORTER, "Hội LHPN tỉnh")],
)
def test_figures_only_roles_have_no_household_pages(page, login, tree, make_user, household, role, short_name):
    make_user(role, tree.participant(short_name), username="xem.so.lieu", last_name="Bùi Thị Ngọc")
    login(page, "xem.so.lieu")
    expect(page.get_by_test_id("greeting")).to_be_visible()
    expect(page.get_by_test_id("nav-progress")).to_be_visible()
    expect(page.get_by_test_id("nav-households")).to_have_count(0)

    assert page.goto(household.get_absolute_url()).status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Hằng")
    expect(page.locator("main")).not_to_contain_text(CCCD)

    assert page.goto("/households/").status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()

    page.get_by_test_id("nav-movement").click()
    expect(page.locator("main")).to_be_visible()
    expect(page.get_by_test_id("not-found")).to_have_count(0)


@pytest.mark.e2e
def test_the_commune_officer_reads_the_cccd_and_the_district_a_masked_one(page, login, tree, make_user, household):
    login(page, "canbo.songan")
    page.get_by_test_id("nav-households").click()
    page.get_by_role("link", name="13249-00077").click()
    expect(page.get_by_test_id("member-cccd")).to_have_text(CCCD)
    expect(page.get_by_test_id("member-birth")).to_have_text("14/03/1985")

    make_user(Role.DISTRICT_OFFICER, tree.commune("13249").parent, username="canbo.huyen", last_name="Lê Văn")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    login(page, "canbo.huyen")
    page.goto(household.get_absolute_url())
    expect(page.get_by_test_id("member-cccd")).to_have_text("034*******76")
    expect(page.get_by_test_id("member-birth")).to_have_text("1985")
    expect(page.locator("main")).not_to_contain_text(CCCD)
