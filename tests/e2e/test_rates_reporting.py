"""In a real browser: DOLISA opens the reporting rates from the movement menu, reads a deadline's rate, drills to a
district, opens the list of communes that have not submitted; a commune delivers and the rate moves on reload."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineKind
from tests.e2e.test_accessibility import violations
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2025, 11, 20)
TITLE = "Báo cáo kết quả thực hiện Phong trào thi đua “Vì người nghèo” năm 2025"


def _rate(part, whole):
    return f"{100 * part / whole:.1f}".replace(".", ",")


@pytest.fixture
def report(tree, make_user):
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="ldtbxh.tonghop")
    deadline = Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT,
        year=2025,
        title=TITLE,
        due_on=DUE,
        unit_kinds=[UnitKind.DISTRICT, UnitKind.COMMUNE],
        within=tree.province,
    )
    deadline_services.deliver(
        deadline=deadline, unit=tree.commune("13249"), at=datetime(2025, 11, 20, 23, 59, 59, tzinfo=VIETNAM)
    )
    deadline_services.deliver(
        deadline=deadline, unit=tree.commune("13255"), at=datetime(2025, 11, 21, 0, 0, 0, tzinfo=VIETNAM)
    )
    return deadline


@pytest.mark.e2e
def test_dolisa_follows_a_reporting_rate_down_to_the_missing_communes(page: Page, login, tree, report):
    vu_thu = tree.district("344")
    expected = Unit.objects.active_on(DUE).filter(kind__in=[UnitKind.DISTRICT, UnitKind.COMMUNE]).count()
    in_vu_thu = Unit.objects.active_on(DUE).filter(kind=UnitKind.COMMUNE, path__startswith=vu_thu.path).count() + 1

    login(page, "ldtbxh.tonghop")
    page.get_by_test_id("nav-campaign").click()
    page.get_by_test_id("nav-rates").click()
    expect(page.get_by_test_id("rates-title")).to_have_text("Tỷ lệ báo cáo — Tỉnh Thái Bình")
    form = page.get_by_test_id("rates-form")
    form.get_by_test_id("rates-year").select_option("2025")
    form.get_by_role("button", name="Xem").click()
    row = page.locator(f'[data-testid="rates-deadline"][data-deadline="{report.pk}"]')
    expect(row.locator('[data-field="rate"]')).to_have_text(_rate(2, expected))
    row.get_by_test_id("deadline-link").click()

    expect(page.get_by_test_id("rates-title")).to_have_text(f"{TITLE} — Tỉnh Thái Bình")
    expect(page.get_by_test_id("summary-rate")).to_have_text(f"{_rate(2, expected)} %")
    expect(page.get_by_test_id("chart-rates")).to_be_visible()
    assert violations(page) == []
    page.get_by_test_id("rates-children").get_by_role("link", name="Huyện Vũ Thư").click()

    expect(page.get_by_test_id("rates-title")).to_have_text(f"{TITLE} — Huyện Vũ Thư")
    expect(page).to_have_url(re.compile(rf"\?unit={vu_thu.pk}$"))
    expect(page.get_by_test_id("summary-rate")).to_have_text(f"{_rate(2, in_vu_thu)} %")
    communes = page.get_by_test_id("level-communes")
    expect(communes.locator('[data-field="on_time"]')).to_have_text("1")
    expect(communes.locator('[data-field="late"]')).to_have_text("1")
    communes.get_by_test_id("missing-link").click()

    expect(page.get_by_test_id("missing-title")).to_have_text("Các đơn vị chưa nộp — Số xã")
    missing = page.get_by_test_id("missing-unit")
    expect(missing).to_have_count(in_vu_thu - 1 - 2)
    expect(page.get_by_test_id("missing-units")).not_to_contain_text("Xã Song An")
    expect(page.get_by_test_id("missing-units")).to_contain_text("Xã Tân Hòa")
    assert violations(page) == []

    # Xã Tân Hòa delivers (late); the rate is live: a reload shows it.
    deadline_services.deliver(
        deadline=report, unit=tree.commune("13216"), at=datetime(2025, 11, 24, 8, 30, tzinfo=VIETNAM)
    )
    page.reload()
    expect(missing).to_have_count(in_vu_thu - 1 - 3)
    expect(page.get_by_test_id("missing-units")).not_to_contain_text("Xã Tân Hòa")
    page.get_by_test_id("missing-back").click()
    expect(page.get_by_test_id("summary-rate")).to_have_text(f"{_rate(3, in_vu_thu)} %")
    expect(page.get_by_test_id("level-communes").locator('[data-field="late"]')).to_have_text("2")
