"""In a real browser: Xã Song An's officer nominates a family (a registry household that escaped poverty) and an
individual with Vietnamese names, attaches the dossiers and the council's minutes and submits the list; Huyện Vũ
Thư's officer forwards both; DOLISA returns the individual with a comment; the commune sees it, corrects it and
submits again; the district forwards it; DOLISA selects both; the Emulation Board finds both eligible; then Xã Vũ
Hội nominates the same individual, typed without accents, and is stopped with a Vietnamese message."""

import pytest
from playwright.sync_api import Page, expect

from awards.models import AwardType, Nominee, NomineeKind, NomineeState, Occasion, OccasionKind
from movement import seed
from movement.models import Criterion
from tests.awards.conftest import escaped_household
from tests.e2e.awards_helpers import (
    add_family,
    add_individual,
    complete_dossier,
    open_awards,
    open_list,
    save_council,
    step_in_inbox,
)
from tests.e2e.test_accessibility import violations
from units.roles import Role


@pytest.mark.e2e
def test_a_commune_nominates_a_family_and_an_individual_up_to_the_boards_appraisal(
    page: Page, new_page, login, tree, make_user, media
):
    movement = seed.load_movement(seed.read()).movement
    song_an, vu_hoi, vu_thu = tree.commune("13249"), tree.commune("13255"), tree.district("344")
    household = escaped_household(song_an)
    family_award = AwardType.objects.create(
        code="bk-gia-dinh", name="Bằng khen của Chủ tịch UBND tỉnh (hộ gia đình)", nominee_kind=NomineeKind.FAMILY
    )
    person_award = AwardType.objects.create(
        code="bk-ca-nhan", name="Bằng khen của Chủ tịch UBND tỉnh (cá nhân)", nominee_kind=NomineeKind.INDIVIDUAL
    )
    occasion = Occasion.objects.create(
        movement=movement,
        code="tong-ket-2025",
        name="Tổng kết phong trào 2021–2025",
        kind=OccasionKind.FINAL,
        year=2025,
    )
    poor_household = Criterion.objects.filter(group__movement=movement, group__letter="e").order_by("order")[1]
    person_criterion = Criterion.objects.filter(group__movement=movement, group__letter="g").order_by("order")[0]
    make_user(Role.COMMUNE_OFFICER, song_an, username="canbo.songan", last_name="Lê Thị", first_name="Hoà")
    make_user(Role.COMMUNE_OFFICER, vu_hoi, username="canbo.vuhoi")
    make_user(Role.DISTRICT_OFFICER, vu_thu, username="ldtbxh.vuthu", last_name="Phạm Văn", first_name="Quyết")
    make_user(Role.DOLISA_STAFF, movement.lead_unit, username="sldtbxh.thidua", last_name="Đặng Thu", first_name="Hà")
    make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"), username="tdkt.ban")

    # The commune nominates the family that escaped poverty, then an individual.
    login(page, "canbo.songan")
    open_list(page, occasion, song_an)
    add_family(page, family_award, household.code, "Tích cực lao động sản xuất, thoát nghèo năm 2025.")
    expect(page.get_by_test_id("class-history")).to_contain_text("2024: Hộ nghèo → 2025: Hộ cận nghèo")
    complete_dossier(page, poor_household)
    add_individual(page, person_award, "Nguyễn Thị Hằng", position="Chủ tịch Hội Phụ nữ xã", cccd="034175001234")
    expect(page.get_by_test_id("nominee-title")).to_have_text("Nguyễn Thị Hằng")
    complete_dossier(page, person_criterion)

    # Submitting without the minutes is refused; with them, both go to the district.
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_role("alert").filter(has_text="Đính kèm biên bản họp")).to_be_visible()
    save_council(page)
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["huyện đang xem xét", "huyện đang xem xét"])
    assert violations(page) == []

    # The district forwards both.
    district = new_page()
    login(district, "ldtbxh.vuthu")
    open_awards(district)
    district.get_by_test_id("inbox-district").click()
    expect(district.get_by_test_id("inbox-row")).to_have_count(2)
    assert violations(district) == []
    step_in_inbox(district, "district", "forward", "Nguyễn Thị Hằng")
    step_in_inbox(district, "district", "forward", household.code)
    expect(district.get_by_test_id("inbox-empty")).to_be_visible()

    # DOLISA returns the individual with a comment (refused without one).
    dolisa = new_page()
    login(dolisa, "sldtbxh.thidua")
    dolisa.goto("/awards/inbox/dolisa/")
    row = dolisa.get_by_test_id("inbox-row").filter(has_text="Nguyễn Thị Hằng")
    row.get_by_test_id("step-return").click()
    expect(dolisa.get_by_role("alert").filter(has_text="Ghi rõ nội dung cần sửa.")).to_be_visible()
    step_in_inbox(dolisa, "dolisa", "return", "Nguyễn Thị Hằng", comment="Ghi rõ nơi công tác và chức vụ hiện nay.")

    # The commune sees where each nominee is, corrects the returned one and submits again.
    page.reload()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["Sở LĐ-TB&XH đang xem xét", "trả lại để hoàn thiện"])
    expect(page.get_by_test_id("nominee-last-comment")).to_have_text("Ghi rõ nơi công tác và chức vụ hiện nay.")
    page.get_by_test_id("nominee-link").filter(has_text="Nguyễn Thị Hằng").click()
    expect(page.get_by_test_id("history-comment")).to_have_text("Ghi rõ nơi công tác và chức vụ hiện nay.")
    assert violations(page) == []
    page.get_by_test_id("field-workplace").fill("Hội Liên hiệp Phụ nữ xã Song An")
    page.get_by_test_id("nominee-save").click()
    page.get_by_test_id("back-to-list").click()
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["Sở LĐ-TB&XH đang xem xét", "huyện đang xem xét"])

    # The district forwards it again; DOLISA selects both; the Board finds both eligible.
    step_in_inbox(district, "district", "forward", "Nguyễn Thị Hằng")
    step_in_inbox(dolisa, "dolisa", "select", "Nguyễn Thị Hằng")
    step_in_inbox(dolisa, "dolisa", "select", household.code)
    board = new_page()
    login(board, "tdkt.ban")
    open_awards(board)
    board.get_by_test_id("inbox-board").click()
    expect(board.get_by_test_id("claim")).to_have_count(2)
    step_in_inbox(board, "board", "approve", "Nguyễn Thị Hằng")
    step_in_inbox(board, "board", "approve", household.code)
    page.reload()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["đủ điều kiện", "đủ điều kiện"])
    assert set(Nominee.objects.values_list("state", flat=True)) == {NomineeState.ELIGIBLE}

    # Xã Vũ Hội nominates the same person, typed without accents: caught.
    other = new_page()
    login(other, "canbo.vuhoi")
    open_list(other, occasion, vu_hoi)
    add_individual(other, person_award, "Nguyen Thi Hang", position="Hội viên")
    expect(other.get_by_test_id("form-errors")).to_have_text(
        "“Nguyen Thi Hang” đã được Xã Song An đề nghị khen thưởng trong đợt Tổng kết phong trào 2021–2025."
    )
    assert Nominee.objects.count() == 2
