"""The catalogue's loader and the bonus on a decision date across the dated tables (DOMAIN.md §5)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from awards.catalogue import seed
from awards.catalogue.selectors import bonus_on, bonuses
from awards.models import AwardLevel, AwardType, BaseSalary, BonusMultiple, NomineeKind, Occasion, Quota

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed.load_awards(seed.read())
    return {t.nominee_kind: t for t in AwardType.objects.filter(level=AwardLevel.PROVINCIAL)}


def test_household_on_15_august_2025_is_rounded_up(catalogue):
    found = bonus_on(catalogue[NomineeKind.FAMILY], date(2025, 8, 15))
    assert (found.multiple, found.base_salary, found.bonus) == (Decimal("2.25"), 2_340_000, 5_270_000)


def test_last_day_of_decree_91(catalogue):
    found = bonus_on(catalogue[NomineeKind.INDIVIDUAL], date(2023, 12, 31))
    assert (found.multiple, found.base_salary, found.bonus) == (Decimal("1.0"), 1_800_000, 1_800_000)
    assert bonus_on(catalogue[NomineeKind.COLLECTIVE], date(2023, 12, 31)).bonus == 3_600_000


def test_household_had_no_bonus_under_decree_91(catalogue):
    with pytest.raises(ValidationError) as caught:
        bonus_on(catalogue[NomineeKind.FAMILY], date(2023, 12, 31))
    assert "31/12/2023" in caught.value.messages[0]


def test_decree_98_period_is_refused_until_an_admin_enters_the_multiple(catalogue):
    individual = catalogue[NomineeKind.INDIVIDUAL]
    with pytest.raises(ValidationError) as caught:
        bonus_on(individual, date(2024, 1, 1))
    message = caught.value.messages[0]
    assert "01/01/2024" in message and "30/06/2025" in message and "98/2023" in message
    BonusMultiple.objects.filter(award_type=individual, valid_from=date(2024, 1, 1)).update(multiple=Decimal("1.2"))
    # 1.2 × 1,800,000 = 2,160,000, already a multiple of 10,000.
    assert bonus_on(individual, date(2024, 1, 1)).bonus == 2_160_000


def test_base_salary_changes_on_1_july_2024(catalogue):
    individual = catalogue[NomineeKind.INDIVIDUAL]
    BonusMultiple.objects.filter(valid_from=date(2024, 1, 1)).update(multiple=Decimal("1.0"))
    assert bonus_on(individual, date(2024, 6, 30)).base_salary == 1_800_000
    assert bonus_on(individual, date(2024, 7, 1)).base_salary == 2_340_000


def test_decree_changes_on_1_july_2025(catalogue):
    BonusMultiple.objects.filter(valid_from=date(2024, 1, 1)).update(multiple=Decimal("1.0"))
    before = bonuses(catalogue.values(), date(2025, 6, 30))
    after = bonuses(catalogue.values(), date(2025, 7, 1))
    ids = {kind: t.pk for kind, t in catalogue.items()}
    assert before[ids[NomineeKind.INDIVIDUAL]].bonus == 2_340_000
    assert after[ids[NomineeKind.INDIVIDUAL]].bonus == 3_510_000  # 1.5 × 2,340,000
    assert after[ids[NomineeKind.COLLECTIVE]].bonus == 7_020_000  # 3.0 × 2,340,000
    assert after[ids[NomineeKind.FAMILY]].bonus == 5_270_000  # 5,265,000 rounded up


def test_rounding_is_up_to_the_next_10000(catalogue):
    individual = catalogue[NomineeKind.INDIVIDUAL]
    BonusMultiple.objects.create(
        award_type=individual, valid_from=date(2026, 1, 1), multiple=Decimal("1.001"), basis="thử"
    )
    # 1.001 × 2,340,000 = 2,342,340 → 2,350,000
    assert bonus_on(individual, date(2026, 1, 2)).bonus == 2_350_000


def test_before_any_base_salary_is_refused(catalogue):
    with pytest.raises(ValidationError):
        bonus_on(catalogue[NomineeKind.INDIVIDUAL], date(2019, 6, 30))


def test_loader_is_idempotent_and_keeps_what_an_admin_entered(movement):
    call_command("load_awards")
    individual = AwardType.objects.get(code="bang-khen-chu-tich-ca-nhan")
    BonusMultiple.objects.filter(award_type=individual, valid_from=date(2024, 1, 1)).update(multiple=Decimal("1.2"))
    counts = [
        AwardType.objects.count(),
        BonusMultiple.objects.count(),
        BaseSalary.objects.count(),
        Occasion.objects.count(),
        Quota.objects.count(),
    ]
    call_command("load_awards")
    assert counts == [
        AwardType.objects.count(),
        BonusMultiple.objects.count(),
        BaseSalary.objects.count(),
        Occasion.objects.count(),
        Quota.objects.count(),
    ]
    assert counts == [6, 8, 3, 8, 7]
    assert BonusMultiple.objects.get(award_type=individual, valid_from=date(2024, 1, 1)).multiple == Decimal("1.2")
    assert Occasion.objects.get(code="dot-xuat-2025").simplified_dossier
    assert AwardType.objects.filter(level=AwardLevel.STATE).count() == 3


@pytest.mark.parametrize("model", ["awardtype", "bonusmultiple", "basesalary", "occasion"])
def test_the_catalogue_admin_pages_open(admin_client, movement, model):
    seed.load_awards(seed.read())
    assert admin_client.get(f"/admin/awards/{model}/").status_code == 200
    first = {"awardtype": AwardType, "bonusmultiple": BonusMultiple, "basesalary": BaseSalary, "occasion": Occasion}
    pk = first[model].objects.order_by("pk").values_list("pk", flat=True)[0]
    assert admin_client.get(f"/admin/awards/{model}/{pk}/change/").status_code == 200
