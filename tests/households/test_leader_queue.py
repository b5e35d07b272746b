"""The commune leader's queue: last year's class beside the proposed one, filters, a confirmation before a bulk
recognition, "next in queue"; and recognition as a commune leader's act only (never a superuser's)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households import selectors, services
from households.models import ClassChange, Household, Member, PovertyClass, Review, ReviewState
from tests.factories import ReviewFactory
from units import policy
from units.roles import Action, Role

from .conftest import OPEN_2025, make_village

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# code: (village index, class recognised in 2024 or None, class proposed in 2025 (computed, agreed or None))
CASES = {
    "13249-00001": (0, P, (P, "")),  # unchanged
    "13249-00002": (0, N, (P, "")),  # newly poor
    "13249-00003": (1, P, (A, "")),  # left poverty
    "13249-00004": (1, N, (X, "")),  # another change of class
    "13249-00005": (0, None, (N, "")),  # no result last year
    "13249-00006": (1, P, (P, N)),  # the village meeting agreed near-poor: left poverty
}


@pytest.fixture
def in_october_2025():
    with time_machine.travel(MID_OCTOBER_2025, tick=False):
        yield


@pytest.fixture
def queue(tree, song_an, vu_hoi, leader):
    """Six submitted 2025 reviews of Xã Song An (CASES), a draft, and a submitted review of Xã Vũ Hội."""
    villages = [make_village(song_an, "Thôn Nhân Thanh Thượng"), make_village(song_an, "Thôn Đông Hải")]
    reviews = {}
    for code, (index, before, (computed, agreed)) in CASES.items():
        household = Household.objects.create(province=tree.province, village=villages[index], code=code)
        Member.objects.create(
            household=household, full_name=f"Nguyễn Thị Hoà {code[-1]}", birth_date=date(1960, 4, 1), relation="head"
        )
        if before:
            ReviewFactory(
                household=household, year=2024, computed_class=before, recognised_class=before, state="locked"
            )
        reviews[code] = ReviewFactory(
            household=household,
            year=2025,
            computed_class=computed,
            class_override=agreed,
            class_reason="Họp thôn thống nhất" if agreed else "",
            state=ReviewState.SUBMITTED,
        )
    draft = Household.objects.create(province=tree.province, village=villages[0], code="13249-00007")
    ReviewFactory(household=draft, year=2025, state=ReviewState.DRAFT)
    other = Household.objects.create(province=tree.province, village=make_village(vu_hoi, "Thôn Nam"), code="13255-1")
    ReviewFactory(household=other, year=2025, state=ReviewState.SUBMITTED)
    return villages, reviews


@pytest.fixture
def quantri(make_user, tree):
    """The demo's platform administrator: a superuser who is also the province's administrator by role."""
    return make_user(Role.ADMIN, tree.province, is_superuser=True, is_staff=True, username="quantri")


def codes(reviews):
    return [r.household.code for r in reviews]


def test_the_queue_holds_last_years_class_and_the_change(leader, queue):
    rows = {r.household.code: r for r in selectors.leader_queue(leader)}
    assert set(rows) == set(CASES)  # not the draft, not Vũ Hội's
    assert {code: (r.previous_class, r.proposed, r.change) for code, r in rows.items()} == {
        "13249-00001": (P, P, ClassChange.SAME),
        "13249-00002": (N, P, ClassChange.NEWLY_POOR),
        "13249-00003": (P, A, ClassChange.LEFT_POVERTY),
        "13249-00004": (N, X, ClassChange.OTHER),
        "13249-00005": (None, N, ClassChange.FIRST),
        "13249-00006": (P, N, ClassChange.LEFT_POVERTY),
    }


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"change": "same"}, ["13249-00001"]),
        ({"change": "newly_poor"}, ["13249-00002"]),
        ({"change": "left_poverty"}, ["13249-00003", "13249-00006"]),
        ({"change": "changed"}, ["13249-00002", "13249-00003", "13249-00004", "13249-00005", "13249-00006"]),
        ({"klass": "poor"}, ["13249-00001", "13249-00002"]),
        ({"klass": "near_poor", "change": "left_poverty"}, ["13249-00006"]),
    ],
)
def test_the_queue_filters_in_the_database(client, leader, queue, filters, expected):
    assert sorted(codes(selectors.leader_queue(leader, **filters))) == expected
    client.force_login(leader)
    html = client.get(reverse("households:queue"), filters).content.decode()
    assert sorted(re.findall(r'data-testid="queue-link">([^<]+)<', html)) == expected


def test_the_queue_filters_by_village_and_lists_villages_in_reading_order(client, leader, queue):
    villages, _reviews = queue
    client.force_login(leader)
    html = client.get(reverse("households:queue"), {"village": villages[1].pk}).content.decode()
    assert re.findall(r'data-testid="queue-link">([^<]+)<', html) == ["13249-00003", "13249-00004", "13249-00006"]
    html = client.get(reverse("households:queue")).content.decode()
    # Thôn Đông Hải before Thôn Nhân Thanh Thượng, whatever order they were created in.
    assert re.findall(r'data-testid="queue-link">([^<]+)<', html)[:3] == ["13249-00003", "13249-00004", "13249-00006"]


def test_the_queue_page_shows_changes_as_words_and_a_select_all_box(client, leader, queue):
    client.force_login(leader)
    html = client.get(reverse("households:queue")).content.decode()
    assert 'data-testid="select-all"' in html and "Chọn tất cả trên trang này" in html
    assert html.count('data-testid="change-badge"') == 5  # every row but the unchanged one
    for label in ("Mới thành hộ nghèo", "Thoát nghèo", "Đổi diện", "Năm trước chưa có kết quả"):
        assert label in html
    assert "Thay đổi so với năm trước" in html  # the filter's label


def test_the_queue_makes_a_constant_number_of_queries(client, tree, leader, queue):
    villages, _reviews = queue
    client.force_login(leader)
    url = reverse("households:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        household = Household.objects.create(province=tree.province, village=villages[n % 2], code=f"13249-1{n:04d}")
        ReviewFactory(household=household, year=2024, recognised_class=P, state="locked")
        ReviewFactory(household=household, year=2025, state=ReviewState.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# A bulk recognition is confirmed first -------------------------------------------------------------------------


def test_bulk_recognition_asks_for_confirmation_with_the_counts(client, leader, queue, in_october_2025):
    _villages, reviews = queue
    chosen = [reviews[code].pk for code in ("13249-00001", "13249-00002", "13249-00003", "13249-00005")]
    client.force_login(leader)
    back = reverse("households:queue") + "?change=changed"
    response = client.post(reverse("households:bulk", args=["recognise"]), {"reviews": chosen, "next": back})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bạn sắp công nhận kết quả rà soát của 4 hộ." in html
    assert "2 hộ trong số đó thay đổi diện so với năm trước" in html
    assert "1 hộ năm trước chưa có kết quả công nhận" in html
    assert html.count('data-testid="confirm-row"') == 4
    assert not Review.objects.filter(pk__in=chosen, state=ReviewState.RECOGNISED).exists()

    confirmed = re.findall(r'name="reviews" value="(\d+)"', html)
    response = client.post(
        reverse("households:bulk", args=["recognise"]), {"reviews": confirmed, "next": back, "confirmed": "1"}
    )
    assert response.status_code == 302 and response["Location"] == back
    recognised = Review.objects.filter(pk__in=chosen, state=ReviewState.RECOGNISED)
    assert sorted(recognised.values_list("recognised_class", flat=True)) == sorted([P, P, A, N])


def test_a_bulk_return_needs_no_confirmation_and_an_outside_next_is_ignored(client, leader, queue, in_october_2025):
    _villages, reviews = queue
    client.force_login(leader)
    response = client.post(
        reverse("households:bulk", args=["return"]),
        {"reviews": [reviews["13249-00004"].pk], "comment": "Kiểm tra lại thu nhập", "next": "https://example.com/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("households:list")
    assert Review.objects.get(pk=reviews["13249-00004"].pk).state == ReviewState.RETURNED


# Next in queue -------------------------------------------------------------------------------------------------


def test_after_recognising_one_review_the_next_one_opens(client, leader, queue, in_october_2025):
    _villages, reviews = queue
    order = codes(selectors.leader_queue(leader))
    assert order == ["13249-00003", "13249-00004", "13249-00006", "13249-00001", "13249-00002", "13249-00005"]
    client.force_login(leader)
    first, second = reviews[order[0]], reviews[order[1]]
    html = client.get(first.get_absolute_url()).content.decode()
    assert f'href="{second.get_absolute_url()}" data-testid="next-in-queue"' in html
    assert "Kết quả công nhận năm 2024:" in html  # last year's class beside the decision

    url = reverse("households:review_transition", args=[first.household_id, 2025, "recognise"])
    response = client.post(url, {"next": second.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert Review.objects.get(pk=first.pk).state == ReviewState.RECOGNISED

    last = reviews[order[-1]]
    assert selectors.next_in_queue(leader, last) == second.get_absolute_url()  # wraps round to the first left


def test_the_last_review_of_the_queue_stays_on_its_page(client, leader, queue, in_october_2025):
    _villages, reviews = queue
    Review.objects.exclude(pk=reviews["13249-00001"].pk).filter(state=ReviewState.SUBMITTED).update(
        state=ReviewState.DRAFT
    )
    review = reviews["13249-00001"]
    assert selectors.next_in_queue(leader, review) is None
    client.force_login(leader)
    assert 'data-testid="next-in-queue"' not in client.get(review.get_absolute_url()).content.decode()
    url = reverse("households:review_transition", args=[review.household_id, 2025, "recognise"])
    assert client.post(url)["Location"] == review.get_absolute_url()


# Recognition is the commune leader's act -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["quantri", "province_admin"])
def test_a_province_administrator_cannot_recognise_or_return(request, who, queue):
    admin = request.getfixturevalue(who)
    _villages, reviews = queue
    review = reviews["13249-00002"]
    assert policy.can(admin, Action.VIEW, review.household.village)
    assert not policy.can(admin, Action.RECOGNISE, review.household.village)
    assert not policy.can_anywhere(admin, Action.RECOGNISE)
    for name, comment in (("recognise", ""), ("return", "Sai thu nhập")):
        with pytest.raises(PermissionDenied):
            services.transition(user=admin, review=review, name=name, today=OPEN_2025, comment=comment)
        with pytest.raises(PermissionDenied):
            services.bulk_transition(
                user=admin, reviews=Review.objects.filter(pk=review.pk), name=name, today=OPEN_2025, comment=comment
            )
    assert not selectors.leader_queue(admin).exists()
    assert Review.objects.get(pk=review.pk).state == ReviewState.SUBMITTED


def test_the_superuser_gets_403_and_no_buttons(client, quantri, queue, in_october_2025):
    _villages, reviews = queue
    review = reviews["13249-00002"]
    client.force_login(quantri)
    html = client.get(review.get_absolute_url()).content.decode()
    assert 'data-testid="recognise"' not in html and 'data-testid="return"' not in html
    assert 'data-testid="nav-queue"' not in html
    assert client.get(reverse("households:queue")).status_code == 403
    for name in ("recognise", "return"):
        url = reverse("households:review_transition", args=[review.household_id, 2025, name])
        assert client.post(url, {"comment": "Sai thu nhập"}).status_code == 403
        bulk = {"reviews": [review.pk], "comment": "Sai thu nhập", "confirmed": "1"}
        assert client.post(reverse("households:bulk", args=[name]), bulk).status_code == 403
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.recognised_class) == (ReviewState.SUBMITTED, "")


def test_the_superuser_keeps_everything_else(quantri, tree, song_an, queue):
    assert policy.scope_paths(quantri) is None
    assert policy.can(quantri, Action.MANAGE, song_an) and policy.can(quantri, Action.EDIT_REGISTRY, song_an)
    assert policy.visible_units(quantri).count() > 1


def test_a_superuser_who_leads_a_commune_recognises_there_only(make_user, tree, song_an, vu_hoi, queue):
    chairman = make_user(Role.COMMUNE_LEADER, song_an, is_superuser=True)
    _villages, reviews = queue
    review = services.transition(user=chairman, review=reviews["13249-00001"], name="recognise", today=OPEN_2025)
    assert review.state == ReviewState.RECOGNISED
    other = Review.objects.get(household__code="13255-1")
    with pytest.raises(PermissionDenied):
        services.transition(user=chairman, review=other, name="recognise", today=OPEN_2025)
