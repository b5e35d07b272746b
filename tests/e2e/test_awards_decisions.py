"""In a real browser: the Emulation Board, with two nominees it found eligible, proposes them to the Chairman,
records the Chairman's decision (number, date, signer), has the worker render the decision and downloads it: the
PDF's text holds the names, the bonus amounts and the total."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import Award, NomineeKind, NomineeState

from ..awards.decisions_fixtures import *  # noqa: F403
from ..awards.decisions_fixtures import SONG_AN, vn
from .awards_helpers import download_decision, propose_to_chairman, record_decision


@pytest.fixture
def two_eligible(final_review, tree, make_nominee, board_user):
    song_an = tree.commune(SONG_AN)
    appraised = timezone.localtime() - timedelta(days=2)
    return [
        make_nominee(
            final_review,
            song_an,
            NomineeKind.INDIVIDUAL,
            NomineeState.ELIGIBLE,
            appraised=vn(appraised.year, appraised.month, appraised.day, 9),
            full_name="Nguyễn Thị Hồng Nhung",
            position="Chủ tịch Hội Liên hiệp Phụ nữ xã",
        ),
        make_nominee(
            final_review,
            song_an,
            NomineeKind.FAMILY,
            NomineeState.ELIGIBLE,
            appraised=vn(appraised.year, appraised.month, appraised.day, 9),
            full_name="Đặng Văn Thưởng",
        ),
    ]


@pytest.mark.e2e
def test_the_board_proposes_decides_and_downloads_the_decision(
    page: Page, login, final_review, two_eligible, celery_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    login(page, "tdkt.test")
    propose_to_chairman(page, final_review, [nominee.full_name for nominee in two_eligible])
    record_decision(page, 123, today, "Nguyễn Khắc Thận", "Phó Chủ tịch")

    # 1.5 and 2.25 × 2,340,000, rounded up to the next 10,000 đồng.
    expect(page.get_by_test_id("decision-awards")).to_contain_text("3.510.000")
    expect(page.get_by_test_id("decision-total")).to_contain_text("8.780.000")
    assert sorted(Award.objects.values_list("bonus", flat=True)) == [3_510_000, 5_270_000]

    text = download_decision(page)
    assert "Số: 123/QĐ-UBND" in text
    assert f"Thái Bình, ngày {today.day:02d} tháng" in text
    assert "Nguyễn Thị Hồng Nhung" in text and "Hộ gia đình ông (bà) Đặng Văn Thưởng" in text
    assert "3.510.000" in text and "5.270.000" in text and "Tổng cộng (2) 8.780.000" in text
    assert "KT. CHỦ TỊCH" in text and "Nguyễn Khắc Thận" in text
