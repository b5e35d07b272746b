"""The review workflow's named services and what the review page and the queue are offered."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households import services
from households.models import Review, ReviewState, ReviewTransition
from households.workflow import REVIEWS
from units.roles import Role

from .conftest import OPEN_2025, add_household

S = ReviewState


@pytest.fixture
def reviews(officer, village):
    found = []
    for n in range(1, 4):
        household = add_household(officer, village, f"13249-{n:05d}")
        found.append(services.start_review(user=officer, household=household, year=2025, today=OPEN_2025))
    return found


def test_named_services_move_one_review_through_the_workflow(officer, leader, reviews):
    review = reviews[0]
    assert services.submit_review(user=officer, review=review, today=OPEN_2025).state == S.SUBMITTED
    with pytest.raises(ValidationError):
        services.return_review(user=leader, review=review, today=OPEN_2025, comment=" ")
    review = services.return_review(user=leader, review=review, today=OPEN_2025, comment="Thiếu thu nhập của con")
    assert review.state == S.RETURNED
    review = services.submit_review(user=officer, review=review, today=OPEN_2025)
    review = services.recognise_review(user=leader, review=review, today=OPEN_2025)
    assert (review.state, review.recognised_class) == (S.RECOGNISED, review.computed_class)
    assert list(ReviewTransition.objects.filter(review=review).values_list("to_state", "comment")) == [
        (S.SUBMITTED, ""),
        (S.RETURNED, "Thiếu thu nhập của con"),
        (S.SUBMITTED, ""),
        (S.RECOGNISED, ""),
    ]


def test_named_bulk_services_count_the_moved_and_the_skipped(officer, leader, reviews):
    selected = Review.objects.filter(pk__in=[r.pk for r in reviews])
    services.submit_review(user=officer, review=reviews[0], today=OPEN_2025)
    assert services.submit_reviews(user=officer, reviews=selected, today=OPEN_2025) == (2, 1)
    assert services.return_reviews(user=leader, reviews=selected, today=OPEN_2025, comment="Xem lại") == (3, 0)
    assert services.submit_reviews(user=officer, reviews=selected, today=OPEN_2025) == (3, 0)
    assert services.recognise_reviews(user=leader, reviews=selected, today=OPEN_2025) == (3, 0)
    assert set(selected.values_list("state", flat=True)) == {S.RECOGNISED}


def test_a_system_step_is_not_a_users(leader, reviews):
    with pytest.raises(PermissionDenied):
        services.transition(user=leader, review=reviews[0], name="lock", today=OPEN_2025)
    with pytest.raises(ValidationError):
        services.transition(user=leader, review=reviews[0], name="duyệt", today=OPEN_2025)


def test_the_pages_are_offered_the_steps_of_the_users_role(make_user, officer, leader, vu_hoi, reviews):
    review = reviews[0]
    assert REVIEWS.actions(officer, review) == {"submit"}
    assert REVIEWS.actions(leader, review) == set()
    review = services.submit_review(user=officer, review=review, today=OPEN_2025)
    assert REVIEWS.actions(officer, review) == set()
    assert REVIEWS.actions(leader, review) == {"return", "recognise"}
    assert REVIEWS.actions(make_user(Role.COMMUNE_LEADER, vu_hoi), review) == set()
    assert REVIEWS.offered(leader, S.SUBMITTED) == {"return", "recognise"}
    assert REVIEWS.offered(officer, S.SUBMITTED) == set()


def test_a_bulk_recognition_checks_each_communes_entry_window_once(
    django_assert_max_num_queries, officer, leader, village
):
    for n in range(1, 13):
        household = add_household(officer, village, f"13249-{n:05d}", members=1)
        review = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
        services.submit_review(user=officer, review=review, today=OPEN_2025)
    selected = Review.objects.filter(household__village=village, year=2025)
    # The same number of queries for 12 reviews as for 2: one commune, one period, one reopening lookup.
    with django_assert_max_num_queries(15):
        assert services.recognise_reviews(user=leader, reviews=selected, today=OPEN_2025) == (12, 0)
