"""Registry writes: bad input is refused with a clear Vietnamese message and nothing is saved; the workflow,
optimistic locking, pre-filling, bulk moves, period locks and reopenings, archiving."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from deadlines.models import Reopening as PeriodReopening
from deadlines.models import ReviewPeriod
from households import selectors, services
from households.models import (
    ArchiveReason,
    Household,
    Member,
    PovertyCause,
    PovertyClass,
    Review,
    ReviewState,
    ReviewTransition,
)
from units.roles import Role

from .conftest import CLOSED_2025, OPEN_2025, add_household, head, make_village

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
S = ReviewState
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# Messages --------------------------------------------------------------------------------------------------

MSG_NEGATIVE = "Income cannot be negative."
MSG_IMPLAUSIBLE = "Income over 1,000,000,000 VND per person per month is not plausible; check the figure."
MSG_BIRTH_FUTURE = "The date of birth cannot be in the future."
MSG_CCCD_FORMAT = "A citizen ID (CCCD) has exactly 12 digits."
MSG_CCCD_TAKEN = (
    "Citizen ID %(cccd)s cannot be used. If it is correct, ask the district or DOLISA to check the registry."
)
MSG_NO_STANDARD = "No poverty standard is in force for %(year)s; reviews cannot be entered for that year."
MSG_CLOSED = (
    "Review entry for %(year)s is open from %(opens)s to %(closes)s; it is closed now. "
    "An administrator can reopen it for your commune if needed."
)
MSG_NO_REASON = "Give the reason why the agreed class differs from the computed one."
MSG_UNKNOWN_INDICATOR = "Unknown indicator for this standard."
MSG_NEEDS_COMMENT = "Say what must be corrected."
MSG_NOT_EDITABLE = "This review is %(state)s; it can no longer be changed."
MSG_WRONG_STATE = "A review that is %(state)s cannot be %(action)s."
MSG_ARCHIVED = "This household is archived; it is not reviewed any more."
MSG_NO_MEMBERS = "Add the household's members before starting its review."
MSG_REOPEN_REASON = "Give the reason for reopening."
MSG_REOPEN_UNTIL = "Reopen until a date after the period's close."
MSG_ARCHIVE_REASON = "Give the reason for archiving."
MSG_DATE_FUTURE = "The date cannot be in the future."
MESSAGES = [
    MSG_NEGATIVE,
    MSG_IMPLAUSIBLE,
    MSG_BIRTH_FUTURE,
    MSG_CCCD_FORMAT,
    MSG_CCCD_TAKEN,
    MSG_NO_STANDARD,
    MSG_CLOSED,
    MSG_NO_REASON,
    MSG_UNKNOWN_INDICATOR,
    MSG_NEEDS_COMMENT,
    MSG_NOT_EDITABLE,
    MSG_WRONG_STATE,
    MSG_ARCHIVED,
    MSG_NO_MEMBERS,
    MSG_REOPEN_REASON,
    MSG_REOPEN_UNTIL,
    MSG_ARCHIVE_REASON,
    MSG_DATE_FUTURE,
    # labels interpolated into the messages above
    "Draft",
    "Recognised",
    "Locked",
    "recognised",
]


def vi(msgid, **params):
    """The Vietnamese text of a message (the msgid itself while it is untranslated)."""
    with translation.override("vi"):
        text = gettext(msgid)
    return text % params if params else text


def messages(exc, field=None):
    with translation.override("vi"):
        found = exc.value.message_dict[field] if field else exc.value.messages
        return [str(m) for m in found]


@pytest.mark.parametrize("msgid", MESSAGES)
def test_registry_message_is_translated(msgid):
    assert vi(msgid) != msgid, f"untranslated msgid: {msgid!r}"


# Helpers ---------------------------------------------------------------------------------------------------


def snapshot(review):
    return Review.objects.values().get(pk=review.pk), list(review.causes.values_list("pk", flat=True))


def save(user, review, *, today=OPEN_2025, version=None, income=1_200_000, deprived=(1, 4, 7), **answers):
    return services.save_review(
        user=user,
        review=review,
        version=review.version if version is None else version,
        today=today,
        income=income,
        deprived=list(deprived),
        **answers,
    )


def move(user, review, name, *, today=OPEN_2025, comment=""):
    return services.transition(user=user, review=review, name=name, today=today, comment=comment)


def steps(review):
    return list(ReviewTransition.objects.filter(review=review).values_list("from_state", "to_state", "by", "comment"))


@pytest.fixture
def review(officer, household):
    return services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)


@pytest.fixture
def vu_hoi_officer(make_user, vu_hoi):
    return make_user(Role.COMMUNE_OFFICER, vu_hoi)


@pytest.fixture
def vu_hoi_leader(make_user, vu_hoi):
    return make_user(Role.COMMUNE_LEADER, vu_hoi)


# Bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "income, msgid", [(-1, MSG_NEGATIVE), (-1_500_000, MSG_NEGATIVE), (1_000_000_001, MSG_IMPLAUSIBLE)]
)
def test_implausible_income_is_refused(officer, review, income, msgid):
    before = snapshot(review)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, income=income)
    assert vi(msgid) in messages(exc, "income")
    assert snapshot(review) == before


def test_income_limits_are_accepted(officer, review):
    save(officer, review, income=0, deprived=[], income_confirmed=True)
    assert review.income == 0 and review.computed_class == N
    save(officer, review, income=1_000_000_000, deprived=[])
    assert Review.objects.get(pk=review.pk).income == 1_000_000_000


def test_unknown_indicator_is_refused(officer, review):
    before = snapshot(review)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, deprived=[1, 13])
    assert vi(MSG_UNKNOWN_INDICATOR) in messages(exc, "deprived")
    assert snapshot(review) == before


def test_birth_date_in_the_future_is_refused(officer, household):
    count = Member.objects.count()
    with time_machine.travel(datetime(2025, 10, 1, 12, tzinfo=HANOI), tick=False):
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            services.save_member(
                user=officer,
                household=household,
                full_name="Phạm Văn Cường",
                birth_date=date(2025, 10, 2),
                sex="M",
                relation="grandchild",
            )
        assert vi(MSG_BIRTH_FUTURE) in messages(exc, "birth_date")
        assert Member.objects.count() == count
        # born today is fine
        services.save_member(
            user=officer,
            household=household,
            full_name="Phạm Văn Cường",
            birth_date=date(2025, 10, 1),
            sex="M",
            relation="grandchild",
        )
    assert Member.objects.count() == count + 1


@pytest.mark.parametrize("cccd", ["03409000001", "03409000001A", "034O90000012", "0340900000123"])
def test_malformed_cccd_is_refused(officer, household, cccd):
    count = Member.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_member(
            user=officer,
            household=household,
            full_name="Lê Thị Dung",
            birth_date=date(1980, 3, 3),
            sex="F",
            relation="spouse",
            cccd=cccd,
        )
    if len(cccd) <= 12:
        assert vi(MSG_CCCD_FORMAT) in messages(exc, "cccd")
    else:
        assert messages(exc, "cccd")
    assert Member.objects.count() == count
    assert not Member.objects.filter(full_name="Lê Thị Dung").exists()


def test_cccd_used_anywhere_in_the_province_is_refused(tree, make_user, officer, household):
    ward = tree.commune("12433")  # Phường Lê Hồng Phong, Thành phố Thái Bình: another district
    ward_officer = make_user(Role.COMMUNE_OFFICER, ward)
    other = services.create_household(
        user=ward_officer,
        village=make_village(ward, "Tổ dân phố 1", urban=True),
        code="12433-00001",
        head=head("Đỗ Văn Em", cccd="034085000777"),
    )
    count = Member.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_member(
            user=officer,
            household=household,
            full_name="Lê Thị Dung",
            birth_date=date(1980, 3, 3),
            sex="F",
            relation="spouse",
            cccd=" 034085000777 ",
        )
    assert vi(MSG_CCCD_TAKEN, cccd="034085000777") in messages(exc, "cccd")
    assert Member.objects.count() == count
    # the person who holds the number may still be edited
    holder = other.members.get()
    services.save_member(user=ward_officer, household=other, member=holder, full_name="Đỗ Văn Em Hai")
    assert Member.objects.get(pk=holder.pk).cccd == "034085000777"


def test_household_with_a_bad_head_is_not_created(officer, village):
    households, members = Household.objects.count(), Member.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.create_household(user=officer, village=village, code="13249-00009", head=head(cccd="3409000001"))
    assert vi(MSG_CCCD_FORMAT) in messages(exc, "cccd")
    assert (Household.objects.count(), Member.objects.count()) == (households, members)


def test_review_for_a_year_without_standard_is_refused(officer, household):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.start_review(user=officer, household=household, year=2019, today=date(2019, 10, 1))
    assert vi(MSG_NO_STANDARD, year=2019) in messages(exc)
    assert not Review.objects.exists()
    assert not ReviewPeriod.objects.filter(year=2019).exists()


def _closed_message(year=2025):
    return vi(MSG_CLOSED, year=year, opens=f"01/09/{year}", closes=f"14/12/{year}")


def test_edit_after_the_period_closed_is_refused(officer, review):
    before = snapshot(review)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, today=CLOSED_2025)
    assert _closed_message() in messages(exc)
    assert snapshot(review) == before


@pytest.mark.parametrize("today", [date(2025, 8, 31), date(2025, 12, 15)])
def test_review_cannot_start_outside_the_period(officer, household, today):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.start_review(user=officer, household=household, year=2025, today=today)
    assert _closed_message() in messages(exc)
    assert not Review.objects.exists()


def test_entry_is_open_on_the_first_and_last_day(officer, household):
    review = services.start_review(user=officer, household=household, year=2025, today=date(2025, 9, 1))
    save(officer, review, today=date(2025, 12, 14))
    assert Review.objects.get(pk=review.pk).income == 1_200_000


def test_transition_after_the_period_closed_is_refused(officer, leader, review):
    save(officer, review)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        move(officer, review, "submit", today=CLOSED_2025)
    assert _closed_message() in messages(exc)
    assert Review.objects.get(pk=review.pk).state == S.DRAFT
    assert steps(review) == []

    move(officer, review, "submit")
    with translation.override("vi"), pytest.raises(ValidationError):
        move(leader, review, "recognise", today=CLOSED_2025)
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.recognised_class) == (S.SUBMITTED, "")


@pytest.mark.parametrize("reason", ["", "   "])
def test_class_override_needs_a_reason(officer, review, reason):
    before = snapshot(review)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, class_override=N, class_reason=reason)
    assert vi(MSG_NO_REASON) in messages(exc, "class_reason")
    assert snapshot(review) == before


def test_unknown_class_override_is_refused(officer, review):
    before = snapshot(review)
    with pytest.raises(ValidationError):
        save(officer, review, class_override="rich", class_reason="Họp thôn thống nhất")
    assert snapshot(review) == before


# The workflow ----------------------------------------------------------------------------------------------


def test_submit_return_fix_resubmit_recognise(officer, leader, review):
    review = save(officer, review, income=1_200_000, deprived=[1, 4, 7])
    assert review.computed_class == P
    review = move(officer, review, "submit")
    assert review.state == S.SUBMITTED

    # an officer cannot edit what is waiting for the leader
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, income=900_000)
    assert vi(MSG_NOT_EDITABLE, state=vi("Submitted").lower()) in messages(exc)

    for comment in ("", "   "):
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            move(leader, review, "return", comment=comment)
        assert vi(MSG_NEEDS_COMMENT) in messages(exc, "comment")
    assert Review.objects.get(pk=review.pk).state == S.SUBMITTED
    assert len(steps(review)) == 1

    review = move(leader, review, "return", comment="Kiểm tra lại thu nhập  của hộ")
    assert review.state == S.RETURNED
    review = save(officer, review, income=1_600_000, deprived=[1, 4, 7])
    assert review.computed_class == A
    review = move(officer, review, "submit")
    review = move(leader, review, "recognise")

    assert (review.state, review.recognised_class) == (S.RECOGNISED, A)
    assert steps(review) == [
        (S.DRAFT, S.SUBMITTED, officer.pk, ""),
        (S.SUBMITTED, S.RETURNED, leader.pk, "Kiểm tra lại thu nhập của hộ"),
        (S.RETURNED, S.SUBMITTED, officer.pk, ""),
        (S.SUBMITTED, S.RECOGNISED, leader.pk, ""),
    ]
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, income=100_000)
    assert vi(MSG_NOT_EDITABLE, state=vi("Recognised").lower()) in messages(exc)
    assert Review.objects.get(pk=review.pk).income == 1_600_000


def test_recognition_takes_the_agreed_class(officer, leader, review):
    review = save(officer, review, income=1_200_000, deprived=[1], class_override=P, class_reason="Họp thôn thống nhất")
    assert (review.computed_class, review.class_override) == (N, P)
    move(officer, review, "submit")
    review = move(leader, review, "recognise")
    assert review.recognised_class == P
    assert review.class_reason == "Họp thôn thống nhất"


def test_override_equal_to_the_computed_class_is_dropped(officer, review):
    review = save(officer, review, income=1_200_000, deprived=[1], class_override=N, class_reason="Không cần")
    assert (review.class_override, review.class_reason) == ("", "")


def test_wrong_state_transition_is_refused(leader, review):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        move(leader, review, "recognise")
    assert vi(MSG_WRONG_STATE, state=vi("Draft").lower(), action=vi("recognised")) in messages(exc)
    assert Review.objects.get(pk=review.pk).state == S.DRAFT


def test_officer_cannot_recognise(officer, review):
    save(officer, review)
    move(officer, review, "submit")
    with pytest.raises(PermissionDenied):
        move(officer, review, "recognise")
    with pytest.raises(PermissionDenied):
        move(officer, review, "return", comment="Tự trả lại")
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.recognised_class) == (S.SUBMITTED, "")
    assert len(steps(review)) == 1


def test_leader_cannot_edit_answers(leader, officer, household, review):
    before = snapshot(review)
    with pytest.raises(PermissionDenied):
        save(leader, review, income=2_000_000)
    with pytest.raises(PermissionDenied):
        move(leader, review, "submit")
    with pytest.raises(PermissionDenied):
        services.save_member(
            user=leader, household=household, full_name="Ai đó", birth_date=date(2000, 1, 1), sex="M", relation="other"
        )
    assert snapshot(review) == before


def test_user_of_another_commune_gets_404(vu_hoi_officer, vu_hoi_leader, officer, household, review):
    before = snapshot(review)
    with pytest.raises(Http404):
        save(vu_hoi_officer, review)
    with pytest.raises(Http404):
        move(vu_hoi_officer, review, "submit")
    with pytest.raises(Http404):
        services.start_review(user=vu_hoi_officer, household=household, year=2024, today=date(2024, 10, 1))
    with pytest.raises(Http404):
        services.save_member(
            user=vu_hoi_officer,
            household=household,
            full_name="X",
            birth_date=date(2000, 1, 1),
            sex="M",
            relation="other",
        )
    with pytest.raises(Http404):
        selectors.review_for(vu_hoi_officer, household.pk, 2025)
    save(officer, review)
    move(officer, review, "submit")
    with pytest.raises(Http404):
        move(vu_hoi_leader, Review.objects.get(pk=review.pk), "recognise")
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.recognised_class, before[0]["income"]) == (S.SUBMITTED, "", 0)


def test_user_of_another_commune_gets_404_whatever_the_state(vu_hoi_leader, review):
    with pytest.raises(Http404):
        move(vu_hoi_leader, review, "recognise")  # the review is a draft


def test_second_save_from_the_same_version_is_refused(officer, review):
    first = Review.objects.get(pk=review.pk)
    second = Review.objects.get(pk=review.pk)
    version = first.version
    save(officer, first, version=version, income=1_100_000, deprived=[1, 2, 3])
    with pytest.raises(services.ReviewChanged):
        save(officer, second, version=version, income=2_000_000, deprived=[])
    stored = Review.objects.get(pk=review.pk)
    assert (stored.income, stored.deprived, stored.computed_class) == (1_100_000, [1, 2, 3], P)
    assert stored.version == version + 1


def test_save_after_someone_submitted_is_refused(officer, review):
    stale = Review.objects.get(pk=review.pk)
    move(officer, review, "submit")
    with pytest.raises(services.ReviewChanged):
        save(officer, stale, version=stale.version, income=500_000)
    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.income) == (S.SUBMITTED, 0)


def test_repeated_indicators_count_once(officer, review):
    review = save(officer, review, income=1_200_000, deprived=[4, 4, 4, 7])
    assert (review.deprived, review.deprivation_count, review.computed_class) == ([4, 7], 2, N)


def test_urban_review_uses_the_urban_line(tree, make_user):
    ward = tree.commune("12433")
    ward_officer = make_user(Role.COMMUNE_OFFICER, ward)
    household = add_household(ward_officer, make_village(ward, "Tổ dân phố 3", urban=True), "12433-00003")
    review = services.start_review(user=ward_officer, household=household, year=2025, today=OPEN_2025)
    assert review.is_urban
    assert save(ward_officer, review, income=2_000_000, deprived=[1, 2, 3]).computed_class == P
    assert save(ward_officer, review, income=2_000_001, deprived=[1, 2, 3]).computed_class == A
    assert save(ward_officer, review, income=3_000_001, deprived=[]).computed_class == X


def test_2027_review_uses_the_2027_standard(officer, household):
    review = services.start_review(user=officer, household=household, year=2027, today=date(2027, 10, 1))
    assert review.standard.code == "chuan-2027"
    review = save(officer, review, today=date(2027, 10, 1), income=2_200_000, deprived=[1, 2, 3])
    assert review.computed_class == P
    assert ReviewPeriod.objects.get(year=2027).closes_on == date(2027, 12, 14)


# Starting a review -----------------------------------------------------------------------------------------


def test_start_review_prefills_from_last_year(officer, household):
    causes = list(PovertyCause.objects.order_by("order")[:2])
    last = services.start_review(user=officer, household=household, year=2024, today=date(2024, 10, 1))
    save(
        officer,
        last,
        today=date(2024, 10, 1),
        income=1_300_000,
        deprived=[2, 5, 9, 11],
        causes=causes,
        no_working_capacity=True,
        ethnic_minority=True,
    )
    review = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert review.pk != last.pk
    assert (review.year, review.state, review.standard.code, review.is_urban) == (2025, S.DRAFT, "nd07-2021", False)
    assert review.income == 1_300_000
    assert review.deprived == [2, 5, 9, 11]
    assert review.computed_class == P
    assert (
        review.no_working_capacity,
        review.social_protection,
        review.meritorious_service,
        review.ethnic_minority,
    ) == (
        True,
        False,
        False,
        True,
    )
    assert set(review.causes.all()) == set(causes)
    assert review.member_count == household.members.count() == 3
    # last year's review is kept as it was
    assert Review.objects.get(pk=last.pk).year == 2024


def test_first_review_starts_empty_and_a_second_start_returns_it(officer, household):
    review = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert (review.income, review.deprived, review.computed_class) == (0, [], N)
    again = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert again.pk == review.pk
    assert Review.objects.count() == 1


def test_household_without_members_cannot_start_a_review(officer, village):
    household = services.create_household(user=officer, village=village, code="13249-00002", head=head())
    services.remove_member(user=officer, member=household.members.get())
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert vi(MSG_NO_MEMBERS) in messages(exc)
    assert not Review.objects.exists()


def test_archived_household_cannot_start_a_review(officer, household):
    services.archive_household(user=officer, household=household, reason=ArchiveReason.MOVED_AWAY, on=date(2025, 3, 1))
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert vi(MSG_ARCHIVED) in messages(exc)
    assert not Review.objects.exists()


def test_archive_needs_a_reason_and_a_past_date(officer, household):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.archive_household(user=officer, household=household, reason="", on=date(2025, 3, 1))
    assert vi(MSG_ARCHIVE_REASON) in messages(exc, "reason")
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.archive_household(
            user=officer, household=household, reason=ArchiveReason.MERGED, on=date.today() + timedelta(days=1)
        )
    assert vi(MSG_DATE_FUTURE) in messages(exc, "on")
    assert Household.objects.get(pk=household.pk).is_active


# Bulk moves ------------------------------------------------------------------------------------------------


def test_bulk_transition_moves_the_eligible_and_counts_the_rest(officer, leader, village):
    reviews = []
    for i in range(4):
        household = add_household(officer, village, f"13249-0001{i}")
        reviews.append(services.start_review(user=officer, household=household, year=2025, today=OPEN_2025))
    move(officer, reviews[0], "submit")
    selected = Review.objects.filter(year=2025, household__village=village)

    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.bulk_transition(user=leader, reviews=selected, name="return", today=OPEN_2025)
    assert vi(MSG_NEEDS_COMMENT) in messages(exc, "comment")

    assert services.bulk_transition(user=officer, reviews=selected, name="submit", today=OPEN_2025) == (3, 1)
    assert set(selected.values_list("state", flat=True)) == {S.SUBMITTED}
    assert ReviewTransition.objects.filter(to_state=S.SUBMITTED, by=officer).count() == 4

    with pytest.raises(PermissionDenied):
        services.bulk_transition(user=officer, reviews=selected, name="recognise", today=OPEN_2025)
    assert set(selected.values_list("state", flat=True)) == {S.SUBMITTED}

    move(leader, Review.objects.get(pk=reviews[1].pk), "return", comment="Thiếu chỉ số")
    assert services.bulk_transition(user=leader, reviews=selected, name="recognise", today=OPEN_2025) == (3, 1)
    assert sorted(selected.values_list("state", flat=True)) == [S.RECOGNISED, S.RECOGNISED, S.RECOGNISED, S.RETURNED]
    assert set(selected.filter(state=S.RECOGNISED).values_list("recognised_class", flat=True)) == {N}


# Period locks and reopenings -------------------------------------------------------------------------------


@pytest.fixture
def reviews_in_two_communes(officer, leader, village, vu_hoi, vu_hoi_officer, vu_hoi_leader):
    """Song An: draft, submitted, returned, recognised; Vũ Hội: draft, recognised (all 2025)."""
    song_an = {}
    for n, state in enumerate((S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOGNISED)):
        household = add_household(officer, village, f"13249-0010{n}")
        review = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
        if state != S.DRAFT:
            move(officer, review, "submit")
        if state == S.RETURNED:
            move(leader, review, "return", comment="Bổ sung")
        if state == S.RECOGNISED:
            move(leader, review, "recognise")
        song_an[state] = review
    vu_hoi_village = make_village(vu_hoi, "Thôn Nam")
    vu_hoi_reviews = {}
    for n, state in enumerate((S.DRAFT, S.RECOGNISED)):
        household = add_household(vu_hoi_officer, vu_hoi_village, f"13255-0010{n}")
        review = services.start_review(user=vu_hoi_officer, household=household, year=2025, today=OPEN_2025)
        if state == S.RECOGNISED:
            move(vu_hoi_officer, review, "submit")
            move(vu_hoi_leader, review, "recognise")
        vu_hoi_reviews[state] = review
    return song_an, vu_hoi_reviews


def states(reviews):
    return {key: Review.objects.get(pk=r.pk).state for key, r in reviews.items()}


def test_lock_closed_periods_locks_every_open_review_once(reviews_in_two_communes):
    song_an, vu_hoi = reviews_in_two_communes
    assert services.lock_closed_periods(today=date(2025, 12, 14)) == 0  # last day of entry: still open
    assert states(song_an) == {s: s for s in song_an}

    assert services.lock_closed_periods(today=date(2025, 12, 15)) == 6
    assert set(states(song_an).values()) == set(states(vu_hoi).values()) == {S.LOCKED}
    for previous, review in [*song_an.items(), *vu_hoi.items()]:
        lock = ReviewTransition.objects.get(review=review, to_state=S.LOCKED)
        assert (lock.from_state, lock.by) == (previous, None)
    assert Review.objects.get(pk=song_an[S.RECOGNISED].pk).recognised_class == N

    transitions = ReviewTransition.objects.count()
    assert services.lock_closed_periods(today=date(2025, 12, 15)) == 0
    assert services.lock_closed_periods(today=date(2026, 6, 1)) == 0
    assert ReviewTransition.objects.count() == transitions


def test_only_closed_years_are_locked(officer, household):
    last = services.start_review(user=officer, household=household, year=2024, today=date(2024, 10, 1))
    current = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    assert services.lock_closed_periods(today=OPEN_2025) == 1
    assert Review.objects.get(pk=last.pk).state == S.LOCKED
    assert Review.objects.get(pk=current.pk).state == S.DRAFT


def test_locked_review_cannot_be_edited(officer, reviews_in_two_communes):
    song_an, _vu_hoi = reviews_in_two_communes
    services.lock_closed_periods(today=date(2025, 12, 15))
    review = Review.objects.get(pk=song_an[S.DRAFT].pk)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        save(officer, review, today=date(2025, 12, 15))
    assert vi(MSG_NOT_EDITABLE, state=vi("Locked").lower()) in messages(exc)


def test_only_an_administrator_can_reopen(officer, leader, song_an, reviews_in_two_communes):
    services.lock_closed_periods(today=date(2025, 12, 15))
    for user in (officer, leader):
        with pytest.raises(PermissionDenied):
            services.reopen_period(
                today=date(2025, 12, 16),
                user=user,
                year=2025,
                commune=song_an,
                until=date(2026, 1, 31),
                reason="Bổ sung",
            )
    assert not PeriodReopening.objects.exists()
    assert set(Review.objects.values_list("state", flat=True)) == {S.LOCKED}


def test_reopen_needs_a_reason_and_a_date_after_the_close(province_admin, song_an):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.reopen_period(
            today=date(2025, 12, 16),
            user=province_admin,
            year=2025,
            commune=song_an,
            until=date(2026, 1, 31),
            reason=" ",
        )
    assert vi(MSG_REOPEN_REASON) in messages(exc, "reason")
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.reopen_period(
            today=date(2025, 12, 16),
            user=province_admin,
            year=2025,
            commune=song_an,
            until=date(2025, 12, 14),
            reason="Bổ sung",
        )
    assert vi(MSG_REOPEN_UNTIL) in messages(exc, "until")
    assert not PeriodReopening.objects.exists()


def test_reopen_restores_locked_reviews_and_spares_the_commune(
    province_admin, officer, leader, vu_hoi_officer, song_an, reviews_in_two_communes
):
    song_an_reviews, vu_hoi_reviews = reviews_in_two_communes
    services.lock_closed_periods(today=date(2025, 12, 15))

    services.reopen_period(
        today=date(2025, 12, 16),
        user=province_admin,
        year=2025,
        commune=song_an,
        until=date(2026, 1, 31),
        reason="Hộ mới phát sinh",
    )
    assert states(song_an_reviews) == {s: s for s in song_an_reviews}
    assert set(states(vu_hoi_reviews).values()) == {S.LOCKED}
    assert Review.objects.get(pk=song_an_reviews[S.RECOGNISED].pk).recognised_class == N
    for previous, review in song_an_reviews.items():
        # by pk: the raw-SQL rows carry the transaction's start time, and the whole test is one transaction
        last = ReviewTransition.objects.filter(review=review).order_by("pk").last()
        assert (last.from_state, last.to_state, last.by, last.comment) == (
            S.LOCKED,
            previous,
            province_admin,
            "Hộ mới phát sinh",
        )

    # while reopened, the commune is spared and its officer and leader work as in the period
    assert services.lock_closed_periods(today=date(2026, 1, 10)) == 0
    draft = save(officer, Review.objects.get(pk=song_an_reviews[S.DRAFT].pk), today=date(2026, 1, 10), income=700_000)
    assert draft.income == 700_000
    recognised = move(
        leader, Review.objects.get(pk=song_an_reviews[S.SUBMITTED].pk), "recognise", today=date(2026, 1, 31)
    )
    assert recognised.state == S.RECOGNISED
    # the other commune stays closed
    with pytest.raises(ValidationError):
        services.start_review(
            user=vu_hoi_officer,
            household=add_household(
                vu_hoi_officer,
                make_village(vu_hoi_reviews[S.DRAFT].household.village.parent, "Thôn Tây"),
                "13255-00009",
            ),
            year=2025,
            today=date(2026, 1, 10),
        )

    # when the reopening ends, the next lock takes the commune's four reviews
    assert services.lock_closed_periods(today=date(2026, 2, 1)) == 4
    assert set(states(song_an_reviews).values()) == {S.LOCKED}


def test_reopening_until_a_past_day_is_refused(province_admin, song_an):
    with pytest.raises(ValidationError) as exc:
        services.reopen_period(
            user=province_admin,
            year=2025,
            commune=song_an,
            until=date(2026, 1, 31),
            reason="Bổ sung",
            today=date(2026, 2, 1),
        )
    assert messages(exc, "until") == [vi("Reopen until today or a later date.")]
    assert not PeriodReopening.objects.exists()
