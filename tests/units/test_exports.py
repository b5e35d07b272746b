"""The unit page's Excel export: the subtree in force on the as-of date, with names then, scoped like the page."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role


def export(client, unit, as_of=None):
    """The sheet's rows from its header on (a title block of two lines and a blank row comes first)."""
    response = client.get(reverse("units:export", args=[unit.pk]), {"as_of": as_of} if as_of else {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    return rows[3:]


def test_the_export_is_a_report_named_after_its_unit(client, make_user, song_an):
    client.force_login(make_user(Role.COMMUNE_OFFICER, song_an))
    response = client.get(reverse("units:export", args=[song_an.pk]), {"as_of": "2023-06-01"})
    assert 'filename="don-vi-xa-song-an-20230601.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[:3]] == ["Đơn vị hành chính của Xã Song An", "Tính đến ngày 01/06/2023", None]
    assert rows[3][:3] == ("Loại đơn vị", "Loại", "Tên")


@pytest.fixture
def song_an(tree):
    commune = tree.commune("13249")
    for name in ("Thôn 1", '=HYPERLINK("http://x")'):
        Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)
    return commune


def test_the_unit_page_links_to_its_export(client, make_user, song_an):
    client.force_login(make_user(Role.COMMUNE_OFFICER, song_an))
    page = client.get(reverse("units:detail", args=[song_an.pk]), {"as_of": "2025-01-01"}).content.decode()
    assert f"{reverse('units:export', args=[song_an.pk])}?as_of=2025-01-01" in page
    assert "Xuất Excel" in page


def test_a_commune_exports_itself_and_its_villages_with_formulas_escaped(client, make_user, song_an):
    client.force_login(make_user(Role.COMMUNE_OFFICER, song_an))
    rows = export(client, song_an)
    assert rows[0] == (
        "Loại đơn vị", "Loại", "Tên", "Mã", "Đơn vị cấp trên", "Thành thị/nông thôn", "Hiệu lực từ", "Hiệu lực đến",
        "Đơn vị kế thừa",
    )  # fmt: skip
    assert rows[1][:6] == ("Xã", "Xã", "Xã Song An", "13249", "Huyện Vũ Thư", "nông thôn")
    villages = {row[2]: row for row in rows[2:]}
    assert villages["Thôn 1"][:6] == ("Thôn", "Thôn", "Thôn 1", None, "Xã Song An", "nông thôn")
    assert '\'=HYPERLINK("http://x")' in villages


def test_a_district_as_of_2023_has_its_communes_with_their_names_then(client, make_user, tree):
    district = tree.district("344")  # Huyện Vũ Thư
    client.force_login(make_user(Role.DISTRICT_OFFICER, district))
    with CaptureQueriesContext(connection) as queries:
        rows_2023 = export(client, district, "2023-06-01")
    assert len(queries) < 15, "one query for the rows, whatever their number"
    assert (rows_2023[[r[3] for r in rows_2023].index("13192")][1:6]) == (
        "Thị trấn",
        "Thị trấn Vũ Thư",
        "13192",
        "Huyện Vũ Thư",
        "thành thị",
    )
    communes_2023 = [r for r in rows_2023[1:] if r[0] == "Xã"]
    communes_2025 = [r for r in export(client, district, "2025-06-01")[1:] if r[0] == "Xã"]
    assert (
        len(communes_2023)
        == Unit.objects.active_on(date(2023, 6, 1)).filter(kind=UnitKind.COMMUNE, parent=district).count()
    )
    assert (
        len(communes_2025)
        == Unit.objects.active_on(date(2025, 6, 1)).filter(kind=UnitKind.COMMUNE, parent=district).count()
    )


def test_merged_and_renamed_communes_as_of_before_the_merger(client, make_user, tree):
    province_admin = make_user(Role.ADMIN, tree.province)
    client.force_login(province_admin)
    quynh_bao = tree.commune("12556")
    rows = export(client, quynh_bao.parent, "2024-06-01")
    row = next(r for r in rows if r[3] == "12556")
    assert row[2] == "Xã Quỳnh Bảo" and row[7].date() == quynh_bao.valid_to and row[8] == "Xã Trang Bảo Xá"
    dong_trung = tree.commune("12997")
    rows = export(client, dong_trung, "2023-06-01")
    assert rows[1][2] == "Xã Đông Trung", "the name in force on the as-of date"
    assert all(r[3] != "12556" for r in export(client, quynh_bao.parent, "2025-06-01")), "not in force any more"


def test_another_communes_unit_cannot_be_exported(client, make_user, tree, song_an):
    client.force_login(make_user(Role.COMMUNE_OFFICER, tree.commune("13255")))
    assert client.get(reverse("units:export", args=[song_an.pk])).status_code == 404
