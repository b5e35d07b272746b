"""In a real browser: the Emulation Board, with two nominees it found eligible, proposes them to the Chairman,
records the Chairman's decision (number, date, signer), has the worker render the decision and downloads it: the
PDF's text holds the names, the bonus amounts and the total."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from awards.models import Award, NomineeKind, NomineeState

from ..awards.decisions_fixtures import *  # noqa: F403
from ..awards.decisions_fixtures import SONG_AN, vn


def _text(path):
    with open(path, "rb") as handle:
        data = handle.read()
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


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
    page: Page, login, two_eligible, celery_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    login(page, "tdkt.test")
    page.goto("/awards/proposals/")
    page.get_by_test_id("new-board-proposal").click()
    form = page.get_by_test_id("proposal-form")
    for nominee in two_eligible:
        form.get_by_label(nominee.full_name, exact=False).check()
    page.get_by_test_id("proposal-submit").click()

    expect(page.get_by_test_id("proposal-nominees")).to_contain_text("Nguyễn Thị Hồng Nhung")
    page.get_by_test_id("decision-number").fill("123")
    page.get_by_test_id("decision-signed-on").fill(today.isoformat())
    page.get_by_test_id("decision-signer").fill("Nguyễn Khắc Thận")
    page.get_by_test_id("decision-signer-title").fill("Phó Chủ tịch")
    page.get_by_test_id("decision-submit").click()

    # 1.5 and 2.25 × 2,340,000, rounded up to the next 10,000 đồng.
    expect(page.get_by_test_id("decision-awards")).to_contain_text("3.510.000")
    expect(page.get_by_test_id("decision-total")).to_contain_text("8.780.000")
    assert sorted(Award.objects.values_list("bonus", flat=True)) == [3_510_000, 5_270_000]

    page.get_by_test_id("decision-pdf").click()
    expect(page.get_by_test_id("document-ready")).to_be_visible(timeout=90_000)
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    text = _text(download.value.path())
    assert "Số: 123/QĐ-UBND" in text
    assert f"Thái Bình, ngày {today.day:02d} tháng" in text
    assert "Nguyễn Thị Hồng Nhung" in text and "Hộ gia đình ông (bà) Đặng Văn Thưởng" in text
    assert "3.510.000" in text and "5.270.000" in text and "Tổng cộng (2) 8.780.000" in text
    assert "KT. CHỦ TỊCH" in text and "Nguyễn Khắc Thận" in text
