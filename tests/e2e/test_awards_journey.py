"""The whole awards journey in one Chromium session, over the catalogue `load_awards` loads (award types, dated
multiples and base salaries, the final review of Plan 119): Xã Song An nominates the family of Trần Văn Bình (a
registry household that escaped poverty) and Nguyễn Thị Hồng Nhung; Huyện Vũ Thư forwards them; DOLISA returns
her with a comment, the commune corrects and resubmits, and DOLISA selects both; the Emulation Board finds both
eligible and proposes them to the Chairman; the Board records the decision (number, date, signer), the worker
renders it and its PDF holds the names and the bonuses; the award registry finds both by names typed without
accents and the household's page shows its award; then Xã Vũ Hội nominates her again, typed without accents with
the same year of birth, and is stopped with a Vietnamese message."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import Award, Nominee, NomineeKind, NomineeState
from households.models import Member
from movement.models import Criterion
from tests.awards.conftest import People, escaped_household
from tests.awards.decisions_fixtures import *  # noqa: F403 (the catalogue's fixtures)
from tests.awards.decisions_fixtures import award_type
from tests.e2e.awards_helpers import (
    add_family,
    add_individual,
    complete_dossier,
    download_decision,
    open_awards,
    open_list,
    propose_to_chairman,
    record_decision,
    save_council,
    step_in_inbox,
)

PERSON = "Nguyễn Thị Hồng Nhung"
HEAD = "Trần Văn Bình"
RETURN_COMMENT = "Ghi rõ nơi công tác và chức vụ hiện nay."


@pytest.fixture
def journey(final_review, tree, make_user, movement):
    """The catalogue's final review, still open (the administrator extended its closing day), the people of the
    route, and Xã Song An's household headed by Trần Văn Bình: poor in 2024, near-poor in 2025."""
    final_review.closes_on = timezone.localdate() + timedelta(days=30)
    final_review.save(update_fields=["closes_on"])
    people = People(tree, make_user, movement)
    household = escaped_household(people.song_an, code="13249-00021")
    Member.objects.create(household=household, full_name=HEAD, birth_date=date(1968, 5, 1), sex="M", relation="head")
    return people, household


@pytest.mark.e2e
def test_from_the_communes_nomination_to_the_registry_and_the_duplicate_check(
    page: Page, new_page, login, journey, final_review, movement, media, celery_worker
):
    people, household = journey
    family_award, person_award = award_type(NomineeKind.FAMILY), award_type(NomineeKind.INDIVIDUAL)
    family_criterion = Criterion.objects.filter(group__movement=movement, group__letter="e").order_by("order")[1]
    person_criterion = Criterion.objects.filter(group__movement=movement, group__letter="g").order_by("order")[0]

    # Xã Song An nominates the family that escaped poverty and the individual, then submits its list.
    login(page, people.commune.username)
    open_list(page, final_review, people.song_an)
    add_family(page, family_award, household.code, "Tích cực lao động sản xuất, thoát nghèo năm 2025.")
    expect(page.get_by_test_id("class-history")).to_contain_text("2024: Hộ nghèo → 2025: Hộ cận nghèo")
    complete_dossier(page, family_criterion)
    add_individual(page, person_award, PERSON, position="Chủ tịch Hội Phụ nữ xã", cccd="034175001234")
    expect(page.get_by_test_id("nominee-title")).to_have_text(PERSON)
    complete_dossier(page, person_criterion)
    save_council(page)
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["huyện đang xem xét", "huyện đang xem xét"])

    # Huyện Vũ Thư forwards both to DOLISA.
    district = new_page()
    login(district, people.district.username)
    open_awards(district)
    district.get_by_test_id("inbox-district").click()
    expect(district.get_by_test_id("inbox-row")).to_have_count(2)
    step_in_inbox(district, "district", "forward", PERSON)
    step_in_inbox(district, "district", "forward", household.code)

    # DOLISA returns the individual with a comment; the commune sees it, corrects her dossier and submits again.
    dolisa = new_page()
    login(dolisa, people.dolisa.username)
    step_in_inbox(dolisa, "dolisa", "return", PERSON, comment=RETURN_COMMENT)
    page.reload()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["Sở LĐ-TB&XH đang xem xét", "trả lại để hoàn thiện"])
    expect(page.get_by_test_id("nominee-last-comment")).to_have_text(RETURN_COMMENT)
    page.get_by_test_id("nominee-link").filter(has_text=PERSON).click()
    page.get_by_test_id("field-workplace").fill("Hội Liên hiệp Phụ nữ xã Song An")
    page.get_by_test_id("nominee-save").click()
    page.get_by_test_id("back-to-list").click()
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["Sở LĐ-TB&XH đang xem xét", "huyện đang xem xét"])

    # The district forwards the corrected one; DOLISA selects it and the family.
    step_in_inbox(district, "district", "forward", PERSON)
    step_in_inbox(dolisa, "dolisa", "select", PERSON)
    step_in_inbox(dolisa, "dolisa", "select", household.code)

    # The Emulation Board finds both eligible and proposes them to the Chairman.
    board = new_page()
    login(board, people.board.username)
    step_in_inbox(board, "board", "approve", PERSON)
    step_in_inbox(board, "board", "approve", household.code)
    propose_to_chairman(board, final_review, [PERSON, household.code])

    # The Chairman's decision is recorded: 1.5 and 2.25 × 2,340,000 đ (the base salary on the day it is signed,
    # after 01/07/2025), rounded up to the next 10,000 đ.
    today = timezone.localdate()
    record_decision(board, 245, today, "Nguyễn Khắc Thận", "Phó Chủ tịch")
    awards = board.get_by_test_id("decision-awards")
    expect(awards.locator("tbody tr").filter(has_text=PERSON)).to_contain_text("3.510.000")
    expect(awards.locator("tbody tr").filter(has_text=HEAD)).to_contain_text("5.270.000")
    expect(board.get_by_test_id("decision-total")).to_contain_text("8.780.000")
    assert dict(Award.objects.values_list("name", "bonus")) == {PERSON: 3_510_000, HEAD: 5_270_000}

    # The worker renders the decision; its PDF names both with their bonuses.
    text = download_decision(board)
    assert "Số: 245/QĐ-UBND" in text
    assert f"Thái Bình, ngày {today.day:02d} tháng" in text
    assert f"Kèm theo Quyết định số 245/QĐ-UBND ngày {today:%d/%m/%Y}" in text
    assert PERSON in text and f"Hộ gia đình ông (bà) {HEAD}" in text
    assert "3.510.000" in text and "5.270.000" in text and "Tổng cộng (2) 8.780.000" in text
    assert "Nguyễn Khắc Thận" in text

    # The commune sees both awarded.
    page.reload()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["đã được khen thưởng", "đã được khen thưởng"])

    # The award registry finds each by a name typed without accents; the household's page shows its award.
    board.goto("/awards/registry/")
    filters = board.get_by_test_id("registry-filters")
    for typed, name in (("nguyen thi hong nhung", PERSON), ("TRAN VAN BINH", HEAD)):
        filters.get_by_test_id("registry-q").fill(typed)
        filters.get_by_test_id("registry-search").click()
        expect(board.get_by_test_id("registry-name")).to_have_text([name])
        expect(board.get_by_test_id("registry-decision")).to_contain_text("245/QĐ-UBND")
    page.goto(household.get_absolute_url())
    expect(page.get_by_test_id("household-award-row")).to_contain_text("245/QĐ-UBND")

    # Xã Vũ Hội nominates her again for the final review, typed without accents, same year of birth: caught.
    other = new_page()
    login(other, people.other_commune.username)
    open_list(other, final_review, people.vu_hoi)
    add_individual(other, person_award, "Nguyen Thi Hong Nhung", position="Hội viên")
    errors = other.get_by_test_id("form-errors")
    typed, occasion = "“Nguyen Thi Hong Nhung”", "Tổng kết Phong trào giai đoạn 2021-2025"
    expect(errors).to_contain_text(f"{typed} đã được Xã Song An đề nghị khen thưởng trong đợt {occasion}.")
    expect(errors).to_contain_text(f"{typed} đã được khen thưởng trong đợt {occasion} (sổ khen thưởng).")
    assert Nominee.objects.count() == 2
    assert set(Nominee.objects.values_list("state", flat=True)) == {NomineeState.DECIDED}
