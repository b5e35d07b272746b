"""A returned review tells the commune's officers (who may EDIT_REGISTRY there) in their inbox, with the leader's
comment and a link to the review; a bulk return tells them once per commune."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, ngettext

from deadlines.models import Notification
from households import services
from households.models import Review, ReviewState
from units.roles import Role

from .conftest import OPEN_2025, add_household

COMMENT = "Kiểm tra lại chỉ số nhà ở và thu nhập của hộ"


def submitted(officer, village, code):
    household = add_household(officer, village, code)
    review = services.start_review(user=officer, household=household, year=2025, today=OPEN_2025)
    return services.transition(user=officer, review=review, name="submit", today=OPEN_2025)


def test_a_returned_review_notifies_the_communes_officers(officer, leader, village, vu_hoi, make_user, song_an):
    second = make_user(Role.COMMUNE_OFFICER, song_an, last_name="Đỗ Thị", first_name="Ngọc")
    elsewhere = make_user(Role.COMMUNE_OFFICER, vu_hoi)
    district = make_user(Role.DISTRICT_OFFICER, song_an.parent)
    review = submitted(officer, village, "13249-00042")
    assert not Notification.objects.exists()

    services.transition(user=leader, review=review, name="return", today=OPEN_2025, comment=COMMENT)

    with translation.override("vi"):
        title = gettext("Review %(year)s of household %(code)s returned for correction") % {
            "year": 2025,
            "code": "13249-00042",
        }
        body = gettext("%(who)s wrote: %(comment)s") % {"who": leader.get_full_name(), "comment": COMMENT}
    for user in (officer, second):
        notification = Notification.objects.get(recipient=user)
        assert (notification.title, notification.body, notification.url) == (title, body, review.get_absolute_url())
    assert not Notification.objects.filter(recipient__in=[leader, elsewhere, district]).exists()


def test_a_bulk_return_notifies_once_per_commune(officer, leader, village, song_an):
    reviews = [submitted(officer, village, f"13249-0010{n}") for n in range(3)]
    moved, skipped = services.bulk_transition(
        user=leader,
        reviews=Review.objects.filter(pk__in=[r.pk for r in reviews]),
        name="return",
        today=OPEN_2025,
        comment=COMMENT,
    )
    assert (moved, skipped) == (3, 0)
    notification = Notification.objects.get(recipient=officer)
    with translation.override("vi"):
        expected = ngettext(
            "%(count)d review returned for correction in %(commune)s",
            "%(count)d reviews returned for correction in %(commune)s",
            3,
        ) % {"count": 3, "commune": song_an.name}
    assert notification.title == expected
    assert notification.url == f"/households/?year=2025&state={ReviewState.RETURNED}"


def test_a_refused_return_notifies_nobody(officer, leader, village):
    review = submitted(officer, village, "13249-00043")
    with pytest.raises(ValidationError):
        services.transition(user=leader, review=review, name="return", today=OPEN_2025, comment="  ")
    assert not Notification.objects.exists()
