"""In a real browser: Xã Song An's officer nominates a family (a registry household that escaped poverty) and an
individual with Vietnamese names, attaches the dossiers and the council's minutes and submits the list; Huyện Vũ
Thư's officer forwards both; DOLISA returns the individual with a comment; the commune sees it, corrects it and
submits again; the district forwards it; DOLISA selects both; the Emulation Board finds both eligible; then Xã Vũ
Hội nominates the same individual, typed without accents, and is stopped with a Vietnamese message."""

import re

import pytest
from playwright.sync_api import Page, expect

from awards.models import AwardType, Nominee, NomineeKind, NomineeState, Occasion, OccasionKind
from movement import seed
from movement.models import Criterion
from tests.awards.conftest import escaped_household, pdf_bytes
from tests.e2e.test_accessibility import violations
from units.roles import Role


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _open_awards(page: Page):
    page.get_by_test_id("nav-awards").click()
    expect(page).to_have_url(re.compile(r"/awards/$"))


def _open_list(page: Page, occasion, unit):
    _open_awards(page)
    page.get_by_test_id("open-occasion").select_option(str(occasion.pk))
    page.get_by_test_id("open-unit").select_option(str(unit.pk))
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("nomination-title")).to_contain_text(unit.name)


def _complete_dossier(page: Page, criterion):
    page.get_by_test_id("attach-kind").select_option("achievement")
    page.get_by_test_id("attach-input").set_input_files(_pdf("Báo cáo thành tích.pdf"))
    page.get_by_test_id("attach-submit").click()
    expect(page.get_by_test_id("nominee-files")).to_contain_text("Báo cáo thành tích.pdf")
    page.get_by_test_id("claim-criterion").select_option(str(criterion.pk))
    page.get_by_test_id("claim-statement").fill("Tích cực lao động sản xuất, vươn lên thoát nghèo.")
    page.get_by_test_id("claim-add").click()
    expect(page.get_by_test_id("claim")).to_have_count(1)
    page.get_by_test_id("back-to-list").click()


def _add_individual(page: Page, award, full_name, **fields):
    form = page.get_by_test_id("nominee-form")
    form.get_by_test_id("field-kind").select_option("individual")
    form.get_by_test_id("field-award_type").select_option(str(award.pk))
    form.get_by_test_id("field-full_name").fill(full_name)
    form.get_by_test_id("field-birth_year").fill("1975")
    form.get_by_test_id("field-sex").select_option("F")
    for name, value in fields.items():
        form.get_by_test_id(f"field-{name}").fill(value)
    form.get_by_test_id("field-achievements").fill("Vận động 12 hộ nghèo vay vốn, giúp 5 hộ thoát nghèo.")
    form.get_by_test_id("nominee-save").click()


def _step_in_inbox(page: Page, stage, name, who, comment=None):
    page.goto(f"/awards/inbox/{stage}/")
    row = page.get_by_test_id("inbox-row").filter(has_text=who)
    if comment is not None:
        row.get_by_test_id(f"step-comment-{name}").fill(comment)
    row.get_by_test_id(f"step-{name}").click()
    expect(page.get_by_role("alert").filter(has_text=who)).to_be_visible()


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
    _open_list(page, occasion, song_an)
    form = page.get_by_test_id("nominee-form")
    form.get_by_test_id("field-kind").select_option("family")
    form.get_by_test_id("field-award_type").select_option(str(family_award.pk))
    form.get_by_test_id("field-household_code").fill(household.code)
    form.get_by_test_id("field-achievements").fill("Tích cực lao động sản xuất, thoát nghèo năm 2025.")
    form.get_by_test_id("nominee-save").click()
    expect(page.get_by_test_id("class-history")).to_contain_text("2024: Hộ nghèo → 2025: Hộ cận nghèo")
    _complete_dossier(page, poor_household)
    _add_individual(page, person_award, "Nguyễn Thị Hằng", position="Chủ tịch Hội Phụ nữ xã", cccd="034175001234")
    expect(page.get_by_test_id("nominee-title")).to_have_text("Nguyễn Thị Hằng")
    _complete_dossier(page, person_criterion)

    # Submitting without the minutes is refused; with them, both go to the district.
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_role("alert").filter(has_text="Đính kèm biên bản họp")).to_be_visible()
    page.get_by_test_id("votes-for").fill("7")
    page.get_by_test_id("votes-total").fill("9")
    page.get_by_test_id("minutes-input").set_input_files(_pdf("Biên bản họp Hội đồng.pdf"))
    page.get_by_test_id("council-save").click()
    expect(page.get_by_test_id("minutes-link")).to_contain_text("Biên bản họp Hội đồng.pdf")
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["huyện đang xem xét", "huyện đang xem xét"])
    assert violations(page) == []

    # The district forwards both.
    district = new_page()
    login(district, "ldtbxh.vuthu")
    _open_awards(district)
    district.get_by_test_id("inbox-district").click()
    expect(district.get_by_test_id("inbox-row")).to_have_count(2)
    assert violations(district) == []
    _step_in_inbox(district, "district", "forward", "Nguyễn Thị Hằng")
    _step_in_inbox(district, "district", "forward", household.code)
    expect(district.get_by_test_id("inbox-empty")).to_be_visible()

    # DOLISA returns the individual with a comment (refused without one).
    dolisa = new_page()
    login(dolisa, "sldtbxh.thidua")
    dolisa.goto("/awards/inbox/dolisa/")
    row = dolisa.get_by_test_id("inbox-row").filter(has_text="Nguyễn Thị Hằng")
    row.get_by_test_id("step-return").click()
    expect(dolisa.get_by_role("alert").filter(has_text="Ghi rõ nội dung cần sửa.")).to_be_visible()
    _step_in_inbox(dolisa, "dolisa", "return", "Nguyễn Thị Hằng", comment="Ghi rõ nơi công tác và chức vụ hiện nay.")

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
    _step_in_inbox(district, "district", "forward", "Nguyễn Thị Hằng")
    _step_in_inbox(dolisa, "dolisa", "select", "Nguyễn Thị Hằng")
    _step_in_inbox(dolisa, "dolisa", "select", household.code)
    board = new_page()
    login(board, "tdkt.ban")
    _open_awards(board)
    board.get_by_test_id("inbox-board").click()
    expect(board.get_by_test_id("claim")).to_have_count(2)
    _step_in_inbox(board, "board", "approve", "Nguyễn Thị Hằng")
    _step_in_inbox(board, "board", "approve", household.code)
    page.reload()
    expect(page.get_by_test_id("nominee-state")).to_have_text(["đủ điều kiện", "đủ điều kiện"])
    assert set(Nominee.objects.values_list("state", flat=True)) == {NomineeState.ELIGIBLE}

    # Xã Vũ Hội nominates the same person, typed without accents: caught.
    other = new_page()
    login(other, "canbo.vuhoi")
    _open_list(other, occasion, vu_hoi)
    _add_individual(other, person_award, "Nguyen Thi Hang", position="Hội viên")
    expect(other.get_by_test_id("form-errors")).to_have_text(
        "“Nguyen Thi Hang” đã được Xã Song An đề nghị khen thưởng trong đợt Tổng kết phong trào 2021–2025."
    )
    assert Nominee.objects.count() == 2
