"""The award registry's list: accent-blind name search (typed without accents, decomposed, upper case), exact
citizen ID, filters, scope by the award's unit, masked IDs, the Excel export and a pinned query count."""

import io
import re
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Award, NomineeKind
from awards.registry import selectors
from tests.awards.registry_fixtures import award, build_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(tree, movement, make_user):
    return build_registry(tree, movement, make_user)


def names(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    return sorted(award.name for award in response.context["page"].object_list)


def search(client, user, **params):
    client.force_login(user)
    return client.get(reverse("awards:registry"), params)


@pytest.mark.parametrize(
    "typed",
    [
        "nguyen van an",
        "NGUYỄN VĂN AN",
        unicodedata.normalize("NFD", "Nguyễn Văn Ân"),
        "  nguyen   van  an ",
    ],
)
def test_a_name_is_found_whatever_the_accents_case_or_spacing(client, reg, typed):
    found = names(search(client, reg.users["dolisa"], q=typed))
    assert found == ["Nguyễn Văn An", "Nguyễn Văn Ân"]


def test_part_of_a_name_finds_every_name_containing_it(client, reg):
    assert names(search(client, reg.users["dolisa"], q="thi")) == ["Hộ bà Lê Thị Mận", "Lê Thị Hoa", "Đặng Thị Ánh"]
    assert names(search(client, reg.users["dolisa"], q="dang thi anh")) == ["Đặng Thị Ánh"]


def test_a_citizen_id_finds_exactly_that_person(client, reg):
    assert names(search(client, reg.users["dolisa"], q="034080001234")) == ["Nguyễn Văn An"]
    assert names(search(client, reg.users["dolisa"], q="034 080 001 234")) == ["Nguyễn Văn An"]
    assert names(search(client, reg.users["dolisa"], q="０３４０８０００１２３４")) == ["Nguyễn Văn An"]
    assert names(search(client, reg.users["dolisa"], q="034080001235")) == []


def test_a_citizen_id_of_the_wrong_length_is_refused_in_vietnamese(client, reg):
    client.force_login(reg.users["dolisa"])
    response = client.get(reverse("awards:registry"), {"q": "03408000123"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số." in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_the_filters_narrow_the_list(client, reg):
    dolisa = reg.users["dolisa"]
    vu_thu = reg.song_an.parent
    assert names(search(client, dolisa, unit=vu_thu.pk)) == [
        "Hộ ông Trần Văn Bình",
        "Nguyễn Văn An",
        "Xã Song An",
    ]
    assert names(search(client, dolisa, unit=reg.an_khe.pk, kind=NomineeKind.FAMILY)) == ["Hộ bà Lê Thị Mận"]
    assert names(search(client, dolisa, year=2024, kind=NomineeKind.COLLECTIVE)) == ["Xã An Khê"]
    ad_hoc = reg.decisions[1].occasion
    assert names(search(client, dolisa, occasion=ad_hoc.pk)) == ["Đặng Thị Ánh"]
    assert names(search(client, dolisa, signed_from="01/01/2025", signed_to="31/03/2025")) == ["Đặng Thị Ánh"]
    assert names(search(client, dolisa, q="nguyen van an", unit=reg.an_khe.parent.pk)) == ["Nguyễn Văn Ân"]


def test_a_period_that_ends_before_it_starts_is_refused(client, reg):
    client.force_login(reg.users["dolisa"])
    response = client.get(
        reverse("awards:registry"), {"signed_from": "01/02/2025", "signed_to": "01/01/2025"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert "Ngày đầu của khoảng thời gian sau ngày cuối" in response.content.decode()


def test_a_district_sees_only_the_awards_of_its_units(client, reg):
    assert names(search(client, reg.users["vu_thu"])) == ["Hộ ông Trần Văn Bình", "Nguyễn Văn An", "Xã Song An"]
    assert names(search(client, reg.users["quynh_phu"], q="nguyen van an")) == ["Nguyễn Văn Ân"]
    assert names(search(client, reg.users["quynh_phu"], q="034080001234")) == []
    # Another district's unit is not a choice of the filter.
    response = search(client, reg.users["quynh_phu"], unit=reg.song_an.pk)
    assert response.status_code == 400


def test_an_award_out_of_scope_answers_404(client, reg):
    other = reg.awards["Nguyễn Văn An"]
    client.force_login(reg.users["quynh_phu"])
    assert client.get(reverse("awards:registry_award", args=[other.pk])).status_code == 404
    client.force_login(reg.users["vu_thu"])
    response = client.get(reverse("awards:registry_award", args=[other.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1234/QĐ-UBND" in page and "15/08/2025" in page and "3.510.000 đ" in page


def cccd_cells(response):
    return re.findall(r'data-testid="(?:registry|award)-cccd">([^<]*)<', response.content.decode())


def test_the_citizen_id_is_shown_only_with_identity_rights(client, reg):
    an = reg.awards["Nguyễn Văn An"]
    assert cccd_cells(search(client, reg.users["dolisa"], q="nguyen van an")) == ["034*******34", "034*******76"]
    assert cccd_cells(client.get(reverse("awards:registry_award", args=[an.pk]))) == ["034*******34"]
    assert cccd_cells(search(client, reg.users["song_an"], q="nguyen van an")) == ["034080001234"]
    assert cccd_cells(client.get(reverse("awards:registry_award", args=[an.pk]))) == ["034080001234"]


def test_the_list_page_makes_a_fixed_number_of_queries(client, reg, django_assert_num_queries):
    client.force_login(reg.users["dolisa"])
    url = reverse("awards:registry")
    params = {"q": "nguyen", "kind": NomineeKind.INDIVIDUAL}
    client.get(url, params)
    with django_assert_num_queries(8):
        few = client.get(url, params)
    Award.objects.bulk_create(
        award(reg.decisions[2], name=f"Nguyễn Văn Hùng {n}", unit=reg.an_khe, birth_year=1970 + n) for n in range(40)
    )
    with django_assert_num_queries(8):
        many = client.get(url, params)
    assert len(few.context["page"].object_list) == 2
    assert len(many.context["page"].object_list) == 42


def rows_of(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_export_holds_the_filtered_rows_with_masked_ids_and_escaped_formulas(client, reg):
    client.force_login(reg.users["dolisa"])
    response = client.get(reverse("awards:registry_export"), {"unit": reg.an_khe.pk}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="so-khen-thuong-')
    rows = rows_of(response)
    header_at = next(n for n, row in enumerate(rows) if row and row[0] == "Người, tập thể được khen")
    data = rows[header_at + 1 :]
    assert sorted(row[0] for row in data) == [
        "'=Phạm Văn Công",
        "Hộ bà Lê Thị Mận",
        "Lê Thị Hoa",
        "Nguyễn Văn Ân",
        "Xã An Khê",
    ]
    an = next(row for row in data if row[0] == "Nguyễn Văn Ân")
    assert an[1] == 1975 and an[3] == "034*******76" and an[12] == "987/QĐ-UBND" and an[14] == 3_510_000


def test_the_selector_search_condition_is_exact_for_ids_and_folded_for_names():
    assert str(selectors.search_condition("034080001234")) == str(selectors.search_condition(" 034.080.001.234 "))
    assert "nguyen van an" in str(selectors.search_condition("NGUYỄN  VĂN ÂN"))
