"""rules.classify at every boundary of the multidimensional poverty standard (DOMAIN.md §2; limits inclusive)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from households import rules, selectors
from households.models import PovertyClass, PovertyStandard

POOR, NEAR, AVG, NONE = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE

# The 2022-2025 standard (Decree 07/2021/NĐ-CP) as plain data: the pure rule needs nothing more.
ND07 = SimpleNamespace(
    rural_poverty_line=1_500_000,
    urban_poverty_line=2_000_000,
    rural_average_line=2_250_000,
    urban_average_line=3_000_000,
    deprivation_threshold=3,
)

RURAL, URBAN = False, True

# (income, is_urban, deprivations, expected class)
TABLE = [
    # rural poverty line 1,500,000: inclusive
    (1_500_000, RURAL, 3, POOR),
    (1_500_000, RURAL, 2, NEAR),
    (1_500_001, RURAL, 3, AVG),
    (1_500_001, RURAL, 12, AVG),
    # deprivation threshold: 2 is near-poor, 3 is poor
    (1_000_000, RURAL, 0, NEAR),
    (1_000_000, RURAL, 2, NEAR),
    (1_000_000, RURAL, 3, POOR),
    (1_000_000, RURAL, 12, POOR),
    # income 0
    (0, RURAL, 0, NEAR),
    (0, RURAL, 3, POOR),
    (0, URBAN, 2, NEAR),
    (0, URBAN, 3, POOR),
    # rural average ceiling 2,250,000: inclusive
    (2_250_000, RURAL, 0, AVG),
    (2_250_000, RURAL, 12, AVG),
    (2_250_001, RURAL, 0, NONE),
    (2_250_001, RURAL, 12, NONE),
    # urban poverty line 2,000,000: inclusive; rural households at that income are average
    (2_000_000, URBAN, 3, POOR),
    (2_000_000, URBAN, 2, NEAR),
    (2_000_000, RURAL, 3, AVG),
    (2_000_001, URBAN, 3, AVG),
    (2_000_001, URBAN, 12, AVG),
    (1_500_001, URBAN, 3, POOR),
    (1_500_001, URBAN, 2, NEAR),
    # urban average ceiling 3,000,000: inclusive; rural households at that income are above every line
    (3_000_000, URBAN, 0, AVG),
    (3_000_000, URBAN, 12, AVG),
    (3_000_000, RURAL, 0, NONE),
    (3_000_001, URBAN, 0, NONE),
    (3_000_001, URBAN, 12, NONE),
    (2_250_001, URBAN, 5, AVG),
    # far above
    (50_000_000, RURAL, 12, NONE),
    (50_000_000, URBAN, 12, NONE),
]


def _id(row):
    income, urban, deprivations, expected = row
    return f"{'urban' if urban else 'rural'}-{income}-{deprivations}dep-{expected.value}"


@pytest.mark.parametrize("income, is_urban, deprivations, expected", TABLE, ids=[_id(r) for r in TABLE])
def test_classify_boundaries(income, is_urban, deprivations, expected):
    assert rules.classify(income=income, is_urban=is_urban, deprivations=deprivations, standard=ND07) == expected


@pytest.mark.parametrize("is_urban, line", [(RURAL, 1_500_001), (URBAN, 2_000_001)])
@pytest.mark.parametrize("deprivations", range(13))
def test_above_the_line_never_poor_or_near_poor(is_urban, line, deprivations):
    result = rules.classify(income=line, is_urban=is_urban, deprivations=deprivations, standard=ND07)
    assert result not in (POOR, NEAR)


@pytest.mark.parametrize("is_urban", [RURAL, URBAN])
def test_each_band_in_order(is_urban):
    """Sweeping incomes upward, the class never gets worse and hits each band exactly at its limits."""
    line = ND07.urban_poverty_line if is_urban else ND07.rural_poverty_line
    ceiling = ND07.urban_average_line if is_urban else ND07.rural_average_line
    for deprivations, at_line in ((3, POOR), (2, NEAR)):
        bands = [
            (0, at_line),
            (line - 1, at_line),
            (line, at_line),
            (line + 1, AVG),
            (ceiling - 1, AVG),
            (ceiling, AVG),
            (ceiling + 1, NONE),
        ]
        for income, expected in bands:
            got = rules.classify(income=income, is_urban=is_urban, deprivations=deprivations, standard=ND07)
            assert got == expected, (income, deprivations)


def test_seeded_standard_has_the_decree_lines(standard):
    assert standard.first_year == 2021 and standard.last_year == 2026 and standard.confirmed
    for attr in vars(ND07):
        assert getattr(standard, attr) == getattr(ND07, attr), attr
    assert standard.indicators.count() == 12


def test_seeded_standard_classifies_like_the_table(standard):
    for income, is_urban, deprivations, expected in TABLE:
        got = rules.classify(income=income, is_urban=is_urban, deprivations=deprivations, standard=standard)
        assert got == expected, (income, is_urban, deprivations)


def test_2027_standard_classifies_by_its_own_lines(reference_data):
    s2027 = PovertyStandard.objects.get(code="chuan-2027")
    assert not s2027.confirmed
    assert rules.classify(income=2_200_000, is_urban=RURAL, deprivations=3, standard=s2027) == POOR
    assert rules.classify(income=2_200_000, is_urban=RURAL, deprivations=2, standard=s2027) == NEAR
    assert rules.classify(income=2_200_001, is_urban=RURAL, deprivations=3, standard=s2027) == AVG
    assert rules.classify(income=3_300_000, is_urban=RURAL, deprivations=0, standard=s2027) == AVG
    assert rules.classify(income=3_300_001, is_urban=RURAL, deprivations=0, standard=s2027) == NONE
    assert rules.classify(income=2_800_000, is_urban=URBAN, deprivations=3, standard=s2027) == POOR
    assert rules.classify(income=2_800_001, is_urban=URBAN, deprivations=3, standard=s2027) == AVG
    assert rules.classify(income=4_200_000, is_urban=URBAN, deprivations=0, standard=s2027) == AVG
    assert rules.classify(income=4_200_001, is_urban=URBAN, deprivations=0, standard=s2027) == NONE
    # The same household is average under 2022-2025 but poor under the 2027 lines.
    s2022 = PovertyStandard.objects.get(code="nd07-2021")
    assert rules.classify(income=1_800_000, is_urban=RURAL, deprivations=4, standard=s2022) == AVG
    assert rules.classify(income=1_800_000, is_urban=RURAL, deprivations=4, standard=s2027) == POOR


@pytest.mark.parametrize(
    "year, code",
    [(2021, "nd07-2021"), (2025, "nd07-2021"), (2026, "nd07-2021"), (2027, "chuan-2027"), (2031, "chuan-2027")],
)
def test_standard_for_year(reference_data, year, code):
    assert selectors.standard_for(year).code == code


def test_no_standard_before_2021(reference_data):
    with pytest.raises(ValidationError):
        selectors.standard_for(2020)
