"""A household's page lists its family awards (the awards app's section on the household page)."""

import pytest
from django.urls import reverse

from tests.awards.registry_fixtures import build_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(tree, movement, make_user):
    return build_registry(tree, movement, make_user)


def test_the_household_page_shows_its_family_award(client, reg):
    client.force_login(reg.users["song_an"])
    response = client.get(reverse("households:detail", args=[reg.household.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Khen thưởng của gia đình" in page
    assert page.count('data-testid="household-award-row"') == 1
    assert "Bằng khen của Chủ tịch UBND tỉnh (hộ gia đình)" in page
    assert "Số 1234/QĐ-UBND ngày 15/08/2025" in page
    assert "5.270.000 đ" in page


def test_a_household_never_awarded_has_no_award_section(client, reg):
    reg.awards["Hộ ông Trần Văn Bình"].delete()
    client.force_login(reg.users["song_an"])
    page = client.get(reverse("households:detail", args=[reg.household.pk])).content.decode()
    assert 'data-testid="household-awards"' not in page
