"""The movement's demo records (`load_movement --demo`) over a small demo registry: what they hold, that they obey
the models' rules, and that a rerun writes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from pypdf import PdfReader

from deadlines.models import Fulfilment
from documents.models import Document
from households import demo as households_demo
from households import reference
from households.models import PovertyClass, Review
from movement import demo, seed
from movement.models import (
    MAX_SUPPORT_VALUE,
    Assessment,
    AssessmentState,
    Compilation,
    GoodPractice,
    MilestoneKind,
    PracticeState,
    Registration,
    Support,
    SupportKind,
    Target,
    UnitPlan,
)
from movement.models.ledger import MONEY_KINDS
from units.choices import UnitKind
from units.demo import ensure_demo_users
from units.models import Unit, User
from units.services import load_unit_tree

MODELS = (Target, Registration, UnitPlan, GoodPractice, Compilation, Support, Assessment, Fulfilment, User)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small demo load with the movement's demo records, seeded twice; rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference.seed(apps.get_model)
        load_unit_tree()
        ensure_demo_users()
        households_demo.seed(households=300)
        movement = seed.load_movement(seed.read()).movement
        first = demo.seed(movement)
        after_first = _counts()
        out = io.StringIO()
        call_command("load_movement", demo=True, stdout=out)
        yield {
            "movement": movement,
            "first": first,
            "after_first": after_first,
            "after_second": _counts(),
            "output": out.getvalue(),
        }
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded, db):
    return seeded


def _unit(kind, key):
    field = "code" if kind in (UnitKind.DISTRICT, UnitKind.COMMUNE) else "short_name"
    return Unit.objects.current().get(kind=kind, **{field: key})


def test_a_rerun_writes_nothing(data):
    assert data["first"].written > 0
    assert data["after_second"] == data["after_first"]
    assert "0 targets, 0 registrations, 0 plans, 0 good practices, 0 compilation, 0 support rows" in data["output"]


def test_district_targets_share_the_province_band(data):
    movement = data["movement"]
    districts = Target.objects.filter(movement=movement, unit__kind=UnitKind.DISTRICT)
    assert districts.count() == 8
    totals = districts.aggregate(low=Sum("yearly_min"), high=Sum("yearly_max"))
    assert totals == {"low": 1000, "high": 1500}
    vu_thu = _unit(UnitKind.DISTRICT, "344")
    poor_2021 = Review.objects.filter(
        year=2021, recognised_class=PovertyClass.POOR, village__parent__parent=vu_thu
    ).count()
    all_poor_2021 = Review.objects.filter(year=2021, recognised_class=PovertyClass.POOR).count()
    band = districts.get(unit=vu_thu)
    assert abs(band.yearly_min - 1000 * poor_2021 / all_poor_2021) <= 1
    communes = Target.objects.filter(movement=movement, unit__parent=vu_thu)
    assert communes.exists()
    assert communes.aggregate(low=Sum("yearly_min"))["low"] == band.yearly_min
    assert not Target.objects.filter(movement=movement, unit__kind=UnitKind.COMMUNE).exclude(unit__parent=vu_thu)


def test_registrations_and_plans(data):
    movement = data["movement"]
    registered = Registration.objects.filter(movement=movement)
    kinds = set(registered.values_list("unit__kind", flat=True))
    assert {UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.DEPARTMENT, UnitKind.FRONT, UnitKind.MASS_ORG} <= kinds
    assert registered.filter(unit__short_name="NHCSXH Thái Bình").exists()
    assert registered.filter(unit__kind=UnitKind.DISTRICT).count() == 7
    assert all(r.commitments and r.registered_at.year == 2022 for r in registered)
    song_an = _unit(UnitKind.COMMUNE, "13249")
    assert registered.filter(unit=song_an).exists()
    assert not UnitPlan.objects.filter(movement=movement, unit=song_an).exists()
    plans = UnitPlan.objects.filter(movement=movement)
    assert registered.count() > plans.count() >= 20
    for plan in plans:
        with plan.file.open("rb") as file:
            reader = PdfReader(file)
            text = reader.pages[0].extract_text()
        assert "KẾ HOẠCH" in text.upper()
        assert plan.number.split("/")[0] in text
    due = movement.milestones.get(kind=MilestoneKind.UNIT_PLAN).deadline
    fulfilled = Fulfilment.objects.filter(deadline=due)
    assert fulfilled.count() == plans.count()
    on_time = fulfilled.filter(at__date__lte=due.due_on).count()
    assert on_time > fulfilled.count() - on_time >= 3


def test_good_practices_in_every_state(data):
    movement = data["movement"]
    practices = GoodPractice.objects.filter(movement=movement)
    assert 6 <= practices.count() <= 10
    states = {state: practices.filter(state=state).count() for state in PracticeState.values}
    assert states[PracticeState.PROPOSED] >= 2
    assert states[PracticeState.SELECTED] >= 3
    assert states[PracticeState.DRAFT] >= 1
    returned = practices.get(state=PracticeState.RETURNED)
    assert "bổ sung" in returned.transitions.get(to_state=PracticeState.RETURNED).comment
    compilation = Compilation.objects.get(movement=movement)
    assert (compilation.year, compilation.half) == (2025, 1)
    assert compilation.practices.count() == 3
    assert practices.filter(state=PracticeState.SELECTED, compilation__isnull=True).count() == 1
    document = Document.objects.get(pk=compilation.document_id)
    with document.file.open("rb") as file:
        text = "".join(page.extract_text() for page in PdfReader(file).pages)
    assert "Nuôi bò sinh sản luân chuyển" in " ".join(text.split())


def test_support_rows(data):
    rows = Support.objects.all()
    assert 100 <= rows.count() <= 400
    givers = set(rows.values_list("giver__short_name", flat=True))
    assert givers == {"NHCSXH Thái Bình", "Hội LHPN tỉnh", "Sở LĐ-TB&XH", "UBMTTQ tỉnh"}
    assert set(rows.values_list("given_on__year", flat=True)) == {2022, 2023, 2024, 2025}
    assert rows.filter(value__gt=MAX_SUPPORT_VALUE).count() == 0
    assert rows.filter(kind__in=MONEY_KINDS, value=0).count() == 0
    loans = rows.filter(kind=SupportKind.LOAN)
    assert loans.exists() and all(30_000_000 <= v <= 100_000_000 for v in loans.values_list("value", flat=True))
    assert rows.filter(kind=SupportKind.JOB).exclude(donor="").exists()
    for support in rows.select_related("household"):
        listed = Review.objects.get(household=support.household, year=support.given_on.year - 1)
        assert listed.recognised_class in (PovertyClass.POOR, PovertyClass.NEAR_POOR)
        assert support.household.archived_at is None


def test_self_assessment_submitted(data):
    assessment = Assessment.objects.get(movement=data["movement"])
    assert assessment.unit == _unit(UnitKind.DISTRICT, "344")
    assert (assessment.year, assessment.state) == (2025, AssessmentState.SUBMITTED)
    answers = {answer.criterion.evidence: answer for answer in assessment.answers.select_related("criterion")}
    with answers["document"].file.open("rb") as file:
        assert len(PdfReader(file).pages) == 1
    assert answers["computed"].figure is not None


def test_clerks_cannot_sign_in(data):
    clerks = User.objects.filter(username__startswith="canbo.")
    assert clerks.exists()
    assert not any(clerk.has_usable_password() for clerk in clerks)
