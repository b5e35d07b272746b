"""Registry input as real users type or paste it: invisible characters, endless comments, and numbers already used
by a household the officer may not see. Each gets a clear Vietnamese message and nothing is saved."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from deadlines.models import Reopening as PeriodReopening
from households import services
from households.forms import BulkForm, CommentForm, ReopenForm
from households.models import Household, Member, Review, ReviewState, ReviewTransition
from units.models import Unit
from units.roles import Role

from .conftest import CLOSED_2025, OPEN_2025, add_household, head, make_village

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN_NOW = datetime(2025, 10, 1, 12, tzinfo=HANOI)
UNSAFE = ["\u202e", "\u200b", "\u200e", "\ufeff", "\u2067", "\x00", "\x1b", "\x9b"]
TOO_LONG = ("Thu nhập chưa khớp với biên bản họp thôn. " * 48).strip()  # 2,015 characters


def invisible(char, position):
    return (
        f"Nội dung này có một ký tự ẩn hoặc ký tự điều khiển (U+{ord(char):04X}) ở vị trí {position}. Hãy gõ lại "
        "nội dung thay vì dán từ nơi khác."
    )


def too_long(text):
    return f"Tối đa 2000 ký tự (nội dung này có {len(text)} ký tự)."


def refused(call, field):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        call()
    return [str(m) for m in caught.value.message_dict[field]]


@pytest.fixture
def review(officer, household):
    return services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)


# 3. Invisible and control characters --------------------------------------------------------------------


@pytest.mark.parametrize("char", UNSAFE)
def test_a_household_code_or_address_with_an_invisible_character_is_refused(officer, village, char):
    assert refused(
        lambda: services.create_household(user=officer, village=village, code=f"SA{char}-001", head=head()), "code"
    ) == [invisible(char, 3)]
    assert refused(
        lambda: services.create_household(
            user=officer, village=village, code="SA-001", address=f"Số 5{char}, ngõ 7", head=head()
        ),
        "address",
    ) == [invisible(char, 5)]
    assert not Household.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize("char", UNSAFE)
@pytest.mark.parametrize("field", ["full_name", "ethnicity"])
def test_a_member_field_with_an_invisible_character_is_refused(officer, household, char, field):
    count = Member.objects.count()
    fields = {**head("Lê Thị Dung", relation="spouse", cccd=None), field: f"Mường{char} Thị"}
    assert refused(lambda: services.save_member(user=officer, household=household, **fields), field) == [
        invisible(char, 6)
    ]
    assert Member.objects.count() == count


@pytest.mark.parametrize("char", UNSAFE)
def test_a_comment_with_an_invisible_character_is_refused(officer, leader, review, char):
    services.transition(user=officer, review=review, name="submit", today=OPEN_2025)
    comment = f"Thu nhập{char} chưa đúng"
    assert refused(
        lambda: services.transition(user=leader, review=review, name="return", comment=comment, today=OPEN_2025),
        "comment",
    ) == [invisible(char, 9)]
    assert Review.objects.get().state == ReviewState.SUBMITTED
    assert ReviewTransition.objects.count() == 1


def test_the_reason_for_a_different_class_with_an_invisible_character_is_refused(officer, review):
    assert refused(
        lambda: services.save_review(
            user=officer,
            review=review,
            version=review.version,
            today=OPEN_2025,
            income=1_000_000,
            deprived=[1, 2, 3],
            class_override="near_poor",
            class_reason="Hộ có\u200b lương hưu",
        ),
        "class_reason",
    ) == [invisible("\u200b", 6)]
    assert Review.objects.get().class_override == ""


# 4. Comments have a length limit -------------------------------------------------------------------------


def test_a_comment_of_2000_characters_is_kept_and_a_longer_one_refused(officer, leader, review):
    services.transition(user=officer, review=review, name="submit", today=OPEN_2025)
    assert refused(
        lambda: services.transition(user=leader, review=review, name="return", comment=TOO_LONG, today=OPEN_2025),
        "comment",
    ) == [too_long(TOO_LONG)]
    assert Review.objects.get().state == ReviewState.SUBMITTED
    services.transition(user=leader, review=review, name="return", comment=TOO_LONG[:2000], today=OPEN_2025)
    assert ReviewTransition.objects.get(to_state=ReviewState.RETURNED).comment == TOO_LONG[:2000].strip()


def test_a_reason_for_reopening_over_2000_characters_is_refused(province_admin, song_an):
    assert refused(
        lambda: services.reopen_period(
            user=province_admin, year=2025, commune=song_an, until=date(2026, 1, 20), reason=TOO_LONG, today=CLOSED_2025
        ),
        "reason",
    ) == [too_long(TOO_LONG)]
    assert not PeriodReopening.objects.exists()


def test_a_reason_for_a_different_class_over_2000_characters_is_refused(officer, review):
    assert refused(
        lambda: services.save_review(
            user=officer,
            review=review,
            version=review.version,
            today=OPEN_2025,
            income=1_000_000,
            deprived=[1, 2, 3],
            class_override="near_poor",
            class_reason=TOO_LONG,
        ),
        "class_reason",
    ) == [too_long(TOO_LONG)]


@pytest.mark.parametrize(("form", "field"), [(CommentForm, "comment"), (ReopenForm, "reason"), (BulkForm, "comment")])
def test_the_comment_forms_refuse_what_the_services_refuse(form, field, song_an):
    kwargs = {"communes": Unit.objects.filter(pk=song_an.pk)} if form is ReopenForm else {}
    if form is BulkForm:
        kwargs = {"reviews": Review.objects.all()}
    with translation.override("vi"):
        bound = form({field: TOO_LONG}, **kwargs)
        assert not bound.is_valid()
        assert bound.errors[field] == [too_long(TOO_LONG)]
        bound = form({field: "Đã kiểm tra lại\u202e"}, **kwargs)
        assert not bound.is_valid()
        assert bound.errors[field] == [invisible("\u202e", 16)]


def test_a_returned_review_with_an_overlong_comment_is_not_moved(client, officer, leader, review):
    services.transition(user=officer, review=review, name="submit", today=OPEN_2025)
    client.force_login(leader)
    url = reverse("households:review_transition", args=[review.household.pk, 2025, "return"])
    with time_machine.travel(OPEN_NOW, tick=False):
        response = client.post(url, {"comment": TOO_LONG}, follow=True)
    assert too_long(TOO_LONG) in [str(m) for m in response.context["messages"]]
    assert Review.objects.get().state == ReviewState.SUBMITTED


def test_a_submitted_review_with_a_pasted_override_in_its_comment_is_not_moved(client, officer, review):
    client.force_login(officer)
    url = reverse("households:review_transition", args=[review.household.pk, 2025, "submit"])
    with time_machine.travel(OPEN_NOW, tick=False):
        response = client.post(url, {"comment": "Đã rà soát\u202e xong"}, follow=True)
    assert invisible("\u202e", 11) in [str(m) for m in response.context["messages"]]
    assert Review.objects.get().state == ReviewState.DRAFT and not ReviewTransition.objects.exists()


def test_a_bulk_recognition_with_an_overlong_comment_moves_nothing(client, officer, leader, review):
    services.transition(user=officer, review=review, name="submit", today=OPEN_2025)
    client.force_login(leader)
    with time_machine.travel(OPEN_NOW, tick=False):
        response = client.post(
            reverse("households:bulk", args=["recognise"]), {"reviews": [review.pk], "comment": TOO_LONG}, follow=True
        )
    assert too_long(TOO_LONG) in [str(m) for m in response.context["messages"]]
    assert Review.objects.get().state == ReviewState.SUBMITTED


# Units and users, in the administration site ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "value", "message"),
    [
        (Unit, "name", "Thôn Đông\u202e", invisible("\u202e", 10)),
        (Unit, "note", TOO_LONG, too_long(TOO_LONG)),
        (get_user_model(), "first_name", "Thu\u200bHương", invisible("\u200b", 4)),
    ],
)
def test_the_admin_forms_refuse_invisible_characters_and_endless_notes(tree, model, field, value, message):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("quantri", "quantri@thaibinh.gov.vn", "x")
    form_class = admin.site._registry[model].get_form(request, obj=model.objects.first())
    with translation.override("vi"):
        form = form_class({field: value})
        assert not form.is_valid()
        assert form.errors[field] == [message]


# 8. "Already used" tells only what the officer may see ---------------------------------------------------


def test_a_cccd_of_another_household_of_the_commune_names_that_household(officer, village, household):
    other = add_household(officer, village, "13249-00002", members=1)
    cccd = other.members.get().cccd
    assert refused(
        lambda: services.save_member(
            user=officer, household=household, **head("Lê Thị Dung", relation="spouse", cccd=cccd)
        ),
        "cccd",
    ) == [f"Số CCCD {cccd} đã được đăng ký cho một thành viên của hộ 13249-00002."]


def test_a_cccd_held_in_another_commune_is_refused_without_saying_where(officer, household, make_user, vu_hoi):
    vu_hoi_officer = make_user(Role.COMMUNE_OFFICER, vu_hoi)
    other = add_household(vu_hoi_officer, make_village(vu_hoi, "Thôn Đoài"), "13255-00001", members=1)
    cccd = other.members.get().cccd
    message = refused(
        lambda: services.save_member(
            user=officer, household=household, **head("Lê Thị Dung", relation="spouse", cccd=cccd)
        ),
        "cccd",
    )
    assert message == [
        f"Không thể dùng số CCCD {cccd}. Nếu số này đúng, hãy đề nghị huyện hoặc Sở LĐ-TB&XH kiểm tra sổ theo dõi."
    ]
    assert Member.objects.filter(full_name="Lê Thị Dung").count() == 0


def test_a_household_code_of_the_commune_names_where_it_lives(officer, village, household):
    assert refused(
        lambda: services.create_household(user=officer, village=village, code="13249-00001", head=head()), "code"
    ) == ["Mã hộ 13249-00001 đã được dùng cho một hộ ở Thôn Đông, Xã Song An."]


def test_a_household_code_of_another_commune_is_refused_without_saying_where(officer, village, vu_hoi):
    # A household numbered in Song An that has since moved to Vũ Hội, out of the Song An officer's sight.
    moved = add_household(officer, village, "13249-00009", members=1)
    Household.objects.filter(pk=moved.pk).update(village=make_village(vu_hoi, "Thôn Đoài"))
    households = Household.objects.count()
    assert refused(
        lambda: services.create_household(user=officer, village=village, code="13249-00009", head=head()), "code"
    ) == ["Không thể dùng mã hộ 13249-00009. Nếu mã này đúng, hãy đề nghị huyện hoặc Sở LĐ-TB&XH kiểm tra sổ theo dõi."]
    assert Household.objects.count() == households
