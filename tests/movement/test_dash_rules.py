"""The movement's pure rules: reading a target, the default final reduction, the lines and the status."""

import pytest

from movement import rules


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  ", None), ("1500", 1500), (" 1 500 ", 1500), (1500, 1500), (1500.0, 1500), (0, 0)],
)
def test_whole_numbers_are_read(value, expected):
    assert rules.whole_number(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "không phải là số nguyên"),
        ("1,5", "không phải là số nguyên"),
        (1.5, "không phải là số nguyên"),
        ("1.500", "không phải là số nguyên"),
        ("abc", "không phải là một số"),
        ("١٢", "không phải là một số"),
        ("-3", "không thể là số âm"),
        (-3, "không thể là số âm"),
        (True, "không phải là số nguyên"),
    ],
)
def test_what_is_not_a_whole_number_is_refused_in_vietnamese(value, message):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(rules.NotWhole) as caught:
        rules.whole_number(value)
    assert message in str(caught.value)


def test_band_problem():
    assert rules.band_problem(100, 150) is None
    assert rules.band_problem(None, 150) is None
    assert rules.band_problem(150, 150) is None
    assert "151" in rules.band_problem(151, 150)


@pytest.mark.parametrize(
    ("baseline", "expected"), [(0, 0), (1, 1), (3, 1), (99, 33), (100, 34), (101, 34), (102, 34), (10000, 3334)]
)
def test_default_final_reduction_is_a_third_rounded_up(baseline, expected):
    assert rules.default_final_reduction(baseline, 1, 3) == expected
    assert rules.final_line(baseline, expected) <= baseline * 2 / 3


def test_band_lines_and_status():
    assert rules.band_lines(10000, 0, 1000, 1500) == (10000, 10000)
    assert rules.band_lines(10000, 2, 1000, 1500) == (8000, 7000)
    assert rules.band_lines(10000, 2, None, 1500) == (None, 7000)
    assert rules.band_lines(57, 3, 1100, 1600) == (0, 0)
    assert rules.final_line(57, 19) == 38
    assert rules.final_line(57, 100) == 0
    assert rules.status(1000, 1000) == rules.ON_TRACK
    assert rules.status(999, 1000) == rules.BEHIND
    assert rules.status(-5, 0) == rules.BEHIND
    assert rules.status(50, None) is None
    assert rules.status(None, 10) is None
