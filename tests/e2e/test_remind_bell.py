"""In a real browser: the morning's reminder reaches a commune officer whose commune has not filed its report —
the bell shows the count, the list shows the reminder naming the commune, and marking it read clears the bell.
An officer of a commune that has delivered sees no reminder."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from deadlines import services
from deadlines.models import Deadline, DeadlineKind, Fulfilment
from units.choices import UnitKind
from units.roles import Action, Role

TITLE = "Báo cáo kết quả thực hiện Phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại phía sau”"


@pytest.mark.e2e
def test_a_user_sees_the_reminder_in_the_bell_opens_the_list_and_marks_it_read(
    page: Page, new_page, login, tree, make_user
):
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    today = timezone.localdate()
    due = today + timedelta(days=3)
    report = Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT,
        year=due.year,
        title=TITLE,
        due_on=due,
        action=Action.REPORT,
        unit_kinds=[UnitKind.COMMUNE],
        within=song_an.parent,
    )
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Nguyễn Thị", first_name="Huyền")
    make_user(Role.COMMUNE_OFFICER, vu_hoi, username="canbo.vuhoi", last_name="Phạm Văn", first_name="Đức")
    Fulfilment.objects.create(deadline=report, unit=vu_hoi, at=timezone.now())
    assert services.send_deadline_reminders(deadline=report, today=today) > 0  # the job, for this deadline

    login(page, "canbo.songan")
    bell = page.get_by_test_id("bell")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", re.compile(r"1"))
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    item = page.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-read", "false")
    expect(item.get_by_test_id("notification-link")).to_contain_text(TITLE)
    expect(item.get_by_test_id("notification-link")).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(item).to_contain_text(song_an.name)

    item.get_by_test_id("mark-read").click()
    expect(page.get_by_test_id("notification")).to_have_attribute("data-read", "true")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    expect(page.get_by_test_id("mark-read")).to_have_count(0)

    other = new_page()
    login(other, "canbo.vuhoi")
    expect(other.get_by_test_id("bell")).to_be_visible()
    expect(other.get_by_test_id("bell-count")).to_have_count(0)
