"""What each kind of user sees of the unit tree, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import show_as_of
from units.roles import Role


@pytest.mark.e2e
def test_commune_officer_sees_only_their_commune(page, login, tree, make_user):
    song_an = tree.commune("13249")
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", first_name="Hương", last_name="Nguyễn Thị")

    login(page, "canbo.songan")
    expect(page.get_by_test_id("greeting")).to_contain_text("Nguyễn Thị Hương")
    expect(page.get_by_test_id("my-units")).to_have_text("Xã Song An")

    page.get_by_test_id("nav-units").click()
    expect(page).to_have_url(re.compile(rf"/units/{song_an.pk}/"))
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Song An")
    expect(page.get_by_test_id("unit-code")).to_have_text("13249")
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("Xã Song An")
    expect(page.get_by_test_id("count-village")).to_be_visible()  # a commune counts only what it holds
    expect(page.get_by_test_id("count-district")).to_have_count(0)
    expect(page.get_by_test_id("count-commune")).to_have_count(0)
    # Neighbouring communes of Huyện Vũ Thư are nowhere on the page.
    expect(page.locator("main")).not_to_contain_text("Xã Vũ Hội")
    expect(page.locator("main")).not_to_contain_text("Xã Hồng Lý")

    # Another commune and the province are simply not there for this user.
    for other in (tree.commune("13255"), tree.province):
        page.goto(other.get_absolute_url())
        expect(page.get_by_test_id("not-found")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(other.name)
        expect(page.get_by_test_id("unit-name")).to_have_count(0)


@pytest.mark.e2e
def test_dolisa_staff_browse_the_province_as_of_a_date(page, login, tree, make_user):
    make_user(
        Role.DOLISA_STAFF,
        tree.participant("Sở LĐ-TB&XH"),
        username="chuyenvien.soldtbxh",
        first_name="Đức",
        last_name="Phạm Văn",
    )

    login(page, "chuyenvien.soldtbxh")
    page.get_by_test_id("nav-units").click()
    expect(page.get_by_test_id("unit-name")).to_have_text(tree.province.name)

    show_as_of(page, "2023-06-01")
    expect(page.get_by_test_id("count-district")).to_have_text("8")
    expect(page.get_by_test_id("count-commune")).to_have_text("260")

    show_as_of(page, "2025-06-01")
    expect(page.get_by_test_id("count-district")).to_have_text("8")
    expect(page.get_by_test_id("count-commune")).to_have_text("242")

    # Drill into Huyện Tiền Hải: Xã Đông Trung was renamed Xã Đông Quang in the 2024 merger.
    page.get_by_test_id("children").get_by_role("link", name="Huyện Tiền Hải", exact=True).click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Huyện Tiền Hải")
    expect(page).to_have_url(re.compile(r"as_of=2025-06-01"))
    children = page.get_by_test_id("children")
    expect(children.get_by_role("link", name="Xã Đông Quang", exact=True)).to_be_visible()
    expect(children).not_to_contain_text("Xã Đông Trung")

    show_as_of(page, "2023-06-01")
    expect(children.get_by_role("link", name="Xã Đông Trung", exact=True)).to_be_visible()
    expect(children).not_to_contain_text("Xã Đông Quang")


@pytest.mark.e2e
def test_user_without_a_unit_is_told_so(page, login, tree, make_user):
    make_user(username="nguoidung.moi", first_name="Thảo", last_name="Lê Thị")

    login(page, "nguoidung.moi")
    expect(page.get_by_test_id("no-unit")).to_be_visible()
    expect(page.get_by_test_id("no-unit")).to_contain_text("chưa được gán")
    expect(page.get_by_test_id("user-menu")).to_have_text("Lê Thị Thảo")


@pytest.mark.e2e
def test_commune_officer_breadcrumb_links_only_to_pages_they_may_open(page, login, tree, make_user):
    make_user(
        Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", first_name="Hương", last_name="Nguyễn Thị"
    )

    login(page, "canbo.songan")
    page.get_by_test_id("nav-units").click()
    breadcrumb = page.get_by_test_id("breadcrumb")
    expect(breadcrumb).to_contain_text("Huyện Vũ Thư")  # the context is named...
    hrefs = [link.get_attribute("href") for link in breadcrumb.get_by_role("link").all()]
    for href in hrefs:  # ...but only reachable pages are links
        page.goto(href)
        expect(page.get_by_test_id("not-found")).to_have_count(0)
