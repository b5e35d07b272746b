"""Good practices: what a unit writes (bad input refused in Vietnamese, nothing saved), every step of the workflow
and who may take it, the log and the notifications, and the figure fed to the criteria."""

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation

from deadlines.models import Notification
from movement.models import GoodPractice, PracticeFile, PracticeState, PracticeTransition
from movement.selectors.practices import measure_good_practices
from movement.services import practices as services
from tests.movement.practices_helpers import People, at, docx, fields, jpeg, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, make_user):
    return People(tree, make_user)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _create(people, movement, user=None, unit=None, files=(), propose=False, **overrides):
    return services.create_practice(
        user=user or people.reporter,
        unit=unit or people.women,
        movement=movement,
        files=files,
        propose=propose,
        **fields(**overrides),
    )


def _messages(exc):
    return " ".join(exc.value.messages)


# What a unit writes ---------------------------------------------------------------------------------------------


def test_a_unit_saves_a_draft_with_its_photos_and_files_normalised(people, movement, media):
    title = unicodedata.normalize("NFD", "Sáng kiến “Nuôi bò sinh sản” của Hội Liên hiệp Phụ nữ tỉnh Thái Bình " * 3)
    practice = _create(people, movement, files=[png(), jpeg(), pdf(), docx()], kind="initiative", title=title)
    assert practice.state == PracticeState.DRAFT
    assert practice.title == unicodedata.normalize("NFC", title).strip()
    assert practice.value_mobilised == 1_500_000_000
    assert sorted(practice.files.values_list("type", flat=True)) == ["docx", "jpeg", "pdf", "png"]
    names = {f.name for f in practice.files.all()}
    assert names == {"ảnh-mô-hình.png", "hoi-nghi.jpg", "bao-cao.pdf", "thuyet-minh.docx"}
    assert not practice.transitions.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("anh.jpg", b"day khong phai la anh"), "“anh.jpg” không phải ảnh JPEG, PNG"),
        (SimpleUploadedFile("van-ban.docx", b"PK\x03\x04 hong"), "“van-ban.docx” không phải ảnh JPEG, PNG"),
        (SimpleUploadedFile("bang.pdf", b"GIF89a"), "“bang.pdf” không phải ảnh JPEG, PNG"),
        (SimpleUploadedFile("to.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024)), "“to.png” lớn hơn 10 MB"),
    ],
)
def test_a_wrong_or_too_large_file_is_refused_and_nothing_is_saved(people, movement, media, upload, message):
    with pytest.raises(ValidationError) as exc:
        _create(people, movement, files=[png(), upload], propose=True)
    assert message in _messages(exc)
    assert not GoodPractice.objects.exists()
    assert not PracticeFile.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))
    assert not Notification.objects.exists()


def test_a_zip_that_is_not_a_word_file_is_refused(people, movement, media):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError) as exc:
        _create(people, movement, files=[SimpleUploadedFile("bang-tinh.docx", buffer.getvalue())])
    assert "“bang-tinh.docx” không phải ảnh JPEG, PNG, tệp PDF hoặc Word (DOCX)." in _messages(exc)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Trường này là bắt buộc."),
        ({"results": ""}, "results", "Trường này là bắt buộc."),
        ({"kind": "award"}, "kind", "Chọn loại mô hình, cách làm hay."),
        ({"households_out_of_poverty": -3}, "households_out_of_poverty", "Kết quả không thể là số âm."),
        ({"value_mobilised": -1_000_000}, "value_mobilised", "Kết quả không thể là số âm."),
        ({"value_mobilised": 10**15}, "value_mobilised", "Con số này lớn bất thường"),
        ({"people_employed": 5_000_000}, "people_employed", "Con số này lớn bất thường"),
        ({"description": "Mô tả\u202eẩn"}, "description", "ký tự"),
    ],
)
def test_bad_fields_are_refused_in_vietnamese(people, movement, media, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        _create(people, movement, files=[png()], **overrides)
    assert message in " ".join(exc.value.message_dict[field])
    assert not GoodPractice.objects.exists()
    assert not PracticeFile.objects.exists()


def test_only_people_who_report_for_a_unit_propose_for_it(people, movement, media):
    with pytest.raises(Http404):  # another unit, out of sight
        _create(people, movement, user=people.officer, unit=people.women)
    with pytest.raises(PermissionDenied):  # DOLISA sees the unit but does not report for it
        _create(people, movement, user=people.dolisa, unit=people.women)
    assert not GoodPractice.objects.exists()


# The workflow ---------------------------------------------------------------------------------------------------


def test_propose_return_correct_propose_select_with_log_and_notifications(people, movement, media):
    practice = _create(people, movement, user=people.officer, unit=people.song_an, files=[png()])
    practice = services.propose_practice(user=people.officer, practice=practice, now=at(2025, 3, 2))
    assert practice.state == PracticeState.PROPOSED
    told = Notification.objects.get(recipient=people.dolisa)
    assert told.title == f"Mô hình, cách làm hay được đề xuất: {practice.title}"
    assert told.url == practice.get_absolute_url()

    with pytest.raises(ValidationError) as exc:
        services.return_practice(user=people.dolisa, practice=practice, comment="  ")
    assert "Ghi rõ nội dung cần sửa." in _messages(exc)
    practice.refresh_from_db()
    assert practice.state == PracticeState.PROPOSED

    practice = services.return_practice(
        user=people.dolisa, practice=practice, comment="Bổ sung số hộ thoát nghèo theo từng năm."
    )
    assert practice.state == PracticeState.RETURNED
    back = Notification.objects.get(recipient=people.officer)
    assert back.title.startswith("Mô hình, cách làm hay bị trả lại để sửa")
    assert "Bổ sung số hộ thoát nghèo theo từng năm." in back.body

    practice = services.update_practice(
        user=people.officer, practice=practice, version=practice.version, files=[jpeg()], **fields(people_employed=25)
    )
    practice = services.propose_practice(user=people.officer, practice=practice, now=at(2025, 3, 9))
    practice = services.select_practice(user=people.dolisa, practice=practice, now=at(2025, 3, 10))
    assert practice.state == PracticeState.SELECTED
    assert practice.selected_at == at(2025, 3, 10)
    assert practice.proposed_at == at(2025, 3, 2)  # the first proposal
    assert practice.people_employed == 25
    selected = Notification.objects.filter(recipient=people.officer, title__startswith="Mô hình, cách làm hay được lựa")
    assert selected.exists()

    log = PracticeTransition.objects.filter(practice=practice).values_list("from_state", "to_state", "by", "comment")
    log = list(log)
    assert log == [
        ("draft", "proposed", people.officer.pk, ""),
        ("proposed", "returned", people.dolisa.pk, "Bổ sung số hộ thoát nghèo theo từng năm."),
        ("returned", "proposed", people.officer.pk, ""),
        ("proposed", "selected", people.dolisa.pk, ""),
    ]


@pytest.mark.parametrize(
    ("state", "step", "who", "refusal"),
    [
        ("draft", "select", "dolisa", ValidationError),
        ("draft", "return", "dolisa", ValidationError),
        ("proposed", "propose", "reporter", ValidationError),
        ("proposed", "select", "reporter", PermissionDenied),
        ("proposed", "return", "reporter", PermissionDenied),
        ("proposed", "select", "board", PermissionDenied),
        ("proposed", "select", "officer", Http404),
        ("draft", "propose", "dolisa", PermissionDenied),
        ("draft", "propose", "officer", Http404),
        ("selected", "select", "dolisa", ValidationError),
        ("selected", "propose", "reporter", ValidationError),
        ("returned", "select", "dolisa", ValidationError),
    ],
)
def test_illegal_steps_are_refused_and_nothing_moves(people, movement, media, state, step, who, refusal):
    practice = _create(people, movement)
    GoodPractice.objects.filter(pk=practice.pk).update(state=state)
    practice.refresh_from_db()
    with pytest.raises(refusal):
        services.transition(user=getattr(people, who), practice=practice, name=step, comment="Xem lại")
    practice.refresh_from_db()
    assert practice.state == state
    assert not practice.transitions.exists()


def test_a_system_or_unknown_step_is_refused(people, movement, media):
    practice = _create(people, movement)
    with pytest.raises(ValidationError) as exc:
        services.transition(user=people.reporter, practice=practice, name="publish")
    assert "publish" in _messages(exc)


def test_a_selected_practice_can_be_returned_until_its_half_year_is_compiled(people, movement, media):
    practice = _create(people, movement, propose=True)
    practice = services.select_practice(user=people.dolisa, practice=practice, now=at(2025, 5, 4))
    practice = services.return_practice(user=people.dolisa, practice=practice, comment="Chưa đủ minh chứng.")
    assert practice.state == PracticeState.RETURNED and practice.selected_at is None


def test_only_a_draft_or_returned_practice_can_be_changed(people, movement, media):
    practice = _create(people, movement, propose=True)
    with pytest.raises(ValidationError) as exc:
        services.update_practice(user=people.reporter, practice=practice, version=practice.version, **fields())
    assert "Chỉ sửa được mô hình đang soạn hoặc bị trả lại." in _messages(exc)


def test_a_correction_from_a_stale_form_is_refused(people, movement, media):
    practice = _create(people, movement)
    read = practice.version
    services.update_practice(user=people.reporter, practice=practice, version=read, **fields(title="Mới"))
    with pytest.raises(ValidationError) as exc:
        services.update_practice(user=people.reporter, practice=practice, version=read, **fields(title="Cũ"))
    assert "Người khác vừa thay đổi" in _messages(exc)
    practice.refresh_from_db()
    assert practice.title == "Mới"


def test_a_unit_s_figure_counts_the_practices_it_first_proposed_in_the_year(people, movement, media):
    for day in (at(2024, 12, 31, 23), at(2025, 1, 1, 0), at(2025, 7, 9)):
        practice = _create(people, movement)
        services.propose_practice(user=people.reporter, practice=practice, now=day)
    _create(people, movement)  # a draft is not proposed
    returned = GoodPractice.objects.filter(proposed_at=at(2025, 7, 9)).get()
    services.return_practice(user=people.dolisa, practice=returned, comment="Bổ sung ảnh.")
    services.propose_practice(user=people.reporter, practice=returned, now=at(2026, 1, 5))  # counted in 2025
    assert measure_good_practices(people.women, 2024) == 1
    assert measure_good_practices(people.women, 2025) == 2
    assert measure_good_practices(people.women, 2026) == 0
    assert measure_good_practices(people.song_an, 2025) == 0
