"""The pages of good practices: who sees what (another unit's practice answers 404, a draft stays with its unit),
the form's bad input shown in Vietnamese with nothing saved, the steps' buttons, the menu, pinned query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movement.models import Compilation, GoodPractice, PracticeFile, PracticeState
from movement.services import practices as services
from tests.movement.practices_helpers import People, at, fields, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, make_user):
    return People(tree, make_user)


def _compile(people, movement, now):
    return services.compile_half_year(user=people.dolisa, movement=movement, year=2025, half=1, now=now)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "vi"


def _practice(people, movement, *, propose=True, officer=False, files=(), **overrides):
    return services.create_practice(
        user=people.officer if officer else people.reporter,
        unit=people.song_an if officer else people.women,
        movement=movement,
        propose=propose,
        files=files,
        **fields(**overrides),
    )


def _form(**overrides):
    data = {
        "title": "Mô hình nuôi gà thả vườn",
        "kind": "model",
        "description": "Hội hỗ trợ giống, thức ăn và kỹ thuật.",
        "results": "Mười hộ có thu nhập ổn định.",
        "households_out_of_poverty": "10",
        "people_employed": "",
        "value_mobilised": "1.500.000.000 đồng",
    }
    data.update(overrides)
    return data


def test_a_unit_proposes_through_the_form_with_a_photo(client, people, movement):
    client.force_login(people.reporter)
    response = client.post(reverse("movement:practice_new"), {**_form(), "files": [png()], "propose": "1"})
    practice = GoodPractice.objects.get()
    assert response.status_code == 302 and response.url == practice.get_absolute_url()
    assert practice.state == PracticeState.PROPOSED
    assert practice.value_mobilised == 1_500_000_000 and practice.people_employed is None
    assert practice.unit == people.women
    page = client.get(practice.get_absolute_url()).content.decode()
    assert 'data-testid="practice-photo"' in page
    assert "1.500.000.000" in page
    photo = client.get(reverse("movement:practice_file", args=[practice.files.get().pk]))
    assert photo["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value_mobilised": "1,5 tỷ"}, "Không đọc được “1,5 tỷ” thành số tiền (đồng)."),
        ({"value_mobilised": "-2.000.000"}, "Kết quả không thể là số âm."),
        ({"households_out_of_poverty": "-1"}, "Kết quả không thể là số âm."),
        ({"title": ""}, "Trường này là bắt buộc."),
        ({"files": [SimpleUploadedFile("anh-dep.png", b"<html>khong phai anh</html>")]}, "không phải ảnh JPEG, PNG"),
    ],
)
def test_bad_input_is_shown_in_vietnamese_and_nothing_is_saved(client, people, movement, overrides, message):
    client.force_login(people.reporter)
    response = client.post(reverse("movement:practice_new"), {**_form(**overrides), "propose": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GoodPractice.objects.exists()
    assert not PracticeFile.objects.exists()


def test_a_unit_sees_its_own_practices_and_another_unit_s_answers_404(client, people, movement):
    ours = _practice(people, movement, title="Của Hội Phụ nữ", files=[png()])
    theirs = _practice(people, movement, officer=True, title="Của xã Song An")
    client.force_login(people.reporter)
    listing = client.get(reverse("movement:practices")).content.decode()
    assert "Của Hội Phụ nữ" in listing and "Của xã Song An" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("movement:practice_edit", args=[theirs.pk])).status_code == 404
    client.force_login(people.officer)
    assert client.get(ours.get_absolute_url()).status_code == 404
    assert client.get(reverse("movement:practice_file", args=[ours.files.get().pk])).status_code == 404
    response = client.post(reverse("movement:practice_step", args=[ours.pk, "select"]))
    assert response.status_code == 404
    assert client.get(reverse("movement:compilations")).status_code == 404


def test_the_province_sees_every_proposed_practice_but_no_draft(client, people, movement):
    proposed = _practice(people, movement, officer=True, title="Đã đề xuất")
    draft = _practice(people, movement, propose=False, title="Bản nháp")
    for who in (people.dolisa, people.board):
        client.force_login(who)
        listing = client.get(reverse("movement:practices")).content.decode()
        assert "Đã đề xuất" in listing and "Bản nháp" not in listing
        assert client.get(draft.get_absolute_url()).status_code == 404
    page = client.get(proposed.get_absolute_url()).content.decode()  # the Board: no buttons
    assert "practice-step-select" not in page and "practice-step-return" not in page
    client.force_login(people.dolisa)
    page = client.get(proposed.get_absolute_url()).content.decode()
    assert "practice-step-select" in page and "practice-step-return" in page


def test_a_return_without_a_comment_is_refused_on_the_page(client, people, movement):
    practice = _practice(people, movement)
    client.force_login(people.dolisa)
    url = reverse("movement:practice_step", args=[practice.pk, "return"])
    page = client.post(url, {"comment": " "}, follow=True).content.decode()
    assert "Ghi rõ nội dung cần sửa." in page
    assert GoodPractice.objects.get(pk=practice.pk).state == PracticeState.PROPOSED
    page = client.post(url, {"comment": "Bổ sung ảnh hiện trường."}, follow=True).content.decode()
    assert "Mô hình, cách làm hay đã được trả lại." in page
    assert GoodPractice.objects.get(pk=practice.pk).state == PracticeState.RETURNED
    assert client.post(reverse("movement:practice_step", args=[practice.pk, "lock"])).status_code == 404


def test_the_board_reads_the_lists_and_a_unit_reporter_does_not(client, people, movement):
    practice = _practice(people, movement)
    services.select_practice(user=people.dolisa, practice=practice, now=at(2025, 2, 3))
    compilation = _compile(people, movement, at(2025, 7, 1))
    client.force_login(people.board)
    listing = client.get(reverse("movement:compilations")).content.decode()
    assert "Mô hình, cách làm hay 6 tháng đầu năm 2025" in listing and 'data-testid="compile"' not in listing
    detail = client.get(compilation.get_absolute_url()).content.decode()
    assert practice.title in detail and 'data-testid="compilation-xlsx"' in detail
    client.force_login(people.reporter)
    assert client.get(compilation.get_absolute_url()).status_code == 404
    assert client.get(reverse("movement:compilation_xlsx", args=[compilation.pk])).status_code == 404
    assert client.post(reverse("movement:compile"), {"year": 2025, "half": 2}).status_code == 404
    assert Compilation.objects.count() == 1


def test_the_menu_leads_to_the_practices(client, people):
    client.force_login(people.officer)
    page = client.get(reverse("movement:practices")).content.decode()
    assert 'data-testid="nav-practices"' in page and "Mô hình, cách làm hay" in page


def test_the_list_s_queries_do_not_grow_with_the_practices(client, people, movement, django_assert_max_num_queries):
    client.force_login(people.dolisa)
    for n in range(3):
        _practice(people, movement, title=f"Mô hình số {n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("movement:practices"))
    for n in range(3, 30):
        _practice(people, movement, officer=n % 2 == 0, title=f"Mô hình số {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("movement:practices")).content.decode().count('data-testid="practice-row"') == 30
