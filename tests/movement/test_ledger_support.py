"""Recording support: by a household's code in any written form, refused with a Vietnamese message and nothing saved
for a bad code, value or date; the recipient commune stored; history kept."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from households import services as household_services
from movement.models import MAX_SUPPORT_VALUE, Support, SupportKind
from movement.services import ledger as services
from tests.movement.ledger import Ledger

TODAY = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2025-06-30 10:00 +0700", tick=False):
        yield


@pytest.fixture
def ledger(movement, tree, make_user):
    return Ledger(tree, make_user)


def record(ledger, **fields):
    values = {
        "user": ledger.banker,
        "giver": ledger.bank,
        "kind": SupportKind.LOAN,
        "value": 50_000_000,
        "given_on": date(2025, 3, 15),
        "household_code": "13249-00017",
    }
    values.update(fields)
    return services.record_support(**values)


@pytest.mark.parametrize("typed", ["13249-00017", " 13249 – 00017 ", "１３２４９-０００１７", "13249 -00017\t"])
def test_code_typed_in_any_form_finds_the_household(ledger, typed):
    support = record(ledger, household_code=typed)
    assert support.household == ledger.first
    assert support.commune == ledger.song_an
    assert support.giver == ledger.bank
    assert support.recorded_by == ledger.banker
    assert support.events.count() == 1  # pghistory


def test_support_to_a_commune_as_a_whole(ledger):
    support = record(ledger, household_code="", commune=ledger.vu_hoi, kind=SupportKind.HOUSING, value=0)
    assert support.household is None and support.commune == ledger.vu_hoi


def _refused(ledger, field, message, **fields):
    with pytest.raises(ValidationError) as exc:
        record(ledger, **fields)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Support.objects.exists()


def test_unknown_and_archived_codes_get_the_same_answer(ledger):
    _refused(
        ledger, "household_code", "Mã hộ 13249-99999 không phải là hộ có thể nhận hỗ trợ", household_code="13249-99999"
    )
    household_services.archive_household(
        user=ledger.officer, household=ledger.second, reason="moved_away", on=TODAY - timedelta(days=1)
    )
    _refused(
        ledger, "household_code", "Mã hộ 13249-00018 không phải là hộ có thể nhận hỗ trợ", household_code="13249-00018"
    )


def test_negative_absurd_and_empty_values_are_refused(ledger):
    _refused(ledger, "value", "không thể âm", value=-5_000_000)
    _refused(ledger, "value", "kiểm tra lại các số 0", value=MAX_SUPPORT_VALUE + 1)
    _refused(ledger, "value", "lớn hơn 0 đ", value=0, kind=SupportKind.CASH)
    assert record(ledger, value=MAX_SUPPORT_VALUE).value == MAX_SUPPORT_VALUE
    assert record(ledger, value=0, kind=SupportKind.HEALTH_INSURANCE).value == 0


def test_dates_in_the_future_or_before_the_movement_are_refused(ledger):
    _refused(ledger, "given_on", "trong tương lai", given_on=TODAY + timedelta(days=1))
    _refused(ledger, "given_on", "trước khi phong trào bắt đầu", given_on=date(2020, 12, 31))
    assert record(ledger, given_on=date(2021, 1, 1)).given_on == date(2021, 1, 1)


def test_a_giver_records_only_for_its_own_unit(ledger):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        record(ledger, giver=ledger.women)  # the bank's reporter does not see the Women's Union
    with pytest.raises((Http404, PermissionDenied)):
        record(ledger, user=ledger.other_officer, giver=ledger.song_an)
    assert not Support.objects.exists()


def test_the_recipient_commune_is_where_the_household_was_reviewed_that_year(ledger):
    from households.models import PovertyStandard, Review

    Review.objects.create(
        household=ledger.third,
        village=ledger.dong_ho,  # reviewed in Song An in 2024, lives in Vũ Hội now
        year=2024,
        standard=PovertyStandard.objects.get(code="nd07-2021"),
        is_urban=False,
        income=1_000_000,
        member_count=2,
        computed_class="poor",
    )
    assert record(ledger, household_code="13255-00001", given_on=date(2024, 5, 2)).commune == ledger.song_an
    assert record(ledger, household_code="13255-00001", given_on=date(2025, 5, 2)).commune == ledger.vu_hoi
