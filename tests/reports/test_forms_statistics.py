"""Statistic forms (Circular 07/2021 annex style) and the village posting list: totals equal the registry, the
PDFs carry the Decree 30 header and no personal data beyond names, and scope answers 404."""

import io
import random
from datetime import date

import pytest
from pypdf import PdfReader

from households import figures
from households.models import (
    PovertyCause,
    PovertyClass,
    PovertyStandard,
    Review,
)
from reports import statistics
from tests.households.test_movement_table import generate

P, N = PovertyClass.POOR, PovertyClass.NEAR_POOR
YEARS = (2024, 2025)


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def registry(tree, reference_data):
    """The movement tables' generated data set, with groups and causes on the reviews."""
    data = generate(tree, PovertyStandard.objects.get(code="nd07-2021"))
    rng = random.Random(11)
    causes = list(PovertyCause.objects.order_by("order"))
    reviews = list(Review.objects.exclude(recognised_class="").only("pk", "recognised_class"))
    for review in reviews:
        for group in figures.GROUPS:
            setattr(review, group, rng.random() < 0.3)
    Review.objects.bulk_update(reviews, list(figures.GROUPS))
    Review.causes.through.objects.bulk_create(
        Review.causes.through(review_id=review.pk, povertycause_id=cause.pk)
        for review in reviews
        if review.recognised_class == P
        for cause in rng.sample(causes, rng.randint(0, 3))
    )
    return data


def units_of(data):
    return [data.province, *data.districts, *data.communes]


def total_line(section):
    line = section.rows[-1]
    assert line[1] == statistics.TOTAL
    return line[2:]


def named(unit, year):
    from units.models import Unit
    from units.selectors import named_as_of

    return named_as_of(Unit.objects.filter(pk=unit.pk), date(year, 12, 31)).get()


def test_every_form_total_equals_the_registry(registry):
    for unit in units_of(registry):
        for year in YEARS:
            unit = named(unit, year)
            classes = figures.class_counts(unit, year)
            listed = {P: classes.poor.households, N: classes.near_poor.households}

            movement = statistics.build("movement", unit, year)
            _rows, table = figures.movement_table(unit, year)
            for section, key in zip(movement.sections, ("poor", "near"), strict=True):
                expected = [table.get(key, m, c) for c in figures.COLUMNS for m in ("households", "persons")]
                assert total_line(section) == expected
            assert total_line(movement.sections[0])[16] == classes.poor.households  # column 9, households
            assert total_line(movement.sections[0])[17] == classes.poor.persons
            assert total_line(movement.sections[1])[16] == classes.near_poor.households

            deprivation = statistics.build("deprivation", unit, year)
            counts = figures.deprivation_counts(unit, year)
            for section, cls, attr in ((deprivation.sections[0], P, "poor"), (deprivation.sections[2], N, "near_poor")):
                assert total_line(section) == [listed[cls], *(getattr(c, attr) for c in counts)]

            groups = statistics.build("groups", unit, year)
            by_group = figures.group_counts(unit, year)
            for section, cls in zip(groups.sections, (P, N), strict=True):
                line = total_line(section)
                assert line[0] == listed[cls]
                assert line[1::2] == [getattr(by_group[cls], g) for g in figures.GROUPS]

            causes = statistics.build("causes", unit, year)
            assert total_line(causes.sections[0]) == [
                classes.poor.households,
                *(c.households for c in figures.cause_counts(unit, year)),
            ]
