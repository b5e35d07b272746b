"""The progress page of a district and of DOLISA: communes grouped by district with subtotals and a total,
% complete, sorting, a district chooser, and the table as an Excel report."""

import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from households import selectors
from households.models import Household, Member, ReviewState
from tests.factories import ReviewFactory
from units.roles import Role

from .conftest import make_village

S = ReviewState
# commune code: states of its 2025 reviews ("" = not started); Vũ Thư (344) has two communes, Tiền Hải (342) one.
COMMUNES = {
    "13249": [S.RECOGNISED, S.RECOGNISED, S.SUBMITTED, ""],  # Xã Song An: 2 of 4 done
    "13255": [S.RECOGNISED, S.DRAFT, S.DRAFT, S.RETURNED, "", ""],  # Xã Vũ Hội: 1 of 6 done
    "12976": [S.RECOGNISED, S.LOCKED, S.SUBMITTED],  # Tiền Hải: 2 of 3 done (the locked one was recognised)
}


@pytest.fixture
def progress_data(tree):
    n = 0
    for code, states in COMMUNES.items():
        village = make_village(tree.commune(code), "Thôn Đông Hải")
        for state in states:
            n += 1
            household = Household.objects.create(province=tree.province, village=village, code=f"{code}-{n:05d}")
            Member.objects.create(household=household, full_name="Đặng Thị Ánh", birth_date=date(1966, 1, 1))
            if state:
                done = state in (S.RECOGNISED, S.LOCKED)
                ReviewFactory(household=household, year=2025, state=state, recognised_class="poor" if done else "")
    return tree


@pytest.fixture
def dolisa(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), last_name="Vũ Đức", first_name="Hạnh")


def names(rows):
    return [unit.name_then for unit, _figures in rows]


def test_communes_are_grouped_by_district_with_subtotals_and_a_total(progress_data, dolisa):
    tree = progress_data
    table = selectors.review_progress(dolisa, year=2025, unit=tree.province)
    assert [group.unit.code for group in table.groups] == ["342", "344"]  # Huyện Tiền Hải, Huyện Vũ Thư
    tien_hai, vu_thu = table.groups
    assert names(vu_thu.rows) == ["Xã Song An", "Xã Vũ Hội"]
    assert (vu_thu.subtotal["households"], vu_thu.subtotal["with_result"], vu_thu.subtotal["waiting"]) == (10, 3, 7)
    assert vu_thu.subtotal["done"] == 30.0
    assert tien_hai.subtotal["done"] == pytest.approx(66.7)
    total = table.total
    assert (total["households"], total["with_result"], total["not_started"], total["draft"]) == (13, 5, 3, 2)
    assert total["done"] == pytest.approx(38.5)


@pytest.mark.parametrize(
    "sort, districts, vu_thu",
    [
        ("name", ["342", "344"], ["Xã Song An", "Xã Vũ Hội"]),
        ("done", ["344", "342"], ["Xã Vũ Hội", "Xã Song An"]),  # least complete first
        ("waiting", ["344", "342"], ["Xã Vũ Hội", "Xã Song An"]),  # most households waiting first
    ],
)
def test_the_table_sorts(progress_data, dolisa, sort, districts, vu_thu):
    table = selectors.review_progress(dolisa, year=2025, unit=progress_data.province, sort=sort)
    assert [group.unit.code for group in table.groups] == districts
    assert names(next(g for g in table.groups if g.unit.code == "344").rows) == vu_thu


def test_dolisa_chooses_a_district_and_sees_its_communes(client, progress_data, dolisa):
    tree = progress_data
    client.force_login(dolisa)
    html = client.get(reverse("households:progress"), {"year": 2025}).content.decode()
    assert 'data-testid="district-chooser"' in html
    assert html.count('data-testid="progress-district"') == 2
    assert re.search(r'data-testid="progress-total">.*?38[.,]5', html, re.S)
    html = client.get(
        reverse("households:progress"), {"year": 2025, "unit": tree.district("344").pk, "sort": "waiting"}
    ).content.decode()
    rows = re.findall(r'data-testid="progress-row">\s*<td[^>]*><a[^>]*>([^<]+)<', html)
    assert rows == ["Xã Vũ Hội", "Xã Song An"]
    assert "Tiền Hải" not in html.split('data-testid="progress"')[1]


def test_a_district_officer_has_no_chooser_and_sees_only_the_district(client, progress_data, make_user):
    client.force_login(make_user(Role.DISTRICT_OFFICER, progress_data.district("344")))
    html = client.get(reverse("households:progress"), {"year": 2025}).content.decode()
    assert 'data-testid="district-chooser"' not in html
    rows = re.findall(r'data-testid="progress-row">\s*<td[^>]*><a[^>]*>([^<]+)<', html)
    assert rows == ["Xã Song An", "Xã Vũ Hội"]


def test_the_progress_export_is_a_report(client, progress_data, dolisa):
    client.force_login(dolisa)
    response = client.get(reverse("households:progress"), {"year": 2025, "format": "xlsx"})
    assert unquote(response["Content-Disposition"]).endswith('filename="tien-do-ra-soat-2025-tinh-thai-binh.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "Tiến độ rà soát hộ nghèo, hộ cận nghèo năm 2025"
    assert rows[1][0] == "Đơn vị: Tỉnh Thái Bình"
    assert rows[2][0] == "Năm: 2025"
    assert rows[3] == (None,) * len(rows[3])
    assert rows[4][:3] == ("Huyện", "Xã", "Hộ gia đình") and rows[4][-1] == "Tỷ lệ hoàn thành (%)"
    assert rows[5][0] == "Tổng cộng" and rows[5][2] == 13
    assert [row[:3] for row in rows[6:9]] == [
        ("Huyện Tiền Hải", "Cộng các xã", 3),
        ("Huyện Tiền Hải", "Xã Đông Trà", 3),
        ("Huyện Vũ Thư", "Cộng các xã", 10),
    ]
