"""The workflow engine on a toy workflow (stored in the review table and its log, which have a state, a version
and a log to move): allowed and refused steps, comments, bulk moves guarded against concurrent change, the log, and
what a page is offered."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from common.text import MAX_COMMENT_LENGTH
from common.workflow import Changed, Transition, Workflow
from households.models import Household, Review, ReviewState, ReviewTransition
from tests.factories import ReviewFactory
from tests.households.conftest import make_village

S = ReviewState


def vi(msgid):
    with translation.override("vi"):
        return gettext(msgid)


@pytest.fixture
def people(make_user):
    """An officer who files, a leader who judges, and someone of another commune (out of scope)."""
    return {
        "officer": make_user(first_name="Nguyễn Thị", last_name="Hoà"),
        "leader": make_user(first_name="Trần Văn", last_name="Đức"),
        "stranger": make_user(first_name="Lê", last_name="Ánh"),
    }


@pytest.fixture
def toy(people):
    grants = {people["officer"].pk: {"file"}, people["leader"].pk: {"judge"}}

    def permission(user, action, review):
        if user.pk not in grants:
            raise Http404
        if action not in grants[user.pk]:
            raise PermissionDenied

    return Workflow(
        model=Review,
        states=ReviewState,
        log=ReviewTransition,
        log_object="review",
        permission=permission,
        anywhere=lambda user, action: action in grants.get(user.pk, ()),
        version_field="version",
        transitions=(
            Transition("file", sources=(S.DRAFT, S.RETURNED), target=S.SUBMITTED, action="file", label="filed"),
            Transition(
                "send_back", sources=(S.SUBMITTED,), target=S.RETURNED, action="judge", label="sent back",
                needs_comment=True,
            ),
            Transition(
                "approve", sources=(S.SUBMITTED,), target=S.RECOGNISED, action="judge", label="approved",
                sets={"recognised_class": F("computed_class")},
            ),
            Transition(
                "reopen", sources=(S.LOCKED,), target=S.DRAFT, action="judge", condition=lambda r: r.income > 0
            ),
            Transition("close", sources=(S.DRAFT, S.SUBMITTED, S.RETURNED), target=S.LOCKED),
        ),
    )  # fmt: skip


@pytest.fixture
def make_review(tree):
    village = make_village(tree.commune("13249"), "Thôn Đoài Thượng Nhất Của Xã Song An")
    serial = iter(range(1, 1000))

    def make(state=S.DRAFT, **fields):
        household = Household.objects.create(province=tree.province, village=village, code=f"13249-{next(serial):05d}")
        return ReviewFactory(household=household, state=state, **fields)

    return make


def log(review):
    return list(ReviewTransition.objects.filter(review=review).values_list("from_state", "to_state", "by", "comment"))


def test_a_granted_step_moves_the_row_bumps_its_version_and_logs_who_when_and_why(toy, people, make_review):
    officer = people["officer"]
    review = make_review(state=S.RETURNED)
    assert toy.check(officer, review, "file").target == S.SUBMITTED
    with transaction.atomic():
        moved = toy.apply(user=officer, objects=Review.objects.filter(pk=review.pk), name="file", comment="Đã sửa")
    assert moved == [review.pk]
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.version) == (S.SUBMITTED, review.version + 1)
    assert log(review) == [(S.RETURNED, S.SUBMITTED, officer.pk, "Đã sửa")]
    assert ReviewTransition.objects.get(review=review).at is not None


def test_a_step_writes_its_further_columns_in_the_same_update(toy, people, make_review):
    review = make_review(state=S.SUBMITTED, computed_class="near_poor")
    toy.apply(user=people["leader"], objects=Review.objects.filter(pk=review.pk), name="approve")
    assert Review.objects.values_list("state", "recognised_class").get(pk=review.pk) == (S.RECOGNISED, "near_poor")


def test_an_unknown_step_or_a_wrong_state_is_refused_with_a_vietnamese_message(toy, people, make_review):
    review = make_review(state=S.DRAFT)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        toy.check(people["leader"], review, "bỏ qua")
    assert exc.value.messages == [vi("Unknown step “%(name)s”.") % {"name": "bỏ qua"}]
    assert vi("Unknown step “%(name)s”.") != "Unknown step “%(name)s”."

    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        toy.check(people["leader"], review, "approve")
    wrong = vi("This is %(state)s and cannot be %(action)s.")
    assert wrong != "This is %(state)s and cannot be %(action)s."
    assert exc.value.messages == [wrong % {"state": vi("Draft").lower(), "action": "approved"}]


def test_permission_comes_from_the_apps_callback(toy, people, make_review):
    review = make_review(state=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        toy.check(people["officer"], review, "approve")
    with pytest.raises(Http404):
        toy.check(people["stranger"], review, "approve")
    with pytest.raises(PermissionDenied):  # a system step is nobody's
        toy.check(people["leader"], review, "close")
    with pytest.raises(PermissionDenied):  # one refused object refuses the whole selection
        toy.apply(user=people["officer"], objects=Review.objects.filter(pk=review.pk), name="approve")
    assert Review.objects.get(pk=review.pk).state == S.SUBMITTED
    assert not ReviewTransition.objects.exists()


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("", "Say what must be corrected."),
        ("   \n ", "Say what must be corrected."),
        ("Thu nhập\u202e sai", None),  # a right-to-left override
        ("ư" * (MAX_COMMENT_LENGTH + 1), None),
    ],
)
def test_a_step_that_returns_work_needs_a_clean_comment(toy, people, make_review, comment, problem):
    review = make_review(state=S.SUBMITTED)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        toy.apply(user=people["leader"], objects=Review.objects.filter(pk=review.pk), name="send_back", comment=comment)
    assert "comment" in exc.value.message_dict
    if problem:
        assert exc.value.message_dict["comment"] == [vi(problem)]
    assert Review.objects.get(pk=review.pk).state == S.SUBMITTED
    assert not ReviewTransition.objects.exists()


def test_the_comment_is_stored_in_nfc(toy, people, make_review):
    review = make_review(state=S.SUBMITTED)
    decomposed = "Kie\u0302\u0309m tra  lại   thu nhập"  # NFD "Kiểm", doubled spaces
    toy.apply(user=people["leader"], objects=Review.objects.filter(pk=review.pk), name="send_back", comment=decomposed)
    assert log(review) == [(S.SUBMITTED, S.RETURNED, people["leader"].pk, "Kiểm tra lại thu nhập")]


def test_bulk_moves_the_eligible_by_one_update_and_one_insert(toy, people, make_review):
    eligible = [make_review(state=S.DRAFT) for _ in range(3)] + [make_review(state=S.RETURNED) for _ in range(2)]
    other = make_review(state=S.RECOGNISED)
    selected = Review.objects.filter(pk__in=[r.pk for r in [*eligible, other]])
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        moved = toy.apply(user=people["officer"], objects=selected, name="file")
    assert sorted(moved) == sorted(r.pk for r in eligible)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements.count("UPDATE") == 1 and statements.count("INSERT") == 1
    assert Review.objects.get(pk=other.pk).state == S.RECOGNISED
    assert sorted(ReviewTransition.objects.values_list("from_state", flat=True)) == [S.DRAFT] * 3 + [S.RETURNED] * 2


def test_bulk_refuses_everything_when_a_row_changed_after_it_was_read(toy, people, make_review):
    """Another user moves one review between the read and the UPDATE (here from one source state to another:
    the log would lie about where it came from): nothing moves and nothing is logged."""
    reviews = [make_review(state=S.DRAFT) for _ in range(3)]
    raced = reviews[1]

    def meanwhile(review):
        if review.pk == raced.pk:
            Review.objects.filter(pk=raced.pk).update(state=S.RETURNED)

    with pytest.raises(Changed), transaction.atomic():
        toy.apply(
            user=people["officer"],
            objects=Review.objects.filter(pk__in=[r.pk for r in reviews]),
            name="file",
            before=meanwhile,
        )
    assert set(Review.objects.filter(pk__in=[r.pk for r in reviews]).values_list("state", flat=True)) == {S.DRAFT}
    assert not ReviewTransition.objects.exists()


def test_before_may_refuse_a_row_about_to_move(toy, people, make_review):
    review = make_review(state=S.DRAFT)

    def closed(_review):
        raise ValidationError("Đã hết hạn nhập")

    with pytest.raises(ValidationError):
        toy.apply(user=people["officer"], objects=Review.objects.filter(pk=review.pk), name="file", before=closed)
    assert Review.objects.get(pk=review.pk).state == S.DRAFT


def test_move_follows_the_rows_state_and_logs_the_system(toy, make_review):
    draft, returned, recognised = (
        make_review(state=S.DRAFT),
        make_review(state=S.RETURNED),
        make_review(state=S.RECOGNISED),
    )
    assert toy.move(returned.pk, "close", comment="kỳ rà soát đã đóng", income=5)
    assert Review.objects.values_list("state", "income", "version").get(pk=returned.pk) == (S.LOCKED, 5, 2)
    assert log(returned) == [(S.RETURNED, S.LOCKED, None, "kỳ rà soát đã đóng")]
    assert not toy.move(recognised.pk, "close")
    assert not toy.move(draft.pk, "close", where={"income": 123})
    assert Review.objects.get(pk=draft.pk).state == S.DRAFT
    assert not ReviewTransition.objects.filter(review__in=[draft, recognised]).exists()


def test_a_page_is_offered_the_steps_the_user_may_take_now(toy, people, make_review):
    submitted = make_review(state=S.SUBMITTED)
    assert toy.actions(people["leader"], submitted) == {"send_back", "approve"}
    assert [step.name for step in toy.available(people["leader"], submitted)] == ["send_back", "approve"]
    assert toy.actions(people["officer"], submitted) == set()
    assert toy.actions(people["stranger"], submitted) == set()
    assert toy.actions(people["officer"], make_review(state=S.DRAFT)) == {"file"}
    # a further condition on the object; a system step is never offered
    assert toy.actions(people["leader"], make_review(state=S.LOCKED, income=0)) == set()
    assert toy.actions(people["leader"], make_review(state=S.LOCKED, income=800_000)) == {"reopen"}
    assert toy.offered(people["leader"], S.SUBMITTED) == {"send_back", "approve"}
    assert toy.offered(people["officer"], S.SUBMITTED) == set()
    assert toy.user_step("close") is None and toy.user_step("nope") is None


def test_a_transition_naming_an_unknown_state_is_a_programming_error(toy):
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            model=Review,
            states=ReviewState,
            log=ReviewTransition,
            log_object="review",
            permission=toy.permission,
            transitions=(Transition("archive", sources=(S.DRAFT,), target="archived"),),
        )
