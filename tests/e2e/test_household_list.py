"""The household list on a phone: the review status is on screen without sideways scrolling."""

from datetime import date

import pytest
from playwright.sync_api import expect

from households.models import Household, Member
from tests.factories import ReviewFactory
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role


@pytest.mark.e2e
def test_the_household_list_shows_the_review_status_on_a_phone(page, login, tree, make_user):
    commune = tree.commune("13249")
    make_user(Role.COMMUNE_OFFICER, commune, username="canbo.songan", first_name="Hương", last_name="Nguyễn Thị")
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Nhân Thanh Thượng", parent=commune)
    heads = ["Tôn Nữ Thị Ngọc Bích", "Nguyễn Phước Vĩnh Thụy", "Công Tằng Tôn Nữ Thị Bảo Trâm"]
    states = ["returned", "submitted", "draft"]  # "Bị trả lại để sửa": the longest status
    classes = ["none", "near_poor", "poor"]  # "Không thuộc diện": the widest badge
    for n, (head, state, klass) in enumerate(zip(heads, states, classes, strict=True)):
        household = Household.objects.create(province=tree.province, village=village, code=f"13249-1{n:04d}")
        Member.objects.create(household=household, full_name=head, birth_date=date(1958, 2, 3 + n), relation="head")
        Member.objects.create(
            household=household, full_name="Nguyễn Thị Hoa", birth_date=date(1990, 5, 1 + n), relation="child"
        )
        ReviewFactory(household=household, year=2024, computed_class="near_poor", recognised_class="near_poor")
        ReviewFactory(household=household, year=2025, computed_class=klass, state=state)
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "canbo.songan")
    page.goto("/households/?year=2025&q=hoa")
    rows = page.get_by_test_id("household-row")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_test_id("matched-member")).to_have_text("khớp: Nguyễn Thị Hoa (con)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.get_by_test_id("household-table")
    width, room = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert width <= room, (width, room)
    status = rows.first.get_by_test_id("review-state")
    expect(status).to_have_text("Bị trả lại để sửa")
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 375, box
