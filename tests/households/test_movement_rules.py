"""rules.movement: columns 2-8 of the poor and near-poor movement tables (DOMAIN.md §3)."""

import itertools

import pytest

from households.models import PovertyClass
from households.rules import Move, Movement, movement

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
CLASSES = [P, N, A, X, None]

# (previous, current, was_poor_before, was_near_poor_before, poor table, near-poor table)
CASES = [
    # poor table: decreases
    (P, N, False, False, Move.TO_OTHER_LIST, Move.FROM_OTHER_LIST),
    (P, A, False, False, Move.ESCAPED, None),
    (P, X, False, False, Move.ESCAPED, None),
    (P, None, False, False, Move.OTHER_DECREASE, None),
    # poor table: increases
    (N, P, False, False, Move.FROM_OTHER_LIST, Move.TO_OTHER_LIST),
    (A, P, True, False, Move.RETURNED, None),  # tái nghèo: poor before, escaped, poor again
    (X, P, True, False, Move.RETURNED, None),
    (A, P, False, False, Move.NEW, None),  # phát sinh mới
    (X, P, False, False, Move.NEW, None),
    (A, P, False, True, Move.NEW, None),  # near-poor earlier is not poor earlier
    (None, P, False, False, Move.OTHER_INCREASE, None),
    (None, P, True, False, Move.OTHER_INCREASE, None),  # absent last year: moved in, whatever its past
    # near-poor table
    (N, A, False, False, None, Move.ESCAPED),
    (N, X, False, False, None, Move.ESCAPED),
    (N, None, False, False, None, Move.OTHER_DECREASE),
    (A, N, False, True, None, Move.RETURNED),  # tái cận nghèo
    (X, N, False, True, None, Move.RETURNED),
    (A, N, False, False, None, Move.NEW),
    (A, N, True, False, None, Move.NEW),  # poor earlier is not near-poor earlier
    (None, N, False, False, None, Move.OTHER_INCREASE),
    (None, N, False, True, None, Move.OTHER_INCREASE),
    # between the two lists the history does not matter: it is a move from the other list
    (N, P, True, True, Move.FROM_OTHER_LIST, Move.TO_OTHER_LIST),
    (P, N, True, True, Move.TO_OTHER_LIST, Move.FROM_OTHER_LIST),
    # staying households, and households on neither list
    (P, P, False, False, None, None),
    (P, P, True, True, None, None),
    (N, N, False, True, None, None),
    (A, A, True, True, None, None),
    (A, X, False, False, None, None),
    (X, A, True, True, None, None),
    (None, A, False, False, None, None),
    (A, None, True, True, None, None),
    (None, None, True, True, None, None),
]


def _id(case):
    prev, cur, wp, wn, *_ = case
    name = lambda c: c.value if c else "absent"  # noqa: E731
    return f"{name(prev)}->{name(cur)}{'-wasP' if wp else ''}{'-wasN' if wn else ''}"


@pytest.mark.parametrize("previous, current, was_poor, was_near, poor, near", CASES, ids=[_id(c) for c in CASES])
def test_movement_cases(previous, current, was_poor, was_near, poor, near):
    result = movement(previous=previous, current=current, was_poor_before=was_poor, was_near_poor_before=was_near)
    assert result == Movement(poor=poor, near_poor=near)


def test_columns_are_2_to_8():
    assert sorted(m.value for m in Move) == [2, 3, 4, 5, 6, 7, 8]


def test_defaults_mean_no_earlier_history():
    assert movement(previous=A, current=P) == Movement(poor=Move.NEW, near_poor=None)
    assert movement(previous=X, current=N) == Movement(poor=None, near_poor=Move.NEW)


@pytest.mark.parametrize(
    "previous, current, was_poor, was_near",
    list(itertools.product(CLASSES, CLASSES, [False, True], [False, True])),
)
def test_every_household_keeps_the_table_balanced(previous, current, was_poor, was_near):
    """For each table, start (col 1) − decreases (2-4) + increases (5-8) = end (col 9), household by household."""
    result = movement(previous=previous, current=current, was_poor_before=was_poor, was_near_poor_before=was_near)
    for cls, move in ((P, result.poor), (N, result.near_poor)):
        start, end = int(previous == cls), int(current == cls)
        decrease = move in (Move.TO_OTHER_LIST, Move.ESCAPED, Move.OTHER_DECREASE)
        increase = move in (Move.FROM_OTHER_LIST, Move.RETURNED, Move.NEW, Move.OTHER_INCREASE)
        assert start - decrease + increase == end
        # a household appears in a column only if it was or is on that list, and not if it stays on it
        assert (move is None) == (start == end)
