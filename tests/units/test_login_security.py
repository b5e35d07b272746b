"""Signing in: the lockout counts an account per address (its owner still signs in from elsewhere) and an address
that sprays passwords over many accounts; a session ends after a working day without activity."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from units.lockout import forwarded_address
from units.roles import Role

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = "203.113.130.7"  # a commune office behind one address
HOME = "113.160.22.91"
SPRAYER = "45.77.10.3"


@pytest.fixture
def officer(tree, make_user):
    return make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", last_name="Trịnh Thị")


def sign_in(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_from_that_address_only(client, officer):
    for _attempt in range(5):
        sign_in(client, officer.username, "Sai-mật-khẩu", SPRAYER)
    assert sign_in(client, officer.username, PASSWORD, SPRAYER).status_code == 429
    assert sign_in(client, officer.username, PASSWORD, HOME).status_code == 302


def test_an_address_that_sprays_passwords_over_many_accounts_is_locked(client, tree, make_user, officer):
    for n in range(20):
        sign_in(client, f"nguoi.dung.{n}", "123456789a", SPRAYER)
    assert sign_in(client, officer.username, PASSWORD, SPRAYER).status_code == 429
    assert sign_in(client, officer.username, PASSWORD, OFFICE).status_code == 302


def test_an_office_sharing_one_address_is_not_locked_by_a_few_typos(client, tree, make_user, officer):
    colleagues = [make_user(Role.COMMUNE_LEADER, tree.commune("13249"), username=f"lanhdao.{n}") for n in range(4)]
    for user in [*colleagues, officer]:
        for _typo in range(3):
            sign_in(client, user.username, "Mật-khẩu-gõ-nhầm", OFFICE)
    assert sign_in(client, officer.username, PASSWORD, OFFICE).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, " + HOME)
    assert forwarded_address(request) == HOME
    assert forwarded_address(RequestFactory().post("/", REMOTE_ADDR=OFFICE)) == OFFICE


MORNING = datetime(2026, 10, 5, 7, 30, tzinfo=HANOI)


def test_a_session_ends_after_a_working_day_without_activity(client, officer):
    with time_machine.travel(MORNING, tick=False) as traveller:
        assert sign_in(client, officer.username, PASSWORD, OFFICE).status_code == 302
        assert client.get(reverse("reports:home")).status_code == 200
        traveller.move_to(MORNING + timedelta(hours=10, minutes=5))
        response = client.get(reverse("reports:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client, officer):
    with time_machine.travel(MORNING, tick=False) as traveller:
        sign_in(client, officer.username, PASSWORD, OFFICE)
        for hours in (6, 12, 18, 24):
            traveller.move_to(MORNING + timedelta(hours=hours))
            assert client.get(reverse("reports:home")).status_code == 200, hours


def test_a_page_view_does_not_write_the_session_every_time(client, officer):
    with time_machine.travel(MORNING, tick=False) as traveller:
        sign_in(client, officer.username, PASSWORD, OFFICE)
        client.get(reverse("reports:home"))
        traveller.move_to(MORNING + timedelta(minutes=2))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:home"))
        assert not [q for q in queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
        traveller.move_to(MORNING + timedelta(minutes=7))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:home"))
        assert [q for q in queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
