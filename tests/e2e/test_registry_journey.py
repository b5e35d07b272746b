"""The yearly review of one household, in a real browser: found by name, reviewed, returned, fixed, recognised.

The 2025 review period (01/09 - 14/12/2025) is closed today, so every test travels to 15 October 2025 first.
time-machine moves the clock of the whole test process (the live server thread too) but not the browser's:
cookies that the server dates in 2025 would already be expired for a 2026 browser, so the tests make the
session and CSRF cookies browser-session cookies (no expiry date) and sign in only after travelling.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from households import services
from households.models import Household, PovertyClass, PovertyStandard, Review, ReviewState
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CODE = "13249-00042"

# What the Vietnamese screens say.
DRAFT = "Nháp"
SUBMITTED = "Đã gửi"
RETURNED = "Bị trả lại để sửa"
RECOGNISED = "Đã công nhận"
POOR = "Hộ nghèo"
NEAR_POOR = "Hộ cận nghèo"
AVERAGE = "Hộ có mức sống trung bình"
COMMENT = "Kiểm tra lại chỉ số nhà ở"

# Indicators of Decree 07/2021 as labelled on the review form.
WATER = "9. Nguồn nước sinh hoạt"
HOUSING_QUALITY = "7. Chất lượng nhà ở"
HOUSING_AREA = "8. Diện tích nhà ở bình quân đầu người"
TOILET = "10. Nhà tiêu hợp vệ sinh"
NUTRITION = "3. Dinh dưỡng"


@dataclass
class Registry:
    officer: object
    leader: object
    outsider: object
    household: Household

    @property
    def household_url(self):
        return self.household.get_absolute_url()

    @property
    def review_url(self):
        return f"/households/{self.household.pk}/reviews/2025/"


@pytest.fixture
def in_october_2025(settings):
    """The clock of the test process (and its live server) on 15/10/2025 09:00, the 2025 period being open."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(MID_OCTOBER_2025, tick=True) as traveller:
        yield traveller


def _village(commune, name):
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)


@pytest.fixture
def registry(in_october_2025, tree, make_user):
    """Xã Song An (rural) with Thôn Đông Hải, its officer and leader, household 13249-00042 recognised near-poor
    in 2024; and, in Xã Vũ Hội, an officer with a household whose head has the same name without accents."""
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    dong_hai = _village(song_an, "Thôn Đông Hải")
    officer = make_user(
        Role.COMMUNE_OFFICER, song_an, username="canbo.songan", first_name="Nhung", last_name="Nguyễn Thị Hồng"
    )
    leader = make_user(Role.COMMUNE_LEADER, song_an, username="lanhdao.songan", first_name="Phúc", last_name="Trần Văn")
    outsider = make_user(Role.COMMUNE_OFFICER, vu_hoi, username="canbo.vuhoi", first_name="Mai", last_name="Lê Thị")

    household = services.create_household(
        user=officer,
        village=dong_hai,
        code=CODE,
        address="Xóm 3, Thôn Đông Hải",
        head={"full_name": "Nguyễn Văn Ân", "birth_date": date(1968, 3, 2), "sex": "M", "cccd": "034068001234"},
    )
    services.save_member(
        user=officer,
        household=household,
        full_name="Trần Thị Bích",
        birth_date=date(1970, 8, 20),
        sex="F",
        relation="spouse",
        cccd="034170005678",
    )
    Review.objects.create(
        household=household,
        year=2024,
        standard=PovertyStandard.objects.get(code="nd07-2021"),
        is_urban=False,
        income=1_400_000,
        deprived=[9],
        member_count=2,
        computed_class=PovertyClass.NEAR_POOR,
        recognised_class=PovertyClass.NEAR_POOR,
        state=ReviewState.LOCKED,
    )
    # Decoys for the search: another name in Song An, the same name (without accents) in Vũ Hội.
    services.create_household(
        user=officer,
        village=dong_hai,
        code="13249-00043",
        head={"full_name": "Phạm Thị Lan", "birth_date": date(1975, 1, 9), "sex": "F"},
    )
    services.create_household(
        user=outsider,
        village=_village(vu_hoi, "Thôn Tây Sơn"),
        code="13255-00007",
        head={"full_name": "Nguyễn Văn An", "birth_date": date(1980, 6, 1), "sex": "M"},
    )
    return Registry(officer=officer, leader=leader, outsider=outsider, household=household)


@pytest.fixture
def draft_2025(registry):
    """The 2025 review started by the officer: pre-filled from 2024 (1.400.000 đ, indicator 9), version 1."""
    return services.start_review(
        user=registry.officer, household=registry.household, year=2025, today=MID_OCTOBER_2025.date()
    )


def tick(page: Page, label: str, *, deprivations: int, shows: str, on: bool = True):
    """Tick (or untick) one indicator and wait for the live class to answer, without leaving the page."""
    box = page.get_by_label(label, exact=True)
    box.check() if on else box.uncheck()
    expect(page.get_by_test_id("deprivation-count")).to_have_text(str(deprivations))
    expect(page.get_by_test_id("live-class")).to_have_text(shows)


def type_income(page: Page, value: str, *, shows: str):
    page.get_by_test_id("review-form").locator("[name=income]").fill(value)
    expect(page.get_by_test_id("live-class")).to_have_text(shows)


def open_from_queue(page: Page, code: str):
    page.get_by_test_id("nav-queue").click()
    row = page.get_by_test_id("queue-row").filter(has_text=code)
    expect(row).to_have_count(1)
    row.get_by_test_id("queue-link").click()
    expect(page).to_have_url(re.compile(r"/reviews/2025/$"))


def timeline_row(page: Page, year: int):
    year_link = page.get_by_test_id("timeline-year").locator(f"a[href$='/reviews/{year}/']")
    return page.get_by_test_id("timeline").get_by_test_id("timeline-row").filter(has=year_link)


@pytest.mark.e2e
def test_a_household_is_reviewed_returned_fixed_and_recognised(page, new_page, login, registry):
    officer = page
    login(officer, "canbo.songan")

    # 1. The officer finds the household by its head's name typed without accents, in lower case.
    officer.get_by_test_id("nav-households").click()
    filters = officer.get_by_test_id("household-filters")
    filters.locator("[name=q]").fill("nguyen van an")
    filters.get_by_test_id("search").click()
    expect(officer).to_have_url(re.compile(r"[?&]q=nguyen\+van\+an"))
    rows = officer.get_by_test_id("household-row")
    expect(rows).to_have_count(1)  # not Phạm Thị Lan, and not the Nguyễn Văn An of Xã Vũ Hội
    expect(rows.first).to_contain_text(CODE)
    expect(rows.first).to_contain_text("Nguyễn Văn Ân")
    expect(rows.first).to_contain_text("Thôn Đông Hải")
    rows.first.get_by_test_id("household-link").click()
    expect(officer).to_have_url(re.compile(rf"{registry.household_url}$"))
    expect(officer.get_by_test_id("household-title")).to_contain_text(CODE)
    expect(officer.get_by_test_id("member-row")).to_have_count(2)

    # 2. This year's review starts pre-filled from 2024; the class follows the answers without a reload.
    start = officer.get_by_test_id("start-review")
    expect(start).to_contain_text("Bắt đầu rà soát năm")
    start.click()
    expect(officer).to_have_url(re.compile(rf"{registry.review_url}$"))
    expect(officer.get_by_test_id("review-state")).to_have_text(DRAFT)
    income = officer.get_by_test_id("review-form").locator("[name=income]")
    expect(income).to_have_value(re.compile(r"^1\.?400\.?000$"))  # 2024's income
    expect(officer.get_by_label(WATER, exact=True)).to_be_checked()  # 2024's deprivation
    expect(officer.get_by_test_id("live-class")).to_have_text(NEAR_POOR)
    expect(officer.get_by_test_id("deprivation-count")).to_have_text("1")

    officer.evaluate("window.__marker = 1")
    income.fill("1.200.000")
    tick(officer, HOUSING_QUALITY, deprivations=2, shows=NEAR_POOR)
    tick(officer, HOUSING_AREA, deprivations=3, shows=POOR)
    expect(officer.get_by_test_id("live-class")).to_have_class(re.compile(r"\bclass-poor\b"))
    type_income(officer, "1.600.000", shows=AVERAGE)  # above the rural poverty line of 1.500.000 đ
    type_income(officer, "1.200.000", shows=POOR)
    assert officer.evaluate("window.__marker") == 1, "the page was reloaded"

    # 3. Saved and sent to the commune leader.
    officer.get_by_test_id("save-submit").click()
    expect(officer.get_by_test_id("review-state")).to_have_text(SUBMITTED)
    expect(officer.get_by_test_id("live-class")).to_have_text(POOR)
    expect(income).to_be_disabled()
    expect(officer.get_by_test_id("save-submit")).to_have_count(0)

    # 4. The leader, on another computer, returns it with a comment.
    leader = new_page()
    login(leader, "lanhdao.songan")
    open_from_queue(leader, CODE)
    expect(leader.get_by_test_id("review-state")).to_have_text(SUBMITTED)
    expect(leader.get_by_test_id("proposed-class")).to_have_text(POOR)
    leader.get_by_test_id("return-comment-input").fill(COMMENT)
    leader.get_by_test_id("return").click()
    expect(leader.get_by_test_id("review-state")).to_have_text(RETURNED)
    expect(leader.get_by_test_id("recognise")).to_have_count(0)

    # 5. The officer sees why, corrects the housing indicators and sends it again.
    officer.reload()
    expect(officer.get_by_test_id("review-state")).to_have_text(RETURNED)
    expect(officer.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    expect(officer.get_by_test_id("transitions")).to_contain_text("Trần Văn Phúc")
    expect(income).to_be_enabled()
    expect(income).to_have_value(re.compile(r"^1\.?200\.?000$"))
    tick(officer, HOUSING_AREA, deprivations=2, shows=NEAR_POOR, on=False)
    tick(officer, TOILET, deprivations=3, shows=POOR)
    officer.get_by_test_id("save-submit").click()
    expect(officer.get_by_test_id("review-state")).to_have_text(SUBMITTED)
    expect(officer.get_by_test_id("return-comment")).to_have_count(0)

    # 6. The leader recognises it.
    open_from_queue(leader, CODE)
    expect(leader.get_by_test_id("proposed-class")).to_have_text(POOR)
    leader.get_by_test_id("recognise").click()
    expect(leader.get_by_test_id("review-state")).to_have_text(RECOGNISED)
    leader.get_by_test_id("nav-queue").click()
    expect(leader.get_by_test_id("queue-row")).to_have_count(0)

    # 7. The household page keeps both years and who did what.
    officer.reload()
    expect(officer.get_by_test_id("review-state")).to_have_text(RECOGNISED)
    officer.get_by_test_id("household-link").click()
    expect(officer).to_have_url(re.compile(rf"{registry.household_url}$"))
    expect(officer.get_by_test_id("start-review")).to_have_count(0)
    expect(officer.get_by_test_id("timeline-row")).to_have_count(2)
    this_year, last_year = timeline_row(officer, 2025), timeline_row(officer, 2024)
    expect(this_year.get_by_test_id("timeline-recognised")).to_have_text(POOR)
    expect(this_year.get_by_test_id("timeline-state")).to_have_text(RECOGNISED)
    expect(this_year.get_by_test_id("timeline-last-step")).to_contain_text(f"{RECOGNISED} — Trần Văn Phúc")
    expect(this_year).to_contain_text("1.200.000 đ")
    expect(last_year.get_by_test_id("timeline-recognised")).to_have_text(NEAR_POOR)
    expect(last_year).to_contain_text("1.400.000 đ")
    history = officer.get_by_test_id("history").get_by_test_id("history-row")
    by_officer = history.filter(has=officer.get_by_test_id("history-who").get_by_text("Nguyễn Thị Hồng Nhung"))
    by_leader = history.filter(has=officer.get_by_test_id("history-who").get_by_text("Trần Văn Phúc"))
    expect(by_officer.first).to_be_visible()  # her saves and submissions
    expect(by_officer.first.get_by_test_id("history-what")).to_contain_text("Phiếu rà soát")
    expect(by_leader).to_have_count(2)  # returned, then recognised
    expect(by_leader.get_by_test_id("history-what")).to_contain_text(["Phiếu rà soát", "Phiếu rà soát"])

    # 8. An officer of another commune cannot open the household or its review.
    outsider = new_page()
    login(outsider, "canbo.vuhoi")
    for url in (registry.household_url, registry.review_url):
        outsider.goto(url)
        expect(outsider.get_by_test_id("not-found")).to_be_visible()
        expect(outsider.locator("main")).not_to_contain_text("Nguyễn Văn Ân")
        expect(outsider.locator("main")).not_to_contain_text(CODE)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-5", "Thu nhập không được là số âm."),
        ("2.000.000.000", "không hợp lý"),
    ],
    ids=["negative", "implausible"],
)
def test_an_impossible_income_is_refused_and_nothing_is_saved(page, login, registry, draft_2025, typed, error):
    login(page, "canbo.songan")
    page.goto(registry.review_url)
    field = page.get_by_test_id("income-field")
    income = field.locator("[name=income]")
    expect(income).to_have_value(re.compile(r"^1\.?400\.?000$"))

    income.fill(typed)
    page.get_by_test_id("save").click()
    expect(field.locator(".invalid-feedback")).to_contain_text(error)
    expect(income).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(income).to_have_value(typed)  # what was typed stays there to be corrected
    expect(page.get_by_test_id("review-state")).to_have_text(DRAFT)

    page.goto(registry.review_url)
    expect(field.locator(".invalid-feedback")).to_have_count(0)
    expect(income).to_have_value(re.compile(r"^1\.?400\.?000$"))
    draft_2025.refresh_from_db()
    assert (draft_2025.income, draft_2025.version) == (1_400_000, 1)


@pytest.mark.e2e
def test_a_save_over_someone_elses_save_is_refused_and_keeps_the_typing(page, new_page, login, registry, draft_2025):
    login(page, "canbo.songan")
    tab_a, tab_b = page, new_page(page.context)  # two tabs of the same officer
    for tab in (tab_a, tab_b):
        tab.goto(registry.review_url)
        expect(tab.get_by_test_id("review-state")).to_have_text(DRAFT)

    tab_a.get_by_test_id("review-form").locator("[name=income]").fill("1.100.000")
    tab_a.get_by_test_id("save").click()
    expect(tab_a.get_by_role("alert").filter(has_text="Đã lưu phiếu rà soát.")).to_be_visible()

    income_b = tab_b.get_by_test_id("review-form").locator("[name=income]")
    income_b.fill("1.900.000")
    tab_b.get_by_label(NUTRITION, exact=True).check()
    tab_b.get_by_test_id("save").click()
    expect(tab_b.get_by_test_id("conflict")).to_be_visible()
    expect(income_b).to_have_value("1.900.000")
    expect(tab_b.get_by_label(NUTRITION, exact=True)).to_be_checked()
    expect(tab_b.get_by_label(WATER, exact=True)).to_be_checked()

    draft_2025.refresh_from_db()
    assert (draft_2025.income, draft_2025.deprived, draft_2025.version) == (1_100_000, [9], 2)
    tab_a.reload()
    expect(tab_a.get_by_test_id("income-field").locator("[name=income]")).to_have_value(re.compile(r"^1\.?100\.?000$"))
    expect(tab_a.get_by_label(NUTRITION, exact=True)).not_to_be_checked()

    # Having seen the warning, the officer saves again on purpose: now B's answers are kept.
    tab_b.get_by_test_id("save").click()
    expect(tab_b.get_by_test_id("conflict")).to_have_count(0)
    expect(income_b).to_have_value(re.compile(r"^1\.?900\.?000$"))
    draft_2025.refresh_from_db()
    assert (draft_2025.income, draft_2025.deprived, draft_2025.version) == (1_900_000, [3, 9], 3)


# Regressions of two bugs found by these journeys: years printed with a thousands separator ("2.025"), and
# stored codes instead of labels in the history.


@pytest.mark.e2e
def test_the_start_button_starts_this_years_review(page, login, registry):
    login(page, "canbo.songan")
    page.goto(registry.household_url)
    start = page.get_by_test_id("start-review")
    expect(start).to_have_text("Bắt đầu rà soát năm 2025", timeout=2000)
    start.click()
    expect(page.get_by_test_id("not-found")).to_have_count(0, timeout=2000)
    expect(page).to_have_url(re.compile(rf"{registry.review_url}$"), timeout=2000)
    expect(page.get_by_test_id("review-state")).to_have_text(DRAFT, timeout=2000)
    page.goto(registry.household_url)
    expect(page.get_by_test_id("timeline-year")).to_have_text(["2025", "2024"], timeout=2000)


@pytest.mark.e2e
def test_the_history_names_states_and_classes_in_vietnamese(page, login, registry, draft_2025):
    today = MID_OCTOBER_2025.date()
    review = services.save_review(
        user=registry.officer, review=draft_2025, version=1, today=today, income=1_200_000, deprived=[7, 8, 9]
    )
    services.transition(user=registry.officer, review=review, name="submit", today=today)
    login(page, "canbo.songan")
    page.goto(registry.household_url)
    history = page.get_by_test_id("history")
    expect(history).to_contain_text(f"{NEAR_POOR} → {POOR}", timeout=2000)
    expect(history).to_contain_text(f"{DRAFT} → {SUBMITTED}", timeout=2000)
    expect(history).not_to_contain_text(re.compile(r"\b(near_poor|submitted|draft)\b"), timeout=2000)


@pytest.mark.e2e
def test_a_member_is_added_with_a_day_first_date_even_in_an_english_browser(
    browser, live_server, transactional_db, login, registry
):
    """An English browser would show a native date field as mm/dd/yyyy; the form takes dd/mm/yyyy as on paper."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    login(page, registry.officer.username)
    page.goto(registry.household.get_absolute_url())
    page.get_by_test_id("member-add").click()
    form = page.get_by_test_id("member-form")
    form.locator("[name=full_name]").fill("Nguyễn Thị Phương Thảo")
    form.locator("[name=relation]").select_option("child")
    form.locator("[name=sex]").select_option("F")
    form.locator("[name=birth_date]").fill("11/03/1996")
    form.get_by_test_id("save").click()
    row = page.get_by_test_id("member-row").filter(has_text="Nguyễn Thị Phương Thảo")
    expect(row).to_contain_text("11/03/1996")
    assert registry.household.members.get(full_name="Nguyễn Thị Phương Thảo").birth_date == date(1996, 3, 11)
    context.close()
