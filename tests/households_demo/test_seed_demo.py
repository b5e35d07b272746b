"""The synthetic registry of `seed_demo`: shape, consistency with the rules, Plan 119's fall, idempotency."""

import io
import re
import unicodedata
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from common.text import fold
from households import demo, figures, reference, rules, selectors
from households.models import Household, Member, PovertyClass, Review, ReviewState, ReviewTransition
from units.choices import UnitKind
from units.models import Unit

HOUSEHOLDS = 500


def _counts():
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "reviews": Review.objects.count(),
        "transitions": ReviewTransition.objects.count(),
        "villages": Unit.objects.filter(kind=UnitKind.VILLAGE).count(),
        "causes": Review.causes.through.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small demo load for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference.seed(apps.get_model)
        out = io.StringIO()
        call_command("seed_demo", households=HOUSEHOLDS, stdout=out)
        yield {"output": out.getvalue(), "counts": _counts()}
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded, db):
    return seeded


def test_counts(data):
    counts = data["counts"]
    assert counts["households"] == HOUSEHOLDS
    assert 2.6 * HOUSEHOLDS <= counts["members"] <= 3.6 * HOUSEHOLDS
    assert 4.8 * HOUSEHOLDS <= counts["reviews"] <= 5.3 * HOUSEHOLDS  # 2021-2025, a few split off or archived
    sizes = Counter(Household.objects.annotate(n=Count("members")).values_list("n", flat=True))
    assert min(sizes) >= 1 and max(sizes) <= 7
    assert "Households: 500 created" in data["output"]


def test_every_commune_in_force_has_six_to_twelve_villages(data):
    communes = demo.communes_in_force(date(2026, 11, 26))
    assert len(communes) == 242
    villages = Counter(
        Unit.objects.filter(kind=UnitKind.VILLAGE, parent__in=communes).values_list("parent__code", flat=True)
    )
    assert set(villages) == {c.code for c in communes}
    assert all(6 <= n <= 12 for n in villages.values())
    names = set(Unit.objects.filter(kind=UnitKind.VILLAGE).values_list("category", "name"))
    assert all(re.fullmatch(r"Thôn .+", n) if cat == "thon" else re.fullmatch(r"Tổ dân phố \d+", n) for cat, n in names)
    ward = next(c for c in communes if c.category == "phuong")
    assert ward.children.filter(name="Tổ dân phố 1").exists()


def test_second_run_adds_nothing(data):
    out = io.StringIO()
    call_command("seed_demo", households=HOUSEHOLDS, stdout=out)
    assert _counts() == data["counts"]
    assert "none added" in out.getvalue()


def test_every_household_has_exactly_one_head(data):
    heads = Household.objects.annotate(heads=Count("members", filter=Q(members__relation="head")))
    assert set(heads.values_list("heads", flat=True)) == {1}
    relations = set(Member.objects.values_list("relation", flat=True))
    assert {"head", "spouse", "child", "parent"} <= relations


def test_reviews_agree_with_the_rules(data):
    standard = selectors.standard_for(2025)
    births = {}
    for household_id, born in Member.objects.values_list("household_id", "birth_date"):
        births.setdefault(household_id, []).append(born)
    reviews = Review.objects.values(
        "household_id", "year", "is_urban", "income", "deprived", "deprivation_count", "member_count",
        "computed_class", "recognised_class", "class_override", "state", "household__village__parent__category",
    )  # fmt: skip
    for review in reviews:
        expected = rules.classify(
            income=review["income"],
            is_urban=review["is_urban"],
            deprivations=len(review["deprived"]),
            standard=standard,
        )
        assert review["computed_class"] == expected
        assert review["deprivation_count"] == len(review["deprived"]) == len(set(review["deprived"]))
        assert set(review["deprived"]) <= set(range(1, 13))
        assert review["is_urban"] == (review["household__village__parent__category"] in ("phuong", "thi_tran"))
        assert review["class_override"] == ""
        born_by_then = [b for b in births[review["household_id"]] if b < date(review["year"], 11, 1)]
        assert review["member_count"] == len(born_by_then) >= 1
        if review["year"] <= 2025:
            assert review["state"] == ReviewState.LOCKED
            assert review["recognised_class"] == review["computed_class"]
        else:
            assert review["recognised_class"] == ""
    locked = Review.objects.filter(state=ReviewState.LOCKED)
    assert ReviewTransition.objects.filter(to_state="locked", review__in=locked).count() == locked.count()
    poor = Review.objects.filter(computed_class=PovertyClass.POOR)
    assert not poor.filter(causes__isnull=True).exists()
    assert not Review.objects.exclude(computed_class=PovertyClass.POOR).filter(causes__isnull=False).exists()


def test_poor_households_fall_as_plan_119_intends(data):
    totals = demo.yearly_totals()
    poor = [totals[year].get("poor", 0) for year in range(2021, 2026)]
    near = [totals[year].get("near_poor", 0) for year in range(2021, 2026)]
    assert 0.025 * HOUSEHOLDS <= poor[0] <= 0.05 * HOUSEHOLDS
    assert 0.025 * HOUSEHOLDS <= near[0] <= 0.05 * HOUSEHOLDS
    assert poor[-1] <= 0.8 * poor[0]
    assert poor == sorted(poor, reverse=True)
    # The movement table sees the same numbers and has re-poor or newly poor households in some year.
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    incoming = 0
    for year in range(2022, 2026):
        _rows, total = figures.movement_table(province, year)
        assert total.get("poor", "households", 1) == poor[year - 2022]
        assert total.get("poor", "households", 9) == poor[year - 2021]
        incoming += total.get("poor", "households", 6) + total.get("poor", "households", 7)
    assert incoming > 0


def test_codes_and_cccds_are_unique(data):
    codes = list(Household.objects.values_list("code", "village__parent__code"))
    assert len({code for code, _c in codes}) == len(codes)
    assert all(re.fullmatch(rf"{commune}-\d{{5}}", code) for code, commune in codes)
    cccds = list(Member.objects.exclude(cccd=None).values_list("cccd", "birth_date"))
    assert len(cccds) > 0.05 * HOUSEHOLDS
    assert len({c for c, _b in cccds}) == len(cccds)
    assert all(re.fullmatch(r"034\d{9}", c) and c[4:6] == f"{born.year % 100:02d}" for c, born in cccds)


def test_names_are_vietnamese_nfc_with_diacritics(data):
    names = list(Member.objects.values_list("full_name", "name_folded", "ethnicity"))
    assert all(unicodedata.normalize("NFC", name) == name for name, _f, _e in names)
    assert all(len(name.split()) >= 3 for name, _f, _e in names)
    assert all(folded == fold(name) for name, folded, _e in names)
    assert sum(1 for name, _f, _e in names if not name.isascii()) > 0.9 * len(names)
    families = Counter(name.split()[0] for name, _f, _e in names)
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert sum(1 for *_n, ethnicity in names if ethnicity == "Kinh") > 0.95 * len(names)
    today = date(2026, 11, 26)
    assert Member.objects.filter(birth_date__gt=today).count() == 0


def test_demo_commune_has_open_work_for_this_year(data):
    open_reviews = Review.objects.filter(year=2026)
    assert open_reviews.exists()
    assert set(open_reviews.values_list("household__village__parent__code", flat=True)) == {demo.DEMO_COMMUNE}
    states = set(open_reviews.values_list("state", flat=True))
    assert {ReviewState.DRAFT, ReviewState.SUBMITTED} <= states
    assert not open_reviews.filter(household__archived_at__isnull=False).exists()
    returned = open_reviews.filter(state=ReviewState.RETURNED)
    assert all(r.transitions.filter(to_state="returned").exclude(comment="").exists() for r in returned)


def test_a_benchmark_load_leaves_nothing_open(data):
    plan = demo.build_plan(demo.DEMO_MAX_HOUSEHOLDS + 1, date(2026, 11, 26))
    assert not any(commune.demo_work for commune in plan.communes)
    assert sum(n for c in plan.communes for _v, n in c.villages) == demo.DEMO_MAX_HOUSEHOLDS + 1
    counts = {c.code: sum(n for _v, n in c.villages) for c in plan.communes}
    assert counts[demo.DEMO_COMMUNE] < 0.02 * demo.DEMO_MAX_HOUSEHOLDS  # no demo weighting either


def test_generation_is_deterministic(data):
    plan = demo.build_plan(200, date(2026, 11, 26))
    plan.first_household_id = plan.first_review_id = 1
    first = list(demo.Generator(plan).chunks(size=50))
    second = list(demo.Generator(plan).chunks(size=50))
    assert first == second
    assert sum(chunk["households_household"].count("\n") for chunk in first) == 200
