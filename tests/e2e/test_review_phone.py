"""The review form on a phone: the class computed from the answers stays in sight while the indicators scroll by.

The 2025 review period (01/09 - 14/12/2025) is closed today, so the test travels to 15 October 2025 first (see
test_registry_journey for why the session cookies become browser-session cookies).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from households import services
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

MID_OCTOBER_2025 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def review(settings, tree, make_user):
    """A 2025 draft of a household in Xã Song An, started with an income under the poverty line and no deprivation."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(MID_OCTOBER_2025, tick=True):
        song_an = tree.commune("13249")
        officer = make_user(
            Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Vũ Thị", first_name="Huệ"
        )
        village = Unit.objects.create(
            kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Nguyệt Lâm", parent=song_an
        )
        household = services.create_household(
            user=officer,
            village=village,
            code="13249-00061",
            head={"full_name": "Quách Thị Thuỳ Dương", "birth_date": date(1991, 8, 17), "sex": "F"},
        )
        draft = services.start_review(user=officer, household=household, year=2025, today=MID_OCTOBER_2025.date())
        services.save_review(
            user=officer,
            review=draft,
            version=draft.version,
            today=MID_OCTOBER_2025.date(),
            income=1_200_000,
            deprived=[1, 2],
        )
        yield draft


@pytest.mark.e2e
def test_the_live_class_stays_in_sight_while_ticking_the_last_indicator_on_a_phone(page, login, review):
    page.set_viewport_size(PHONE)
    login(page, "canbo.songan")
    page.goto(f"/households/{review.household_id}/reviews/2025/")
    live_class = page.get_by_test_id("live-class")
    count = page.get_by_test_id("deprivation-count")
    expect(live_class).to_have_text("Hộ cận nghèo")
    expect(count).to_have_text("2")

    last = page.locator("input[name=deprived]").last
    last.scroll_into_view_if_needed()
    expect(page.get_by_test_id("income-field")).not_to_be_in_viewport()  # the top of the form is out of sight
    last.check()
    expect(count).to_have_text("3")
    expect(live_class).to_have_text("Hộ nghèo")
    expect(live_class).to_be_in_viewport()
    expect(count).to_be_in_viewport()
    bar = page.get_by_test_id("live-class-bar").bounding_box()
    box = last.bounding_box()
    assert bar["y"] >= 0 and bar["y"] + bar["height"] <= PHONE["height"], bar
    assert box["y"] >= bar["y"] + bar["height"] or box["y"] + box["height"] <= bar["y"], "the bar hides no box"
