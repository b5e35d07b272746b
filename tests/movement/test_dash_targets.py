"""The targets page and the targets import: DOLISA sets whole numbers for the province, its districts and a
district's communes; anything else is refused with a Vietnamese message per row and nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from imports import pipeline
from imports import services as import_services
from movement.models import Target
from movement.services.targets import TargetEntry, set_targets
from units.models import Unit
from units.roles import Role

URL = reverse("movement:targets")


@pytest.fixture
def dolisa(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))


def districts(tree):
    return list(Unit.objects.current().filter(parent=tree.province, kind="district").order_by("code"))


def targets(movement):
    return {
        t.unit_id: (t.yearly_min, t.yearly_max, t.final_reduction) for t in Target.objects.filter(movement=movement)
    }


def post(client, unit, values):
    data = {}
    for u, (low, high, final) in values.items():
        data.update({f"yearly_min-{u.pk}": low, f"yearly_max-{u.pk}": high, f"final_reduction-{u.pk}": final})
    return client.post(f"{URL}?unit={unit.pk}", data)


def test_dolisa_sets_the_province_and_district_targets(client, dolisa, movement, tree):
    client.force_login(dolisa)
    page = client.get(URL)
    assert page.status_code == 200
    rows = page.context["form"].rows
    assert [row.unit for row in rows] == [tree.province, *districts(tree)], "the province, then each district"
    vu_thu, dong_hung = tree.district("344"), tree.district("343")
    answer = post(
        client,
        tree.province,
        {tree.province: ("1100", "1 600", ""), vu_thu: ("120", "180", "400"), dong_hung: ("0", "", "")},
    )
    assert answer.status_code == 302
    assert targets(movement) == {
        tree.province.pk: (1100, 1600, None),
        vu_thu.pk: (120, 180, 400),
        dong_hung.pk: (0, None, None),
    }


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (("1.5", "", ""), "“1.5” không phải là số nguyên (số hộ)."),
        (("abc", "", ""), "“abc” không phải là một số."),
        (("", "-4", ""), "Số hộ không thể là số âm (“-4”)."),
        (("200", "150", ""), "Mức giảm tối thiểu hằng năm (200) lớn hơn mức tối đa (150)."),
        (("", "", "１２"), "“１２” không phải là một số."),
    ],
)
def test_a_bad_row_is_refused_in_vietnamese_and_nothing_is_saved(client, dolisa, movement, tree, bad, message):
    client.force_login(dolisa)
    vu_thu, dong_hung = tree.district("344"), tree.district("343")
    before = targets(movement)
    answer = post(client, tree.province, {vu_thu: ("120", "180", "400"), dong_hung: bad})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Chưa lưu gì: hãy sửa các dòng được đánh dấu bên dưới." in html
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in html or message in html
    assert f'data-testid="target-error-{dong_hung.pk}"' in html
    assert f'data-testid="target-error-{vu_thu.pk}"' not in html
    assert targets(movement) == before, "the good row is not saved either"


def test_a_districts_communes_have_their_own_table(client, dolisa, movement, tree):
    client.force_login(dolisa)
    vu_thu = tree.district("344")
    page = client.get(URL, {"unit": vu_thu.pk})
    communes = [row.unit for row in page.context["form"].rows]
    assert tree.commune("13249") in communes and all(c.parent_id == vu_thu.pk for c in communes)
    song_an = tree.commune("13249")
    assert post(client, vu_thu, {song_an: ("3", "5", "12")}).status_code == 302
    assert targets(movement)[song_an.pk] == (3, 5, 12)
    assert client.get(URL, {"unit": song_an.pk}).status_code == 404, "a commune has no table of its own"


def test_only_steering_roles_reach_the_page(client, make_user, movement, tree):
    board = make_user(Role.EMULATION_BOARD, tree.province)
    district = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    client.force_login(board)
    assert client.get(URL).status_code == 404
    client.force_login(district)
    assert client.get(URL, {"unit": tree.district("344").pk}).status_code == 404
    assert post(client, tree.district("344"), {tree.commune("13249"): ("1", "2", "3")}).status_code == 404
    assert targets(movement) == {tree.province.pk: (1000, 1500, None)}


def test_the_service_refuses_another_provinces_unit_and_saves_nothing(dolisa, movement, tree):
    from django.core.exceptions import ValidationError

    vu_thu = tree.district("344")
    village = Unit.objects.create(kind="village", name="Thôn Đông", parent=tree.commune("13249"))
    with pytest.raises(ValidationError) as caught:
        set_targets(
            user=dolisa,
            movement=movement,
            entries=[TargetEntry(vu_thu, 1, 2, 3), TargetEntry(village, 5, 4, None)],
        )
    assert set(caught.value.message_dict) == {str(village.pk)}
    assert len(caught.value.message_dict[str(village.pk)]) == 2
    assert vu_thu.pk not in targets(movement)


# The Excel import -------------------------------------------------------------------------------------------


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["CHỈ TIÊU GIẢM NGHÈO"])
    sheet.append([])
    sheet.append(
        [
            "Mã đơn vị (mã thống kê)",
            "Tên đơn vị",
            "Số hộ nghèo giảm mỗi năm, tối thiểu",
            "Số hộ nghèo giảm mỗi năm, tối đa",
            "Số hộ nghèo giảm đến cuối giai đoạn",
        ]
    )
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("chi-tieu.xlsx", buffer.getvalue(), content_type="application/octet-stream")


def run_import(user, unit, rows, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = import_services.create_job(user=user, kind="targets", unit=unit, upload=workbook(rows), mode="all_or_nothing")
    pipeline.validate(job.pk)
    job.refresh_from_db()
    return job


def test_targets_import_through_the_pipeline(dolisa, movement, tree, settings, tmp_path):
    vu_thu, song_an = tree.district("344"), tree.commune("13249")
    rows = [
        ("34", "Tỉnh Thái Bình", 1200, 1400, None),
        ("344", "huyen vu thu", "150", 200.0, 500),
        (13249, "Xã Song An", 4, 6, None),
    ]
    job = run_import(dolisa, tree.province, rows, settings, tmp_path)
    assert job.state == "validated", (job.error, list(job.row_errors.values_list("message", flat=True)))
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (2, 1, 0)
    import_services.confirm_job(user=dolisa, job=job)
    pipeline.apply(job.pk)
    assert targets(movement) == {
        tree.province.pk: (1200, 1400, None),
        vu_thu.pk: (150, 200, 500),
        song_an.pk: (4, 6, None),
    }
    again = run_import(dolisa, tree.province, rows, settings, tmp_path)
    assert again.state == "done" and again.unchanged_rows == 3


def test_targets_import_refuses_bad_rows_with_the_error_workbook(client, dolisa, movement, tree, settings, tmp_path):
    rows = [
        ("344", "Huyện Vũ Thư", "1.5", 200, None),
        ("343", "Huyện Vũ Thư", 10, 20, None),  # the name of another unit
        ("99999", "Xã Không Có", 1, 2, None),
        ("13249", "Xã Song An", 9, 3, None),
        ("13255", "Xã Vũ Hội", -2, None, None),
    ]
    job = run_import(dolisa, tree.province, rows, settings, tmp_path)
    assert job.state == "invalid" or job.error_rows == 5
    messages = sorted(job.row_errors.values_list("row_number", "message"))
    assert [number for number, _message in messages] == [4, 5, 6, 7, 8]
    text = " ".join(message for _number, message in messages)
    assert "“1.5” không phải là số nguyên (số hộ)." in text
    assert "“Huyện Vũ Thư” không phải là đơn vị có mã 343" in text
    assert "Không có đơn vị nào của tỉnh có mã “99999”." in text
    assert "Mức giảm tối thiểu hằng năm (9) lớn hơn mức tối đa (3)." in text
    assert "Số hộ không thể là số âm" in text
    assert targets(movement) == {tree.province.pk: (1000, 1500, None)}
    client.force_login(dolisa)
    errors = client.get(reverse("imports:errors", args=[job.pk]))
    assert errors.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(errors.streaming_content)))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any("99999" in c for c in cells) and any("không phải là số nguyên" in c for c in cells)


def test_only_steering_roles_may_import_targets(make_user, movement, tree, settings, tmp_path):
    from django.core.exceptions import PermissionDenied, ValidationError

    admin = make_user(Role.ADMIN, tree.province)  # imports rosters, does not steer the movement
    with pytest.raises((PermissionDenied, ValidationError)):
        run_import(admin, tree.province, [("344", "Huyện Vũ Thư", 1, 2, None)], settings, tmp_path)
    assert targets(movement) == {tree.province.pk: (1000, 1500, None)}


def test_the_import_template_and_the_upload_form_offer_targets_to_dolisa_only(client, dolisa, make_user, tree):
    from imports import selectors as import_selectors

    client.force_login(dolisa)
    answer = client.get(reverse("imports:template"), {"kind": "targets", "unit": tree.province.pk})
    assert answer.status_code == 200
    content = answer.getvalue() if hasattr(answer, "getvalue") else b"".join(answer.streaming_content)
    from openpyxl import load_workbook

    header = [c.value for c in next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(max_row=1))]
    assert header == [
        "Mã đơn vị (mã thống kê) (*)",
        "Tên đơn vị (*)",
        "Số hộ nghèo giảm mỗi năm, tối thiểu",
        "Số hộ nghèo giảm mỗi năm, tối đa",
        "Số hộ nghèo giảm đến cuối giai đoạn",
    ]
    assert "targets" in [importer.kind for importer in import_selectors.importers_for(dolisa)]
    admin = make_user(Role.ADMIN, tree.province)
    assert "targets" not in [importer.kind for importer in import_selectors.importers_for(admin)]
    client.force_login(admin)
    assert client.get(reverse("imports:template"), {"kind": "targets"}).status_code == 403
