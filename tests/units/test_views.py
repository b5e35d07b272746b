"""Unit browser pages: counts as of a date, history, empty states, pinned query counts."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from units.roles import Role


def children_table(response):
    return re.search(r'<table[^>]*data-testid="children">(.*?)</table>', response.content.decode(), re.S).group(1)


def counts(response):
    html = response.content.decode()
    return {k: int(v.replace(".", "")) for k, v in re.findall(r'data-testid="count-(\w+)">([\d.]+)<', html)}


@pytest.fixture
def dolisa(tree, make_user):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))


def test_province_page_counts_as_of_2023_and_2025(client, tree, dolisa):
    client.force_login(dolisa)
    url = reverse("units:detail", args=[tree.province.pk])
    assert counts(client.get(url, {"as_of": "2023-06-01"})) == {"district": 8, "commune": 260, "village": 0}
    assert counts(client.get(url, {"as_of": "2025-06-01"})) == {"district": 8, "commune": 242, "village": 0}


def test_unit_list_goes_straight_to_the_single_root(client, tree, dolisa):
    client.force_login(dolisa)
    response = client.get(reverse("units:list"), {"as_of": "2023-06-01"})
    assert response.status_code == 302
    assert response["Location"] == f"{tree.province.get_absolute_url()}?as_of=2023-06-01"


def test_district_page_lists_its_communes_with_old_names_for_old_dates(client, tree, dolisa):
    client.force_login(dolisa)
    url = reverse("units:detail", args=[tree.district("342").pk])  # Huyện Tiền Hải
    page_2023 = children_table(client.get(url, {"as_of": "2023-06-01"}))
    page_2025 = children_table(client.get(url, {"as_of": "2025-06-01"}))
    assert "Xã Đông Trung" in page_2023 and "Xã Đông Quí" in page_2023
    assert "Xã Đông Trung" not in page_2025 and "Xã Đông Quí" not in page_2025
    assert "Xã Đông Quang" in page_2025


def test_merged_commune_page_names_its_successor(client, tree, dolisa):
    client.force_login(dolisa)
    response = client.get(reverse("units:detail", args=[tree.commune("12556").pk]), {"as_of": "2025-06-01"})
    html = response.content.decode()
    assert 'data-testid="unit-inactive"' in html
    assert "Xã Trang Bảo Xá" in html


def test_unit_page_shows_who_changed_what(client, tree, make_user):
    admin = make_user(is_superuser=True, is_staff=True, first_name="Tuấn", last_name="Hoàng Minh")
    client.force_login(admin)
    commune = tree.commune("13249")
    response = client.post(
        reverse("admin:units_unit_change", args=[commune.pk]),
        {
            "kind": commune.kind,
            "category": commune.category,
            "name": "Xã Song An (sửa tên)",
            "short_name": "",
            "code": commune.code,
            "parent": commune.parent_id,
            "note": "",
            "former_names-TOTAL_FORMS": "0",
            "former_names-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("units:detail", args=[commune.pk])).content.decode()
    rows = re.findall(r'<tr data-testid="history-row">(.*?)</tr>', html, re.S)
    assert any("Hoàng Minh Tuấn" in row and "Xã Song An (sửa tên)" in row for row in rows)


def test_user_without_unit_gets_a_clear_page(client, make_user, tree):
    user = make_user()
    client.force_login(user)
    response = client.get(reverse("reports:home"))
    assert 'data-testid="no-unit"' in response.content.decode()
    assert "chưa được gán" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, tree):
    response = client.get(reverse("units:detail", args=[tree.province.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_message_is_vietnamese(client, make_user, tree):
    user = make_user(Role.COMMUNE_OFFICER, tree.commune("13249"))
    response = client.post(reverse("login"), {"username": user.username, "password": "sai-mat-khau"})
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_unit_page_query_count_is_constant(client, tree, dolisa, django_assert_max_num_queries):
    client.force_login(dolisa)
    client.get(reverse("units:detail", args=[tree.province.pk]))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("units:detail", args=[tree.province.pk]), {"as_of": date(2023, 6, 1)})
    assert response.status_code == 200
