"""Registry pages: constant query counts, Excel export, live classification endpoint, progress and movement."""

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households.models import Household, Member, PovertyStandard, Review
from tests.factories import ReviewFactory
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role


@pytest.fixture
def commune_data(tree, make_user):
    commune = tree.commune("13249")
    villages = [
        Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)
        for name in ("Thôn Đông", "Thôn Đoài")
    ]
    officer = make_user(Role.COMMUNE_OFFICER, commune, last_name="Nguyễn Thị Hồng", first_name="Nhung")
    return commune, villages, officer


def add_households(tree, villages, count, *, year=2025, start=0):
    for n in range(start, start + count):
        household = Household.objects.create(
            province=tree.province, village=villages[n % len(villages)], code=f"13249-{n:05d}"
        )
        Member.objects.create(
            household=household, full_name=f"Nguyễn Văn Ân {n}", birth_date=date(1970, 1, 1), sex="M", relation="head"
        )
        Member.objects.create(
            household=household, full_name=f"Lê Thị Bình {n}", birth_date=date(1972, 1, 1), sex="F", relation="spouse"
        )
        ReviewFactory(
            household=household,
            year=year,
            income=1_200_000,
            deprived=[1, 2, 3] if n % 2 else [1],
            computed_class="poor" if n % 2 else "near_poor",
        )


@pytest.mark.parametrize("params", [{}, {"year": 2025, "klass": "poor", "q": "nguyen van an"}])
def test_household_list_makes_a_constant_number_of_queries(client, tree, commune_data, params):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    url = reverse("households:list")
    add_households(tree, villages, 5)
    client.get(url, params)
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    add_households(tree, villages, 60, start=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert len(few) == len(many) <= 9
    assert response.status_code == 200


def test_the_list_shows_last_years_recognised_class_beside_this_years(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 2)  # 2025 reviews, not recognised
    first, second = Household.objects.order_by("code")
    ReviewFactory(household=first, year=2024, recognised_class="poor", state="locked")
    ReviewFactory(household=second, year=2024, computed_class="near_poor", state="draft")  # never recognised
    html = client.get(reverse("households:list"), {"year": 2025}).content.decode()
    shown = re.findall(r'data-testid="previous-class">([^<]*)<', html)
    assert shown == ["2024: Hộ nghèo"]


def test_household_page_makes_a_constant_number_of_queries(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 2)
    household = Household.objects.order_by("pk").first()
    url = reverse("households:detail", args=[household.pk])
    client.post(
        reverse("households:edit", args=[household.pk]),
        {"village": villages[0].pk, "address": "Xóm 1", "version": household.version},
    )
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for year in (2022, 2023, 2024):
        Review.objects.create(
            household=household,
            year=year,
            standard=PovertyStandard.objects.get(code="nd07-2021"),
            is_urban=False,
            income=1_000_000,
            member_count=2,
            computed_class="near_poor",
            recognised_class="near_poor",
            state="recognised",
        )
    Member.objects.create(
        household=household, full_name="Nguyễn Thị Cúc", birth_date=date(2001, 1, 1), sex="F", relation="child"
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(before) == len(after) <= 14
    assert "Nguyễn Thị Cúc" in response.content.decode()


def test_search_ignores_accents_case_and_nfd_input(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 3)
    Member.objects.create(
        household=Household.objects.get(code="13249-00001"),
        full_name="Đặng Thị Ánh",
        birth_date=date(1999, 1, 1),
        sex="F",
        relation="child",
    )
    url = reverse("households:list")
    for query in ("dang thi anh", "ĐẶNG THỊ ÁNH", "  Đặng   Thị Ánh "):
        html = client.get(url, {"q": query, "year": 2025}).content.decode()
        assert "13249-00001" in html and "13249-00002" not in html, query
    nfd = "\u0110a\u0306\u0323ng Thi\u0323 A\u0301nh"  # Đặng Thị Ánh typed in decomposed form
    html = client.get(url, {"q": nfd, "year": 2025}).content.decode()
    assert "13249-00001" in html


def test_export_keeps_filters_and_escapes_formulas(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 4)
    Household.objects.filter(code="13249-00003").update(address='=HYPERLINK("http://x")')
    response = client.get(reverse("households:export"), {"year": 2025, "klass": "poor"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert 'filename="ho-gia-dinh-2025-xa-song-an.xlsx"' in response["Content-Disposition"]
    assert [row[0] for row in rows[:3]] == ["Hộ gia đình năm 2025", "Đơn vị: Xã Song An", "Năm: 2025"]
    rows = rows[4:]  # the title block and a blank row above the header
    assert rows[0][0] == "Mã hộ"
    codes = {row[0] for row in rows[1:]}
    assert codes == {"13249-00001", "13249-00003"}
    address = next(row[4] for row in rows[1:] if row[0] == "13249-00003")
    assert address.startswith("'=")


def test_live_classification_uses_the_standard(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 1)
    household = Household.objects.get()
    url = reverse("households:review_classify", args=[household.pk, 2025])
    assert client.post(url, {"income": "1.500.000", "deprived": [1, 2]}).json()["class"] == "near_poor"
    assert client.post(url, {"income": "1.500.000", "deprived": [1, 2, 9]}).json()["class"] == "poor"
    assert client.post(url, {"income": "1.500.001", "deprived": [1, 2, 9]}).json()["class"] == "average"
    assert client.post(url, {"income": "2.250.001", "deprived": []}).json()["class"] == "none"


def test_progress_and_movement_pages_render_for_the_district(client, tree, commune_data, make_user):
    _commune, villages, _officer = commune_data
    add_households(tree, villages, 3)
    district_officer = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    client.force_login(district_officer)
    progress = client.get(reverse("households:progress"), {"year": 2025}).content.decode()
    assert "Xã Song An" in progress
    movement = client.get(reverse("households:movement"), {"year": 2025})
    assert movement.status_code == 200
    assert 'data-testid="movement-poor"' in movement.content.decode()
    xlsx = client.get(reverse("households:movement"), {"year": 2025, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_home_shows_the_officers_work(client, tree, commune_data):
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 3, year=2026)
    html = client.get(reverse("reports:home")).content.decode()
    assert 'data-testid="waiting"' in html
    assert "Phiếu nháp cần hoàn thiện và gửi" in html


def test_home_reminds_the_uploader_of_imports_waiting_for_confirmation(client, tree, commune_data, make_user):
    from imports.models import ImportJob, JobState

    commune, _villages, officer = commune_data
    vu_hoi = tree.commune("13255")
    elsewhere = make_user(Role.DISTRICT_OFFICER, tree.district("344"))  # their own job, in another commune
    for owner, unit, state in [
        (officer, commune, JobState.VALIDATED),
        (officer, commune, JobState.DONE),
        (elsewhere, vu_hoi, JobState.VALIDATED),
    ]:
        ImportJob.objects.create(
            kind="households", unit=unit, original_name="danh-sách-hộ.xlsx", requested_by=owner, state=state
        )
    client.force_login(officer)
    html = client.get(reverse("reports:home")).content.decode()
    waiting = re.search(r'data-testid="waiting">(.*?)</ul>', html, re.S).group(1)
    mine = ImportJob.objects.get(requested_by=officer, state=JobState.VALIDATED)
    assert f'href="{reverse("imports:job", args=[mine.pk])}">Tệp nhập đã kiểm tra, chờ bạn xác nhận' in waiting
    assert '<span class="badge text-bg-primary">1</span>' in waiting


def test_pages_show_a_system_step_after_the_period_locked(client, tree, commune_data):
    """Locks are recorded with no user and no text; both pages name the system and the reason in Vietnamese."""
    from households import services

    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 1)
    household = Household.objects.get()
    services.lock_closed_periods(today=date(2025, 12, 15))
    for url in (
        reverse("households:detail", args=[household.pk]),
        reverse("households:review", args=[household.pk, 2025]),
    ):
        html = client.get(url).content.decode()
        assert "hệ thống" in html
        assert "kỳ rà soát đã kết thúc" in html
        assert "period closed" not in html


def test_dates_are_typed_and_shown_day_first(client, tree, commune_data):
    """A date typed "11/03/1996" is 11 March, whatever the browser's language; the form shows it back so."""
    _commune, villages, officer = commune_data
    client.force_login(officer)
    add_households(tree, villages, 1)
    household = Household.objects.get()
    url = reverse("households:member_add", args=[household.pk])
    form = {"full_name": "Nguyễn Thị Hoà", "relation": "child", "sex": "F", "working_capacity": "full"}
    form.update(schooling="out_of_school", ethnicity="Kinh", has_health_insurance="on")
    response = client.post(url, {**form, "birth_date": "11/03/1996"})
    assert response.status_code == 302, response.content.decode()[:3000]
    member = Member.objects.get(full_name="Nguyễn Thị Hoà")
    assert member.birth_date == date(1996, 3, 11)
    page = client.get(reverse("households:member_edit", args=[household.pk, member.pk])).content.decode()
    assert 'value="11/03/1996"' in page and 'placeholder="dd/mm/yyyy"' in page

    wrong = client.post(url, {**form, "full_name": "Lê Văn Tư", "birth_date": "03/31/1996"})  # month first
    assert "Nhập một ngày hợp lệ" in wrong.content.decode()
    assert not Member.objects.filter(full_name="Lê Văn Tư").exists()
