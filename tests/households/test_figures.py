"""households.figures: a year's figures stay where each review was made, whatever the household does later."""

from datetime import date

import pytest

from households import figures, selectors, services
from households.models import Household, PovertyCause, PovertyClass, Review, ReviewState
from units.roles import Role
from units.services import add_membership

from .conftest import OPEN_2025, add_household, make_village

P, N, A = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE
S = ReviewState
EARLIER = (2022, 2023, 2024)


def reviewed(household, years, **fields):
    """Recognised (locked) reviews of past years: years = {year: (class, members)}."""
    for year, (cls, count) in years.items():
        Review.objects.create(
            household=household,
            year=year,
            standard=selectors.standard_for(year),
            is_urban=False,
            income=1_000_000,
            deprived=[1, 2, 3] if cls == P else [],
            member_count=count,
            computed_class=cls,
            recognised_class=cls,
            state=S.LOCKED,
            **fields,
        )


@pytest.fixture
def both_officer(make_user, song_an, vu_hoi):
    """An officer of both communes of Huyện Vũ Thư (who may move a household between them)."""
    user = make_user(Role.COMMUNE_OFFICER, song_an, last_name="Phạm Thị", first_name="Hường")
    add_membership(user=user, unit=vu_hoi, role=Role.COMMUNE_OFFICER)
    return user


@pytest.fixture
def two_communes(both_officer, song_an, vu_hoi):
    """Villages of two communes with a few households each, reviewed 2022-2024; `mover` lives in Song An."""
    east = make_village(song_an, "Thôn Đông Hòa")
    west = make_village(song_an, "Thôn Tây Sơn")
    north = make_village(vu_hoi, "Thôn Bắc Nguyễn Trãi Thượng")
    histories = {
        (east, "13249-00001"): {2022: (P, 4), 2023: (P, 4), 2024: (N, 4)},
        (east, "13249-00002"): {2022: (N, 3), 2023: (A, 3), 2024: (P, 3)},
        (west, "13249-00003"): {2023: (P, 2), 2024: (P, 2)},
        (north, "13255-00001"): {2022: (P, 5), 2023: (N, 5), 2024: (N, 6)},
        (north, "13255-00002"): {2022: (A, 2), 2023: (P, 2), 2024: (P, 2)},
    }
    for (village, code), years in histories.items():
        reviewed(add_household(both_officer, village, code), years)
    mover = add_household(both_officer, east, "13249-00009", members=3)
    reviewed(mover, {2022: (N, 3), 2023: (P, 3), 2024: (P, 3)}, no_working_capacity=True)
    mover.reviews.filter(year=2024).get().causes.set(PovertyCause.objects.order_by("order")[:2])
    return {"east": east, "west": west, "north": north, "mover": mover}


def snapshot(units, years):
    """Every figure of `years` for `units`: the full movement tables and the counts."""
    return {
        (unit.pk, year): (
            figures.movement_table(unit, year),
            figures.class_counts(unit, year),
            figures.group_counts(unit, year),
            figures.deprivation_counts(unit, year),
            [(c.cause.pk, c.households) for c in figures.cause_counts(unit, year)],
        )
        for unit in units
        for year in years
    }


def test_moving_a_household_to_another_commune_leaves_every_earlier_year_of_both_communes_as_it_was(
    tree, both_officer, song_an, vu_hoi, two_communes
):
    mover = two_communes["mover"]
    units = [song_an, vu_hoi, song_an.parent, tree.province, two_communes["east"], two_communes["north"]]
    before = snapshot(units, EARLIER)
    assert before[(song_an.pk, 2024)][1].poor.households == 3  # the mover counts in Song An in 2024

    # This year's review is started in Song An, then the household moves to Vũ Hội: the open review goes with it.
    draft = services.start_review(user=both_officer, household=mover, year=2025, today=OPEN_2025)
    assert draft.village == two_communes["east"]
    services.update_household(
        user=both_officer, household=mover, village=two_communes["north"], address="Xóm 3, Thôn Bắc"
    )
    draft.refresh_from_db()
    assert draft.village == two_communes["north"]
    assert set(mover.reviews.filter(year__lt=2025).values_list("village", flat=True)) == {two_communes["east"].pk}

    assert snapshot(units, EARLIER) == before

    # Still being entered in Vũ Hội: Song An does not wait for it (it left), nor does Vũ Hội (it was on no list
    # there); each waits for its own three and two households.
    assert figures.movement_table(song_an, 2025)[1].pending == 3
    assert figures.movement_table(vu_hoi, 2025)[1].pending == 2

    Review.objects.filter(pk=draft.pk).update(recognised_class=P, state=S.RECOGNISED)
    assert snapshot(units, EARLIER) == before

    def listed(unit, column):
        return mover.pk in figures.movement_cell_households(figures.MovementCell(unit, "poor", column), 2025)

    # The year of the move: out of Song An (other decreases), into Vũ Hội (other increases).
    assert listed(song_an, 1) and listed(song_an, 4) and not listed(song_an, 9)
    assert listed(vu_hoi, 8) and listed(vu_hoi, 9) and not listed(vu_hoi, 1)
    # The district as a whole sees it stay poor, while its two rows show the move.
    district = song_an.parent
    assert listed(district, 1) and listed(district, 9) and not listed(district, 4) and not listed(district, 8)
    rows, total = figures.movement_table(district, 2025)
    by_unit = {row.unit.pk: row for row in rows}
    for commune in (song_an, vu_hoi):
        _rows, own_total = figures.movement_table(commune, 2025)
        assert by_unit[commune.pk].values == own_total.values
    summed = {column: sum(row.values["poor"]["households"][column] for row in rows) for column in (4, 8)}
    assert total.values["poor"]["households"][4] == summed[4] - 1
    assert total.values["poor"]["households"][8] == summed[8] - 1 == 0
    assert figures.class_counts(vu_hoi, 2025).poor == figures.Tally(1, 3)
    assert figures.class_counts(song_an, 2025).poor == figures.Tally(0, 0)

    # A recognised review stays where it was recognised when the household moves again.
    recognised = snapshot(units, [*EARLIER, 2025])
    services.update_household(user=both_officer, household=mover, village=two_communes["west"], address="")
    assert Review.objects.get(pk=draft.pk).village == two_communes["north"]
    assert snapshot(units, [*EARLIER, 2025]) == recognised


def test_a_moved_households_review_is_locked_and_reopened_with_the_commune_that_made_it(
    tree, both_officer, make_user, song_an, vu_hoi, two_communes
):
    mover = two_communes["mover"]
    review = services.start_review(user=both_officer, household=mover, year=2025, today=OPEN_2025)
    Review.objects.filter(pk=review.pk).update(recognised_class=P, state=S.RECOGNISED)
    services.update_household(user=both_officer, household=mover, village=two_communes["north"], address="")
    services.lock_closed_periods(today=date(2025, 12, 15))
    assert Review.objects.get(pk=review.pk).state == S.LOCKED

    admin = make_user(Role.ADMIN, tree.province)
    services.reopen_period(
        user=admin,
        year=2025,
        commune=song_an,
        until=date(2026, 1, 31),
        reason="Rà soát bổ sung hộ nghèo",
        today=date(2025, 12, 16),
    )
    assert Review.objects.get(pk=review.pk).state == S.RECOGNISED  # Song An recognised it: its reopening counts


def test_class_group_deprivation_and_cause_counts(tree, both_officer, song_an, vu_hoi, two_communes):
    causes = list(PovertyCause.objects.order_by("order")[:2])
    counts = figures.class_counts(song_an, 2024)
    assert counts == figures.ClassCounts(
        poor=figures.Tally(3, 8), near_poor=figures.Tally(1, 4), average=figures.Tally()
    )
    assert figures.class_counts(vu_hoi, 2024).near_poor == figures.Tally(1, 6)
    assert figures.class_counts(tree.province, 2024).poor == figures.Tally(4, 10)

    groups = figures.group_counts(song_an, 2024)
    assert groups[P] == figures.GroupCounts(no_working_capacity=1)
    assert groups[N] == figures.GroupCounts()

    deprivations = {d.number: d for d in figures.deprivation_counts(song_an, 2024)}
    assert len(deprivations) == selectors.standard_for(2024).indicators.count()
    assert (deprivations[1].poor, deprivations[1].near_poor, deprivations[4].poor) == (3, 0, 0)

    by_cause = {c.cause.pk: c.households for c in figures.cause_counts(song_an, 2024)}
    assert by_cause[causes[0].pk] == by_cause[causes[1].pk] == 1
    assert sum(by_cause.values()) == 2
    assert all(c.households == 0 for c in figures.cause_counts(vu_hoi, 2024))


def test_progress_counts_a_years_review_in_the_commune_that_made_it(
    tree, both_officer, make_user, song_an, vu_hoi, two_communes
):
    mover = two_communes["mover"]
    review = services.start_review(user=both_officer, household=mover, year=2025, today=OPEN_2025)
    Review.objects.filter(pk=review.pk).update(recognised_class=P, state=S.RECOGNISED)
    services.update_household(user=both_officer, household=mover, village=two_communes["north"], address="")
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    table = selectors.review_progress(dolisa, year=2025, unit=tree.province)
    rows = {commune.pk: row for group in table.groups for commune, row in group.rows}
    assert (rows[song_an.pk]["households"], rows[song_an.pk]["recognised"]) == (4, 1)
    assert (rows[vu_hoi.pk]["households"], rows[vu_hoi.pk]["recognised"]) == (2, 0)
    song_an_officer = make_user(Role.COMMUNE_OFFICER, song_an)
    assert selectors.progress_totals(song_an_officer, year=2025)["recognised"] == 1


def test_every_new_review_is_placed_where_its_household_lives(both_officer, two_communes):
    household = Household.objects.get(code="13249-00003")
    review = services.start_review(user=both_officer, household=household, year=2025, today=OPEN_2025)
    assert review.village == two_communes["west"]
