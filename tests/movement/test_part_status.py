"""Milestone status: per level, who filed on time, late or not at all (counted in SQL), drill-down by district for
communes, the completeness partial for the dashboard, and who may see it."""

import re
from datetime import date

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from deadlines import services as deadline_services
from movement.models import Milestone
from movement.selectors import participation as selectors
from movement.services import participation as services
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role

from .part_files import vn

PLAN_DUE = date(2022, 9, 30)


@pytest.fixture
def filed(movement, tree, make_user):
    """Xã Song An delivers its plan late and registers; Xã Vũ Hội delivers on time; DOLISA on time."""
    deadline = selectors.plan_milestone(movement).deadline
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    dolisa = tree.participant("Sở LĐ-TB&XH")
    deadline_services.deliver(deadline=deadline, unit=song_an, at=vn(2022, 10, 3))
    deadline_services.deliver(deadline=deadline, unit=vu_hoi, at=vn(2022, 9, 30, 23, 59, 59))
    deadline_services.deliver(deadline=deadline, unit=dolisa, at=vn(2022, 9, 12))
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    services.register(user=officer, movement=movement, unit=song_an, commitments="Giúp 5 hộ thoát nghèo")
    return song_an, vu_hoi, dolisa


def _in_force(kinds, under=None):
    units = Unit.objects.active_on(PLAN_DUE).filter(kind__in=kinds)
    return (units.filter(path__startswith=under.path) if under else units).count()


def test_completeness_counts_each_level_of_the_province(movement, tree, filed):
    status = selectors.completeness(movement, tree.province)
    levels = {row.level.key: row.counts for row in status.levels}
    assert list(levels) == ["organisations", "districts", "communes", "enterprises"]
    communes = levels["communes"]
    assert communes.expected == _in_force([UnitKind.COMMUNE]) > 200
    assert (communes.registered, communes.on_time, communes.late) == (1, 1, 1)
    assert communes.missing == communes.expected - 2
    organisations = levels["organisations"]
    assert organisations.expected == _in_force([UnitKind.DEPARTMENT, UnitKind.FRONT, UnitKind.MASS_ORG])
    assert (organisations.on_time, organisations.late) == (1, 0)
    assert levels["districts"].expected == _in_force([UnitKind.DISTRICT]) == 8
    assert levels["enterprises"].expected == _in_force([UnitKind.BANK, UnitKind.ENTERPRISE, UnitKind.COOPERATIVE])
    assert status.total.expected == sum(c.expected for c in levels.values())
    assert status.total.late == 1 and status.total.on_time == 2

    district = tree.district("344")
    inside = {row.level.key: row.counts for row in selectors.completeness(movement, district).levels}
    assert list(inside) == ["districts", "communes"]
    assert inside["communes"].expected == _in_force([UnitKind.COMMUNE], under=district)
    assert (inside["communes"].on_time, inside["communes"].late, inside["districts"].missing) == (1, 1, 1)


def test_the_completeness_partial_renders_on_its_own(movement, tree, filed):
    html = render_to_string(
        "movement/dashboard/_completeness.html", {"completeness": selectors.completeness(movement, tree.province)}
    )
    row = re.search(r'data-testid="completeness-communes">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="text-end">(\d+)</td>', row)
    expected = _in_force([UnitKind.COMMUNE])
    assert cells == [str(expected), "1", "1", "1", str(expected - 2)]
    assert "Đăng ký thi đua và kế hoạch thực hiện" in html and "30/09/2022" in html
    assert render_to_string("movement/dashboard/_completeness.html", {"completeness": None}).strip() == ""


def test_dolisa_reads_the_province_then_drills_into_a_district(
    client, movement, tree, filed, make_user, django_assert_max_num_queries
):
    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    url = reverse("movement:milestones")
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    district = tree.district("344")
    row = re.search(rf'unit={district.pk}&amp;milestone=\d+" data-testid="district-link">(.*?)</tr>', html, re.S)
    assert row is not None
    assert re.findall(r'<td class="text-end">(\d+)</td>', row.group(1)) == [
        str(_in_force([UnitKind.COMMUNE], under=district)),
        "1",
        "1",
        "1",
        str(_in_force([UnitKind.COMMUNE], under=district) - 2),
    ]
    # Communes are counted by district at the province level, not listed one by one.
    assert "Xã Song An" not in html
    assert re.search(r'data-unit="\d+"><td>Sở Lao động - Thương binh và Xã hội</td>.*?đúng hạn', html, re.S)

    milestone = selectors.plan_milestone(movement)
    with django_assert_max_num_queries(14):
        html = client.get(url, {"unit": district.pk, "milestone": milestone.pk}).content.decode()
    statuses = dict(
        re.findall(
            r'data-testid="status-unit" data-unit="\d+"><td>([^<]+)</td>.*?data-testid="unit-status">([^<]+)<',
            html,
            re.S,
        )
    )
    assert statuses.pop("Huyện Vũ Thư") == "chưa nộp"
    assert statuses["Xã Song An"] == "nộp muộn"
    assert statuses["Xã Vũ Hội"] == "đúng hạn"
    assert set(statuses.values()) == {"nộp muộn", "đúng hạn", "chưa nộp"}
    assert len(statuses) == _in_force([UnitKind.COMMUNE], under=district)


def test_another_milestone_is_shown_by_its_own_deliveries(client, movement, tree, filed, make_user):
    report = Milestone.objects.get(movement=movement, key="unit-report-2022")
    deadline_services.deliver(deadline=report.deadline, unit=tree.commune("13249"), at=vn(2022, 11, 21, 0, 0, 0))
    status = selectors.milestone_status(report, tree.district("344"))
    communes = next(row for row in status.levels if row.level.key == "communes")
    assert (communes.counts.on_time, communes.counts.late) == (0, 1)
    client.force_login(make_user(Role.EMULATION_BOARD, tree.participant("Sở LĐ-TB&XH")))
    html = client.get(reverse("movement:milestones"), {"milestone": report.pk}).content.decode()
    assert "Báo cáo kết quả thực hiện Phong trào thi đua năm 2022" in html
    assert 'data-testid="status-communes"' in html


def test_who_may_follow_the_milestones(client, movement, tree, filed, make_user):
    url = reverse("movement:milestones")
    province, vu_thu, other = tree.province, tree.district("344"), tree.district("343")
    dolisa = tree.participant("Sở LĐ-TB&XH")
    cases = [
        (make_user(Role.DOLISA_STAFF, dolisa), {province: 200, vu_thu: 200}),
        (make_user(Role.EMULATION_BOARD, dolisa), {province: 200, vu_thu: 200}),
        (make_user(Role.DISTRICT_OFFICER, vu_thu), {vu_thu: 200, province: 404, other: 404}),
        (make_user(Role.COMMUNE_OFFICER, tree.commune("13249")), {province: 404, vu_thu: 404}),
        (make_user(Role.UNIT_REPORTER, tree.participant("NHCSXH Thái Bình")), {province: 404, vu_thu: 404}),
        (make_user(Role.ADMIN, dolisa), {province: 404}),
    ]
    for user, expected in cases:
        client.force_login(user)
        for unit, code in expected.items():
            assert client.get(url, {"unit": unit.pk}).status_code == code, (user, unit)
    client.force_login(cases[2][0])
    html = client.get(url).content.decode()
    assert "Tiến độ thực hiện các mốc — Huyện Vũ Thư" in html
    assert 'data-testid="nav-milestones"' in html
    client.force_login(cases[3][0])
    assert client.get(url).status_code == 404
    assert 'data-testid="nav-milestones"' not in client.get(reverse("reports:home")).content.decode()


def test_the_milestone_page_refuses_an_unknown_milestone(client, movement, tree, make_user):
    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    assert client.get(reverse("movement:milestones"), {"milestone": "999999"}).status_code == 404
    assert client.get(reverse("movement:milestones"), {"milestone": "１"}).status_code == 404


@pytest.mark.parametrize("day", [vn(2022, 10, 5), vn(2026, 3, 1)])
def test_the_page_follows_the_movement_of_the_day(client, movement, tree, make_user, day):
    user = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    with time_machine.travel(day, tick=False):
        client.force_login(user)
        html = client.get(reverse("movement:milestones")).content.decode()
    assert "Vì người nghèo" in html and "Kế hoạch tổ chức thực hiện Phong trào thi đua của các đơn vị" in html
