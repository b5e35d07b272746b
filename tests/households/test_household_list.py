"""The household list: a search shows which member it found; a province's villages are offered a commune at a
time; its drop-downs are Django's <select>, written without a template per option."""

import re
from datetime import date

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.forms import QuickSelect
from households.models import Household, Member
from tests.factories import ReviewFactory
from units.roles import Role

from .conftest import make_village

URL = reverse("households:list")


def household(tree, village, code, *members):
    """A household with its 2025 review; `members` are (name, relation, birth year[, CCCD])."""
    created = Household.objects.create(province=tree.province, village=village, code=code)
    for name, relation, year, *cccd in members:
        Member.objects.create(
            household=created,
            full_name=name,
            relation=relation,
            birth_date=date(year, 3, 8),
            cccd=cccd[0] if cccd else None,
        )
    ReviewFactory(household=created, year=2025)
    return created


def rows(response):
    """{code: the "matched" line under the head, or None} of the list's rows."""
    html = response.content.decode()
    found = {}
    for row in html.split('data-testid="household-row"')[1:]:
        code = re.search(r'data-testid="household-link">([^<]+)<', row).group(1)
        matched = re.search(r'data-testid="matched-member">([^<]+)<', row)
        found[code] = matched.group(1) if matched else None
    return found


@pytest.fixture
def registry(tree, song_an):
    village = make_village(song_an, "Thôn Đông")
    household(
        tree, village, "SA-001", ("Trần Văn Nam", "head", 1970), ("Lê Thị Thu", "spouse", 1972),
        ("Nguyễn Thị Hoà", "child", 2001, "034301001234"),
    )  # fmt: skip
    household(tree, village, "SA-002", ("Phạm Thị Hoà", "head", 1980), ("Đỗ Thị Hoà", "child", 2004))
    household(
        tree, village, "SA-003", ("Hoàng Văn Tư", "head", 1975), ("Mai Thị Hoà", "grandchild", 2015),
        ("Lê Thị Hoà", "parent", 1950),
    )  # fmt: skip
    household(tree, village, "SA-004", ("Vũ Văn Bình", "head", 1966))
    return village


@pytest.mark.parametrize(
    "query",
    ["Thị Hoà", "thi hoa", "THỊ HOÀ", "Thi\u0323 Hoa\u0300", "Thi\u0323 Ho\u0300a"],
    ids=["nfc", "plain", "capitals", "nfd", "nfd-old-style-accent"],
)
def test_a_name_search_shows_the_member_it_found_under_the_head(client, officer, registry, query):
    client.force_login(officer)
    assert rows(client.get(URL, {"year": 2025, "q": query})) == {
        "SA-001": "khớp: Nguyễn Thị Hoà (con)",
        "SA-002": None,  # the head is the one found: the row shows her already
        "SA-003": "khớp: Lê Thị Hoà (bố/mẹ)",  # of two found, the eldest
    }


def test_the_member_found_comes_with_the_list_not_from_a_query_per_row(client, officer, registry):
    client.force_login(officer)
    client.get(URL, {"year": 2025})
    with CaptureQueriesContext(connection) as plain:
        client.get(URL, {"year": 2025})
    with CaptureQueriesContext(connection) as searched:
        response = client.get(URL, {"year": 2025, "q": "thi hoa"})
    assert len(searched) == len(plain)
    assert "khớp: Nguyễn Thị Hoà (con)" in response.content.decode()


def test_a_cccd_search_shows_whose_number_it_is_and_a_code_search_shows_nobody(client, officer, registry):
    client.force_login(officer)
    assert rows(client.get(URL, {"year": 2025, "q": "034301001234"})) == {"SA-001": "khớp: Nguyễn Thị Hoà (con)"}
    assert rows(client.get(URL, {"year": 2025, "q": "sa-003"})) == {"SA-003": None}


@pytest.fixture
def district(tree, song_an, vu_hoi, make_user):
    """A district officer of Huyện Vũ Thư, whose list spans many communes, and villages in two of them."""
    officer = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    villages = {
        "dong": make_village(song_an, "Thôn Đông"),
        "doai": make_village(song_an, "Thôn Đoài"),
        "thuong": make_village(vu_hoi, "Thôn Thượng"),
    }
    household(tree, villages["dong"], "SA-001", ("Trần Văn Nam", "head", 1970))
    household(tree, villages["doai"], "SA-002", ("Phạm Thị Hoà", "head", 1980))
    household(tree, villages["thuong"], "VH-001", ("Vũ Văn Bình", "head", 1966))
    return officer, villages


def village_options(response):
    html = response.content.decode()
    select = re.search(r'<select[^>]*name="village"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select)


def test_with_many_communes_the_villages_offered_are_the_chosen_communes(client, district, song_an, vu_hoi):
    officer, villages = district
    client.force_login(officer)
    response = client.get(URL, {"year": 2025})
    assert village_options(response) == [("", " selected", "Tất cả")]
    assert "Chọn xã rồi bấm Tìm để chọn một thôn của xã đó." in response.content.decode()
    assert set(rows(response)) == {"SA-001", "SA-002", "VH-001"}

    response = client.get(URL, {"year": 2025, "commune": song_an.pk})
    assert village_options(response) == [
        ("", " selected", "Tất cả"),
        (str(villages["doai"].pk), "", "Thôn Đoài"),
        (str(villages["dong"].pk), "", "Thôn Đông"),
    ]
    assert set(rows(response)) == {"SA-001", "SA-002"}

    response = client.get(URL, {"year": 2025, "village": villages["thuong"].pk})  # a link naming a village alone
    assert village_options(response) == [("", "", "Tất cả"), (str(villages["thuong"].pk), " selected", "Thôn Thượng")]
    assert set(rows(response)) == {"VH-001"}

    response = client.get(URL, {"year": 2025, "commune": song_an.pk, "village": villages["thuong"].pk})
    assert set(rows(response)) == {"SA-001", "SA-002"}, "the commune was changed: another commune's village goes"


def test_a_district_list_makes_a_constant_number_of_queries(client, tree, district, song_an):
    officer, villages = district
    client.force_login(officer)
    client.get(URL, {"year": 2025})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": 2025, "commune": song_an.pk})
    for n in range(60):
        household(tree, villages[("dong", "doai", "thuong")[n % 3]], f"X-{n:03d}", (f"Nguyễn Văn Ân {n}", "head", 1970))
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"year": 2025, "commune": song_an.pk})
    assert len(few) == len(many) <= 10


@pytest.mark.parametrize(
    "value, attrs",
    [(None, {}), ("2", {"id": "id_village", "class": "form-select"}), (["3"], {"required": True, "disabled": False})],
)
def test_the_quick_select_is_djangos_select(value, attrs):
    choices = [("", "Tất cả"), (1, 'Thôn "Đông" <1>'), (2, "Thôn Đoài & Nam"), ("3", "Xóm 3")]
    quick = QuickSelect(choices=choices).render("village", value, attrs)
    django = forms.Select(choices=choices).render("village", value, attrs)
    assert parse_html(quick) == parse_html(django)
