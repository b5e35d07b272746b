"""Least privilege for personal data (Decree 13/2023): who opens household pages, who reads CCCDs and full dates
of birth, on pages, in exports and in the history of changes; figures stay visible to everyone in scope."""

import io
import re
import unicodedata
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.jobs import JobState as ExportState
from households import privacy, services
from households.models import Member, PovertyStandard, Review
from imports import services as import_services
from imports.models import ExportJob
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

CCCD = "034070012345"
MASKED = "034*******45"
SPOUSE_CCCD = "034185006789"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def registry(tree, make_user):
    """One household of Xã Song An with a head (CCCD, born 1 May 1970) and a spouse; a review of 2026."""
    song_an = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Thượng Hiền", parent=song_an
    )
    officer = make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan")
    household = services.create_household(
        user=officer,
        village=village,
        code="13249-00042",
        head={
            "full_name": unicodedata.normalize("NFD", "Nguyễn Thị Hường"),
            "birth_date": date(1970, 5, 1),
            "sex": "F",
            "cccd": CCCD,
        },
    )
    services.save_member(
        user=officer,
        household=household,
        full_name="Phạm Văn Đức",
        birth_date=date(1968, 11, 23),
        sex="M",
        relation="spouse",
        cccd=SPOUSE_CCCD,
    )
    Review.objects.create(
        household=household,
        year=2026,
        standard=PovertyStandard.objects.get(code="nd07-2021"),
        is_urban=False,
        income=1_000_000,
        member_count=2,
        computed_class="poor",
    )
    return {"commune": song_an, "household": household, "officer": officer}


# role -> how to find the unit it is held in
ROLE_UNITS = {
    Role.COMMUNE_OFFICER: lambda tree, r: r["commune"],
    Role.COMMUNE_LEADER: lambda tree, r: r["commune"],
    Role.DISTRICT_OFFICER: lambda tree, r: r["commune"].parent,
    Role.DOLISA_STAFF: lambda tree, r: tree.participant("Sở LĐ-TB&XH"),
    Role.EMULATION_BOARD: lambda tree, r: tree.participant("Ban TĐKT"),
    Role.UNIT_REPORTER: lambda tree, r: tree.participant("Hội LHPN tỉnh"),
    Role.ADMIN: lambda tree, r: tree.province,
}
SEES_PEOPLE = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.DISTRICT_OFFICER, Role.DOLISA_STAFF}
SEES_IDENTITY = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}


@pytest.fixture
def as_role(client, tree, registry, make_user):
    def login(role):
        user = make_user(role, ROLE_UNITS[role](tree, registry))
        client.force_login(user)
        return user

    return login


def household_pages(registry):
    pk = registry["household"].pk
    return [
        reverse("households:list"),
        reverse("households:detail", args=[pk]),
        reverse("households:review", args=[pk, 2026]),
        reverse("households:export"),
        reverse("imports:export_members"),
        reverse("imports:export_reviews"),
    ]


@pytest.mark.parametrize("role", sorted(ROLE_UNITS))
def test_household_pages_and_exports_answer_only_to_roles_that_see_people(client, registry, as_role, role):
    as_role(role)
    for url in household_pages(registry):
        response = client.get(url, {"year": 2026})
        assert response.status_code == (200 if role in SEES_PEOPLE else 404), url


@pytest.mark.parametrize("role", sorted(ROLE_UNITS))
def test_figures_stay_visible_and_the_menu_shows_households_only_to_those_who_may_open_them(
    client, registry, as_role, role
):
    as_role(role)
    for name in ("reports:home", "households:progress", "households:movement"):
        response = client.get(reverse(name), {"year": 2026})
        assert response.status_code == 200, name
    home = client.get(reverse("reports:home")).content.decode()
    assert ('data-testid="nav-households"' in home) == (role in SEES_PEOPLE)
    links_to_the_list = re.search(rf'href="{reverse("households:list")}[?"]', home)
    assert bool(links_to_the_list) == (role in SEES_PEOPLE)


@pytest.mark.parametrize("role", sorted(SEES_PEOPLE))
def test_the_household_page_shows_cccd_and_birth_date_only_to_the_commune(client, registry, as_role, role):
    as_role(role)
    page = client.get(reverse("households:detail", args=[registry["household"].pk])).content.decode()
    assert "Hường" in unicodedata.normalize("NFC", page)
    if role in SEES_IDENTITY:
        assert CCCD in page and "01/05/1970" in page
        assert MASKED not in page
    else:
        assert CCCD not in page and SPOUSE_CCCD not in page and "01/05/1970" not in page
        assert MASKED in page and "034*******89" in page
        assert ">1970<" in page and ">1968<" in page


def member_sheet(content):
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("role", sorted(SEES_PEOPLE))
def test_the_members_export_carries_cccd_and_birth_date_only_for_the_commune(client, registry, as_role, role):
    as_role(role)
    response = client.get(reverse("imports:export_members"), {"year": 2026})
    members = member_sheet(b"".join(response.streaming_content))
    by_name = {unicodedata.normalize("NFC", m["Họ và tên"]): m for m in members}
    head, spouse = by_name["Nguyễn Thị Hường"], by_name["Phạm Văn Đức"]
    if role in SEES_IDENTITY:
        assert (head["Số CCCD"], spouse["Số CCCD"]) == (CCCD, SPOUSE_CCCD)
        assert head["Ngày sinh"].date() == date(1970, 5, 1)
    else:
        assert (head["Số CCCD"], spouse["Số CCCD"]) == (MASKED, "034*******89")
        assert (head["Ngày sinh"], spouse["Ngày sinh"]) == (1970, 1968)


def test_a_background_export_masks_what_its_requester_may_not_read(
    client, registry, as_role, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_HOUSEHOLDS = 0
    as_role(Role.DOLISA_STAFF)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("imports:export_members"), {"year": 2026})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert import_services.run_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportState.DONE
    with job.file.open("rb") as handle:
        members = member_sheet(handle.read())
    assert {m["Số CCCD"] for m in members} == {MASKED, "034*******89"}


@pytest.mark.parametrize("role", [Role.EMULATION_BOARD, Role.UNIT_REPORTER, Role.ADMIN])
def test_a_background_export_is_not_offered_without_the_right_to_see_people(client, registry, as_role, role):
    as_role(role)
    response = client.get(reverse("imports:export_households"), {"year": 2026})
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_the_member_form_with_its_full_cccd_is_for_the_commune_officer_only(client, registry, as_role):
    member = registry["household"].members.get(relation="spouse")
    url = reverse("households:member_edit", args=[registry["household"].pk, member.pk])
    as_role(Role.DISTRICT_OFFICER)
    assert client.get(url).status_code == 403
    client.force_login(registry["officer"])
    assert SPOUSE_CCCD in client.get(url).content.decode()


def test_the_history_of_changes_masks_cccds_for_those_who_may_not_read_them(client, registry, as_role):
    household = registry["household"]
    member = household.members.get(relation="spouse")
    client.force_login(registry["officer"])
    response = client.post(
        reverse("households:member_edit", args=[household.pk, member.pk]),
        {
            "full_name": "Phạm Văn Đức",
            "birth_date": "24/11/1968",
            "sex": "M",
            "relation": "spouse",
            "cccd": "034168001122",
            "ethnicity": "Kinh",
            "has_health_insurance": "on",
            "working_capacity": "full",
            "schooling": "na",
            "version": member.version,
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).cccd == "034168001122"
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert SPOUSE_CCCD in page and "034168001122" in page

    as_role(Role.DISTRICT_OFFICER)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert SPOUSE_CCCD not in page and "034168001122" not in page and "1968-11-2" not in page
    assert "034*******89 → 034*******22" in page


def test_masks():
    assert privacy.mask_cccd("034070012345") == "034*******45"
    assert privacy.mask_cccd(None) is None
    assert privacy.birth_year(date(2001, 2, 3)) == privacy.birth_year("2001-02-03") == 2001
