"""Who sees support: a giver sees what it gave and the households it supported (code, head, village), never the
registry; the recipients' commune, district and DOLISA see what households in their area received."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from movement.models import SupportKind
from movement.selectors import ledger as selectors
from movement.services import ledger as services
from tests.movement.ledger import HEAD, Ledger
from units.roles import Role


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2025-06-30 10:00 +0700", tick=False):
        yield


@pytest.fixture
def ledger(movement, tree, make_user):
    ledger = Ledger(tree, make_user)
    ledger.loan = services.record_support(
        user=ledger.banker,
        giver=ledger.bank,
        kind=SupportKind.LOAN,
        value=50_000_000,
        given_on=date(2025, 3, 15),
        household_code="13249-00017",
    )
    ledger.card = services.record_support(
        user=ledger.women_reporter,
        giver=ledger.women,
        kind=SupportKind.HEALTH_INSURANCE,
        value=0,
        given_on=date(2025, 2, 1),
        household_code="13255-00001",
        donor="Công ty TNHH Một thành viên Thương mại Dịch vụ Hồng Hà",
    )
    return ledger


def test_givers_see_only_what_they_gave(ledger):
    assert list(selectors.support_rows(ledger.banker)) == [ledger.loan]
    assert list(selectors.support_rows(ledger.women_reporter)) == [ledger.card]


def test_communes_see_what_their_households_received(ledger, tree, make_user):
    assert list(selectors.support_rows(ledger.officer)) == [ledger.loan]
    assert list(selectors.support_rows(ledger.other_officer)) == [ledger.card]
    district = make_user(Role.DISTRICT_OFFICER, tree.district("344"))  # Vũ Thư holds both communes
    assert set(selectors.support_rows(district)) == {ledger.loan, ledger.card}
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    assert set(selectors.support_rows(dolisa)) == {ledger.loan, ledger.card}
    board = make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"))
    assert not selectors.support_rows(board).exists()


def test_the_bank_never_opens_the_registry(client, ledger):
    client.force_login(ledger.banker)
    assert client.get(reverse("households:list")).status_code == 404
    assert client.get(reverse("households:detail", args=[ledger.first.pk])).status_code == 404
    assert client.get(reverse("households:detail", args=[ledger.third.pk])).status_code == 404


def test_the_bank_sees_the_household_it_supported_on_its_ledger(client, ledger):
    client.force_login(ledger.banker)
    page = client.get(reverse("movement:support")).content.decode()
    assert "13249-00017" in page and HEAD in page  # typed in NFD, stored and shown in NFC
    assert "Thôn Đông Hồ" in page
    assert "13249-00018" not in page  # never supported by the bank: not shown
    assert "13255-00001" not in page and "Hồng Hà" not in page  # the Women's Union's row
    assert reverse("households:detail", args=[ledger.first.pk]) not in page


def test_the_commune_officer_sees_the_support_on_the_household_page(client, ledger, django_assert_max_num_queries):
    client.force_login(ledger.officer)
    url = reverse("households:detail", args=[ledger.first.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    page = response.content.decode()
    assert 'data-testid="household-support-row"' in page
    assert "NHCSXH Thái Bình" in page and "50.000.000 đ" in page


def test_the_ledger_page_does_not_grow_with_its_rows(client, ledger, django_assert_max_num_queries):
    for day in range(1, 30):
        services.record_support(
            user=ledger.banker,
            giver=ledger.bank,
            kind=SupportKind.CASH,
            value=1_000_000 + day,
            given_on=date(2025, 4, day),
            household_code="13249-00018",
        )
    client.force_login(ledger.banker)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("movement:support"))
    assert response.content.decode().count('data-testid="support-row"') == 30


def test_the_form_refuses_a_bad_code_and_a_negative_value_in_vietnamese(client, ledger):
    client.force_login(ledger.banker)
    data = {
        "giver": ledger.bank.pk,
        "recipient": "household",
        "household_code": " 13249 - 99999 ",
        "kind": "loan",
        "value": "30.000.000",
        "given_on": "2025-05-01",
    }
    page = client.post(reverse("movement:support_new"), data, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Mã hộ 13249-99999 không phải là hộ có thể nhận hỗ trợ" in page
    page = client.post(
        reverse("movement:support_new"),
        {**data, "household_code": "13249-00018", "value": "-30.000.000"},
        HTTP_ACCEPT_LANGUAGE="vi",
    ).content.decode()
    assert "Giá trị hỗ trợ không thể âm" in page
    assert HEAD not in page and "Trần Văn Đức Thịnh" not in page  # no name before the row is saved
    assert selectors.support_rows(ledger.banker).count() == 1


def test_another_giver_cannot_record_for_the_bank(client, ledger):
    client.force_login(ledger.women_reporter)
    data = {
        "giver": ledger.bank.pk,
        "recipient": "household",
        "household_code": "13249-00018",
        "kind": "cash",
        "value": "1.000.000",
        "given_on": "2025-05-01",
    }
    response = client.post(reverse("movement:support_new"), data)
    assert response.status_code == 200  # the bank is not among the choices: the form refuses it
    assert selectors.support_rows(ledger.banker).count() == 1


def test_the_ledger_is_closed_to_those_who_neither_give_nor_see_households(client, ledger, tree, make_user):
    client.force_login(make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT")))
    assert client.get(reverse("movement:support")).status_code == 404
    assert client.get(reverse("movement:support_new")).status_code == 403
