"""Statistic forms (Circular 07/2021 annex style) and the village posting list: totals equal the registry, the
PDFs carry the Decree 30 header and no personal data beyond names, and scope answers 404."""

import io
import random
import time
import unicodedata
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from common.jobs import JobState
from documents.models import Document
from households import figures
from households.models import Household, Member, PovertyCause, PovertyClass, PovertyStandard, Review, ReviewState
from reports import statistics
from reports.documents import form_kind
from tests.households.conftest import make_village
from tests.households.test_movement_table import generate
from units.models import Unit
from units.roles import Role
from units.selectors import named_as_of

P, N = PovertyClass.POOR, PovertyClass.NEAR_POOR
YEARS = (2024, 2025)


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def registry(tree, reference_data):
    """The movement tables' generated data set, with groups and causes on the reviews."""
    data = generate(tree, PovertyStandard.objects.get(code="nd07-2021"))
    rng = random.Random(11)
    causes = list(PovertyCause.objects.order_by("order"))
    reviews = list(Review.objects.exclude(recognised_class="").only("pk", "recognised_class"))
    for review in reviews:
        for group in figures.GROUPS:
            setattr(review, group, rng.random() < 0.3)
    Review.objects.bulk_update(reviews, list(figures.GROUPS))
    Review.causes.through.objects.bulk_create(
        Review.causes.through(review_id=review.pk, povertycause_id=cause.pk)
        for review in reviews
        if review.recognised_class == P
        for cause in rng.sample(causes, rng.randint(0, 3))
    )
    return data


def units_of(data):
    return [data.province, *data.districts, *data.communes]


def total_line(section):
    line = section.rows[-1]
    assert line[1] == statistics.TOTAL
    return line[2:]


def named(unit, year):

    return named_as_of(Unit.objects.filter(pk=unit.pk), date(year, 12, 31)).get()


def test_every_form_total_equals_the_registry(registry):
    for unit in units_of(registry):
        for year in YEARS:
            unit = named(unit, year)
            classes = figures.class_counts(unit, year)
            listed = {P: classes.poor.households, N: classes.near_poor.households}

            movement = statistics.build("movement", unit, year)
            _rows, table = figures.movement_table(unit, year)
            for section, key in zip(movement.sections, ("poor", "near"), strict=True):
                expected = [table.get(key, m, c) for c in figures.COLUMNS for m in ("households", "persons")]
                assert total_line(section) == expected
            assert total_line(movement.sections[0])[16] == classes.poor.households  # column 9, households
            assert total_line(movement.sections[0])[17] == classes.poor.persons
            assert total_line(movement.sections[1])[16] == classes.near_poor.households

            deprivation = statistics.build("deprivation", unit, year)
            counts = figures.deprivation_counts(unit, year)
            for section, cls, attr in ((deprivation.sections[0], P, "poor"), (deprivation.sections[2], N, "near_poor")):
                assert total_line(section) == [listed[cls], *(getattr(c, attr) for c in counts)]

            groups = statistics.build("groups", unit, year)
            by_group = figures.group_counts(unit, year)
            for section, cls in zip(groups.sections, (P, N), strict=True):
                line = total_line(section)
                assert line[0] == listed[cls]
                assert line[1::2] == [getattr(by_group[cls], g) for g in figures.GROUPS]

            causes = statistics.build("causes", unit, year)
            assert total_line(causes.sections[0]) == [
                classes.poor.households,
                *(c.households for c in figures.cause_counts(unit, year)),
            ]


def test_each_row_is_its_units_own_total_and_the_rows_add_up(registry):
    """Deprivations, groups and causes count each review once, where it was made: every row equals its unit's own
    form, and the rows add up to the total. A province's forms list its districts, or every commune on demand."""
    year = 2025
    province = named(registry.province, year)
    for code in ("deprivation", "groups", "causes"):
        for all_communes, row_units in ((False, registry.districts), (True, registry.communes)):
            form = statistics.build(code, province, year, all_communes=all_communes)
            for index, section in enumerate(form.sections):
                body = {line[1]: line[2:] for line in section.rows[:-1]}
                for unit in row_units:
                    unit = named(unit, year)
                    own = statistics.build(code, unit, year).sections[index]
                    assert body[unit.name_then] == total_line(own), (code, unit.name_then)
                if "Tỷ lệ" not in section.title:  # count columns add up; rates (floats or None) do not
                    for values, total in zip(zip(*body.values(), strict=True), total_line(section), strict=True):
                        if isinstance(total, int):
                            assert sum(values) == total
    movement = statistics.build("movement", province, year, all_communes=True)
    names = [line[1] for line in movement.sections[0].rows[:-1]]
    assert {named(c, year).name_then for c in registry.communes} <= set(names)
    assert len(names) >= 240  # every commune of the province in force at the end of 2025, with or without data
    assert total_line(movement.sections[0]) == total_line(statistics.build("movement", province, year).sections[0])


def test_rates_are_shares_of_the_list(registry):
    year = 2025
    district = named(registry.districts[0], year)
    counts, rates = statistics.build("deprivation", district, year).sections[:2]
    assert len([line for line in counts.rows if line[2]]) == 3  # two communes with data and the total
    for count_line, rate_line in zip(counts.rows, rates.rows, strict=True):
        households = count_line[2]
        for count, rate in zip(count_line[3:], rate_line[3:], strict=True):
            assert rate == (round(100 * count / households, 2) if households else None)


# The pages, files and scope on a small registry ----------------------------------------------------------------

CCCD = "034070012345"
INCOME = 1_234_567
HEADS = [  # name (some typed in NFD), class 2024, class 2025 (None: proposed only), recognised in 2025
    ("Trần Văn Bình", P, P, True),
    ("Nguyễn Thị Ánh", None, N, False),
    ("Lê Văn An", P, N, True),
    ("Phạm Thị Yến", N, PovertyClass.AVERAGE, True),
    ("Đỗ Văn Đức", None, PovertyClass.NONE, True),
]


@pytest.fixture
def song_an(tree):
    """Xã Song An (Huyện Vũ Thư) with Thôn Nhân Thanh's households, each with a CCCD and an income."""
    commune = tree.commune("13249")
    village = make_village(commune, "Thôn Nhân Thanh Thượng Đông")
    standard = PovertyStandard.objects.get(code="nd07-2021")
    for n, (name, before, now, recognised) in enumerate(HEADS, 1):
        household = Household.objects.create(province=tree.province, village=village, code=f"13249-{n:05d}")
        Member.objects.create(
            household=household,
            full_name=unicodedata.normalize("NFD", name) if n % 2 else name,
            birth_date=date(1970, 1, n),
            sex="M",
            relation="head",
            cccd=f"{CCCD[:-1]}{n}",
        )
        Member.objects.create(
            household=household, full_name=f"Hoàng Thị Mai {n}", birth_date=date(2000, 1, n), sex="F", relation="child"
        )
        for year, cls, done in ((2024, before, True), (2025, now, recognised)):
            if cls is None:
                continue
            Review.objects.create(
                household=household,
                village=village,
                year=year,
                standard=standard,
                is_urban=False,
                income=INCOME,
                deprived=[1, 4, 9, 11] if cls == P else [2],
                member_count=2,
                computed_class=cls,
                recognised_class=cls if done else "",
                state=ReviewState.LOCKED if done else ReviewState.SUBMITTED,
                no_working_capacity=cls == P,
            )
    return commune, village


def test_a_district_officer_downloads_a_communes_forms(client, make_user, tree, song_an, django_assert_max_num_queries):
    commune, _village = song_an
    client.force_login(make_user(Role.DISTRICT_OFFICER, tree.district("344")))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reports:forms"), {"unit": commune.pk, "year": 2025})
    assert page.status_code == 200
    assert "Thôn Nhân Thanh Thượng Đông" in page.content.decode()

    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:form_xlsx", args=["movement", commune.pk, 2025]))
    assert response.status_code == 200
    assert "dien-bien-ho-ngheo-2025-xa-song-an.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "BIỂU TỔNG HỢP DIỄN BIẾN HỘ NGHÈO, HỘ CẬN NGHÈO"
    assert rows[1][0] == "Đơn vị: Xã Song An" and rows[2][0] == "Năm 2025"
    assert sheet.page_setup.orientation == "landscape"
    totals = [row for row in rows if row[1] == statistics.TOTAL]
    assert len(totals) == 2
    # Poor: start 2 (Bình, An), one to near-poor (An), end 1; near-poor: start 1, Yến rose above, An came in.
    assert totals[0][2:20:2] == [2, 1, 0, 0, 0, 0, 0, 0, 1]
    assert totals[1][2:20:2] == [1, 0, 1, 0, 1, 0, 0, 0, 1]

    for code in statistics.SPECS:
        with django_assert_max_num_queries(12):
            response = client.get(reverse("reports:form_pdf", args=[code, commune.pk, 2025]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        for words in [
            "ỦY BAN NHÂN DÂN",
            "XÃ SONG AN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Song An, ngày",
            statistics.SPECS[code].title.upper(),
            "Xã Song An — năm 2025",
            "Thôn Nhân Thanh Thượng Đông",
            "Tổng cộng",
            "TM. ỦY BAN NHÂN DÂN",
            "NGƯỜI LẬP BIỂU",
        ]:
            assert words in text, (code, words)
        page = PdfReader(io.BytesIO(response.content)).pages[0]
        if statistics.build(code, named(commune, 2025), 2025).landscape:
            assert page.mediabox.width > page.mediabox.height
    text = pdf_text(client.get(reverse("reports:form_pdf", args=["groups", commune.pk, 2025])).content)
    assert "Tổng cộng 1 1 100,00" in text  # one poor household, with no working capacity: 100 %


def test_form_queries_do_not_grow_with_the_rows(client, make_user, tree, song_an, django_assert_max_num_queries):
    """A province's forms with all 260 communes as rows take the same few queries as a commune's."""
    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    for code in statistics.SPECS:
        with django_assert_max_num_queries(10):  # session, user, roles, unit, its names, the rows, the figures
            response = client.get(reverse("reports:form_xlsx", args=[code, tree.province.pk, 2025]), {"communes": 1})
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
        assert any(row[1] == "Xã Song An" for row in rows)
        assert "-cac-xa-2025-tinh-thai-binh.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "role, unit",
    [
        (Role.DISTRICT_OFFICER, "343"),  # another district
        (Role.UNIT_REPORTER, "Sở LĐ-TB&XH"),  # a department: no commune, district or province in sight
    ],
)
def test_forms_of_a_unit_out_of_sight_are_not_found(client, make_user, tree, song_an, role, unit):
    commune, village = song_an
    holder = tree.district(unit) if unit.isdigit() else tree.participant(unit)
    client.force_login(make_user(role, holder))
    for url in [
        reverse("reports:form_xlsx", args=["movement", commune.pk, 2025]),
        reverse("reports:form_pdf", args=["causes", commune.pk, 2025]),
        reverse("reports:posting_list", args=[village.pk, 2025]),
        f"{reverse('reports:forms')}?unit={commune.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:form_document", args=["groups", commune.pk, 2025])).status_code == 404


def test_no_form_for_a_village_an_unknown_form_or_year(client, make_user, tree, song_an):
    commune, village = song_an
    client.force_login(make_user(Role.COMMUNE_OFFICER, commune))
    assert client.get(reverse("reports:form_pdf", args=["movement", village.pk, 2025])).status_code == 404
    assert client.get(reverse("reports:form_pdf", args=["salaries", commune.pk, 2025])).status_code == 404
    assert client.get(reverse("reports:form_pdf", args=["movement", commune.pk, 1999])).status_code == 404
    assert client.get(reverse("reports:posting_list", args=[village.pk, 3000])).status_code == 404
    assert client.get(reverse("reports:forms"), {"unit": "x"}).status_code == 404


def test_the_posting_list_names_heads_and_classes_only(client, make_user, tree, song_an):
    commune, village = song_an
    client.force_login(make_user(Role.COMMUNE_OFFICER, commune))
    response = client.get(reverse("reports:posting_list", args=[village.pk, 2025]))
    assert response.status_code == 200
    assert "danh-sach-cong-khai-2025-thon-nhan-thanh-thuong-dong-xa-song-an.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for words in [
        "ỦY BAN NHÂN DÂN",
        "XÃ SONG AN",
        "DANH SÁCH CÔNG KHAI",
        "Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2025",
        "Thôn Nhân Thanh Thượng Đông, Xã Song An",
        "Song An, ngày",
        "TRƯỞNG THÔN",
        "TM. ỦY BAN NHÂN DÂN",
        "I. Hộ nghèo (1 hộ) STT Họ và tên chủ hộ Kết quả Ghi chú 1 Trần Văn Bình Đã công nhận",
        "II. Hộ cận nghèo (2 hộ) STT Họ và tên chủ hộ Kết quả Ghi chú 1 Lê Văn An Đã công nhận"
        " 2 Nguyễn Thị Ánh Đề nghị",
        "III. Hộ thoát nghèo (1 hộ)",
        "Lê Văn An Đã công nhận Chuyển thành: Hộ cận nghèo",
        "IV. Hộ thoát cận nghèo (1 hộ)",
        "Phạm Thị Yến Đã công nhận Chuyển thành: Hộ có mức sống trung bình",
    ]:
        assert words in text, words
    assert "Đỗ Văn Đức" not in text  # never on a list: not posted
    for secret in (CCCD[:-1], "034070", "1234567", "1.234.567", "1,234,567", "Hoàng Thị Mai", "1970"):
        assert secret not in text, secret


@pytest.mark.parametrize(
    "role, holder, status",
    [
        (Role.DISTRICT_OFFICER, "344", 200),
        (Role.COMMUNE_LEADER, "13249", 200),
        (Role.EMULATION_BOARD, "Ban TĐKT", 404),  # figures only: no names
        (Role.ADMIN, "Sở LĐ-TB&XH", 404),
        (Role.COMMUNE_OFFICER, "13255", 404),  # another commune
    ],
)
def test_only_those_who_may_see_people_produce_the_posting_list(client, make_user, tree, song_an, role, holder, status):
    _commune, village = song_an
    if holder.isdigit():
        unit = tree.district(holder) if len(holder) == 3 else tree.commune(holder)
    else:
        unit = tree.participant(holder)
    client.force_login(make_user(role, unit))
    assert client.get(reverse("reports:posting_list", args=[village.pk, 2025])).status_code == status


def test_a_provinces_form_with_every_commune_is_rendered_by_the_worker(tree, make_user, song_an, celery_worker, client):
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    client.force_login(dolisa)
    response = client.post(
        reverse("reports:form_document", args=["movement", tree.province.pk, 2025]), {"communes": "1"}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.kind == form_kind("movement", all_communes=True)
    for _ in range(600):
        document.refresh_from_db()
        if document.state in (JobState.DONE, JobState.FAILED):
            break
        time.sleep(0.1)
    assert document.state == JobState.DONE, document.error
    assert document.file.name.endswith(".pdf")
    assert "dien-bien-ho-ngheo-cac-xa-2025-tinh-thai-binh" in document.file.name
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "TỈNH THÁI BÌNH" in text and "Xã Song An" in text and "Xã Vũ Hội" in text and "Tổng cộng" in text
