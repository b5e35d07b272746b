"""A unit's nominees from Excel through the import pipeline: checked row by row as the form checks them (kind,
award, CCCD, year of birth, the household in the unit's area, the same person nominated elsewhere), nothing saved
while the file has errors, added to the unit's draft list on confirmation, a second import adding nothing."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards.models import Nomination, Nominee, NomineeState
from awards.nominations import services
from tests.imports.conftest import problems, workbook

from .conftest import individual

HEADER = [
    "Mã đợt",
    "Loại",
    "Hình thức khen thưởng",
    "Tập thể",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Chức vụ",
    "Nơi công tác",
    "Số CCCD",
    "Mã hộ",
    "Địa chỉ",
    "Thành tích",
]


@pytest.fixture(autouse=True)
def vietnamese(media):
    with translation.override("vi"):
        yield


def rows(awards, household):
    return [
        [
            "tong-ket-2025",
            "Cá nhân",
            awards.individual.name,
            None,
            "Nguyễn Thị Hằng",
            1975,
            "Nữ",
            "Chủ tịch Hội Phụ nữ xã",
            "Xã Song An",
            "034175001234",
            None,
            None,
            "Giúp 5 hộ thoát nghèo.",
        ],
        [
            "tong-ket-2025",
            "Hộ gia đình",
            awards.family.code,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            household.code,
            None,
            "Vươn lên thoát nghèo năm 2025.",
        ],
        [
            "tong-ket-2025",
            "tập thể",
            awards.collective.name,
            "Xã Song An",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Giảm 1 hộ nghèo.",
        ],
    ]


def test_a_commune_imports_its_nominees_into_its_draft_list(start, confirm, people, awards, household):
    job = start(people.commune, people.song_an, workbook(rows(awards, household), header=HEADER), kind="nominees")
    assert job.state == "validated", (job.error, problems(job))
    assert not Nominee.objects.exists()
    job = confirm(job, people.commune)
    assert job.state == "done" and job.new_rows == 3
    nomination = Nomination.objects.get()
    assert (nomination.unit, nomination.occasion) == (people.song_an, awards.occasion)
    assert sorted(nomination.nominees.values_list("kind", flat=True)) == ["collective", "family", "individual"]
    assert set(nomination.nominees.values_list("state", flat=True)) == {NomineeState.DRAFT}
    person = nomination.nominees.get(kind="individual")
    assert (person.full_name, person.birth_year, person.sex, person.cccd) == (
        "Nguyễn Thị Hằng",
        1975,
        "F",
        "034175001234",
    )
    assert nomination.nominees.get(kind="family").household == household

    again = start(people.commune, people.song_an, workbook(rows(awards, household), header=HEADER), kind="nominees")
    assert again.unchanged_rows == 3
    assert Nominee.objects.count() == 3


def test_bad_rows_are_refused_in_vietnamese_and_nothing_is_saved(start, people, awards, household):
    other = services.open_nomination(user=people.other_commune, occasion=awards.occasion, unit=people.vu_hoi)
    services.add_nominee(
        user=people.other_commune,
        nomination=other,
        data=individual(awards, full_name="Trần Văn Bình", birth_year=1980, cccd=""),
    )
    bad = [
        [
            "tong-ket-2025",
            "Cá nhân",
            awards.individual.name,
            None,
            "Lê Thị Hoa",
            2999,
            "Nữ",
            None,
            None,
            None,
            None,
            None,
            "Tốt.",
        ],
        [
            "tong-ket-2025",
            "Cá nhân",
            awards.individual.name,
            None,
            "Lê Thị Hoa",
            1980,
            "Nữ",
            None,
            None,
            "12345",
            None,
            None,
            "Tốt.",
        ],
        [
            "tong-ket-2025",
            "Cá nhân",
            awards.individual.name,
            None,
            "tran van binh",
            1980,
            "Nam",
            None,
            None,
            None,
            None,
            None,
            "Tốt.",
        ],
        [
            "tong-ket-2025",
            "Hộ gia đình",
            awards.family.name,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "13255-00009",
            None,
            "Tốt.",
        ],
        [
            "so-ket-2099",
            "Cá nhân",
            awards.individual.name,
            None,
            "Lê Văn Nam",
            1970,
            "Nam",
            None,
            None,
            None,
            None,
            None,
            "Tốt.",
        ],
        *rows(awards, household)[:1],
    ]
    job = start(people.commune, people.song_an, workbook(bad, header=HEADER), kind="nominees")
    found = problems(job)
    columns = {(c, m) for _n, c, m in found}
    assert ("Năm sinh", "Năm sinh không thể ở tương lai.") in columns
    assert ("Số CCCD", "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số.") in columns
    assert (
        "Họ và tên",
        "“tran van binh” đã được Xã Vũ Hội đề nghị khen thưởng trong đợt Tổng kết phong trào 2021–2025.",
    ) in columns
    assert (
        "Mã hộ",
        "Không có hộ nào mang mã 13255-00009 trong sổ theo dõi trên địa bàn của đơn vị.",
    ) in columns
    assert ("Mã đợt", "Không có đợt khen thưởng nào đang mở mang mã “so-ket-2099”.") in columns
    assert job.state != "done"
    assert not Nomination.objects.filter(unit=people.song_an).exists()


def test_the_template_lists_the_open_occasions_and_the_awards(client, people, awards):
    client.force_login(people.commune)
    client.cookies["django_language"] = "vi"
    response = client.get(reverse("imports:template"), {"kind": "nominees", "unit": people.song_an.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in book["Dữ liệu"][1]]
    assert header[:3] == ["Mã đợt khen thưởng (*)", "Loại đối tượng (*)", "Hình thức khen thưởng đề nghị (*)"]
    lists = [cell.value for row in book["Danh mục"].iter_rows() for cell in row if cell.value]
    assert "tong-ket-2025" in lists and awards.individual.name in lists
