"""In a real browser: the commune leader recognises a page of the queue after a confirmation; DOLISA follows the
review's progress by district and opens the households behind a figure of the movement table.

The 2025 review period (01/09 - 14/12/2025) is closed today, so the leader's journey travels to 15 October 2025
(session and CSRF cookies without expiry, as in test_registry_journey)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from households.models import Household, Member, PovertyClass, Review, ReviewState
from tests.factories import ReviewFactory
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
P, N, A = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE


def _village(commune, name):
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)


def _household(province, village, code, head, years):
    """A household with a head and reviews: years = {year: (computed class, recognised class, state)}."""
    household = Household.objects.create(province=province, village=village, code=code)
    Member.objects.create(household=household, full_name=head, birth_date=date(1964, 7, 9), relation="head")
    for year, (computed, recognised, state) in years.items():
        ReviewFactory(household=household, year=year, computed_class=computed, recognised_class=recognised, state=state)
    return household


@pytest.fixture
def in_october_2025(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(MID_OCTOBER_2025, tick=True) as traveller:
        yield traveller


@pytest.mark.e2e
def test_the_leader_selects_a_page_confirms_and_recognises(page: Page, login, in_october_2025, tree, make_user):
    song_an = tree.commune("13249")
    make_user(Role.COMMUNE_LEADER, song_an, username="lanhdao.songan", first_name="Thắng", last_name="Trần Văn")
    village = _village(song_an, "Thôn Nhân Thanh Thượng")
    locked, submitted = ReviewState.LOCKED, ReviewState.SUBMITTED
    cases = {
        "13249-00101": ("Nguyễn Văn Ân", {2024: (P, P, locked), 2025: (P, "", submitted)}),  # unchanged
        "13249-00102": ("Lê Thị Hằng", {2024: (N, N, locked), 2025: (P, "", submitted)}),  # newly poor
        "13249-00103": ("Phạm Quốc Việt", {2024: (P, P, locked), 2025: (A, "", submitted)}),  # left poverty
    }
    for code, (head, years) in cases.items():
        _household(tree.province, village, code, head, years)

    login(page, "lanhdao.songan")
    page.get_by_test_id("nav-queue").click()
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="13249-00102").get_by_test_id("change-badge")).to_have_text(
        re.compile("Mới thành hộ nghèo")
    )
    expect(rows.filter(has_text="13249-00101").get_by_test_id("change-badge")).to_have_count(0)

    page.get_by_test_id("select-all").check()
    for n in range(3):
        expect(rows.nth(n).locator("input[name=reviews]")).to_be_checked()
    expect(page.get_by_test_id("selected-count")).to_have_text("Đã chọn: 3")
    rows.first.locator("input[name=reviews]").uncheck()
    expect(page.get_by_test_id("selected-count")).to_have_text("Đã chọn: 2")
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("Đã chọn: 3")

    page.get_by_test_id("bulk-recognise").click()
    expect(page.get_by_test_id("confirm-summary")).to_contain_text("Bạn sắp công nhận kết quả rà soát của 3 hộ.")
    expect(page.get_by_test_id("confirm-changed")).to_contain_text("2 hộ trong số đó thay đổi diện so với năm trước")
    expect(page.get_by_test_id("confirm-row")).to_have_count(3)
    assert not Review.objects.filter(year=2025, state=ReviewState.RECOGNISED).exists()

    page.get_by_test_id("confirm-recognise").click()
    expect(page).to_have_url(re.compile(r"/households/queue/$"))
    expect(page.get_by_test_id("queue-row")).to_have_count(0)
    recognised = Review.objects.filter(year=2025, state=ReviewState.RECOGNISED)
    assert dict(recognised.values_list("household__code", "recognised_class")) == {
        "13249-00101": P,
        "13249-00102": P,
        "13249-00103": A,
    }


@pytest.fixture
def province_with_results(tree, make_user):
    """Recognised 2024 and 2025 results in two communes of Huyện Vũ Thư and one of Huyện Tiền Hải."""
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="dolisa", first_name="Hạnh")
    recognised = ReviewState.RECOGNISED
    plan = {
        "13249": [(P, P), (P, N), (N, P), (None, P)],  # Xã Song An
        "13255": [(P, A), (N, N)],  # Xã Vũ Hội
        "12976": [(P, P), (N, None)],  # Xã Đông Trà (Tiền Hải); the second one's 2025 review is a draft
    }
    for code, households in plan.items():
        village = _village(tree.commune(code), "Thôn Đông Hải")
        for n, (before, after) in enumerate(households, 1):
            years = {}
            if before:
                years[2024] = (before, before, recognised)
            years[2025] = (after, after, recognised) if after else (N, "", ReviewState.DRAFT)
            _household(tree.province, village, f"{code}-{n:05d}", f"Hoàng Thị Thu {n}", years)
    return tree


@pytest.mark.e2e
def test_dolisa_follows_progress_by_district_and_opens_a_movement_figure(page: Page, login, province_with_results):
    login(page, "dolisa")
    page.get_by_test_id("nav-progress").click()
    page.get_by_test_id("progress-form").locator("[name=year]").fill("2025")
    page.get_by_test_id("progress-show").click()
    expect(page.get_by_test_id("progress-district")).to_have_count(2)

    page.get_by_test_id("district-chooser").select_option(label="Huyện Vũ Thư")
    page.get_by_test_id("progress-show").click()
    expect(page.get_by_test_id("progress-unit")).to_have_text("Huyện Vũ Thư")
    rows = page.get_by_test_id("progress-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Xã Song An")
    page.get_by_test_id("sort-waiting").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=waiting"))
    expect(page.get_by_test_id("progress-unit")).to_have_text("Huyện Vũ Thư")
    expect(rows).to_have_count(2)

    page.get_by_test_id("nav-movement").click()
    expect(page.locator("h1")).to_contain_text("năm 2025 — Tỉnh Thái Bình")
    table = page.get_by_test_id("movement-poor")
    table.get_by_role("link", name="Huyện Vũ Thư").click()
    expect(page.locator("h1")).to_contain_text("Huyện Vũ Thư")
    expect(page.get_by_test_id("movement-breadcrumb")).to_contain_text("Tỉnh Thái Bình")
    total = page.get_by_test_id("movement-poor-total-households")
    end_of_year = total.get_by_test_id("movement-link-poor-9")  # poor at the end of 2025 in Vũ Thư: 3
    expect(end_of_year).to_have_text("3")
    end_of_year.click()
    expect(page).to_have_url(re.compile(r"/households/\?.*movement=poor-9"))
    expect(page.get_by_test_id("movement-filter")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_text("3 hộ")
    expect(page.get_by_test_id("household-row")).to_have_count(3)
