"""Statistics by occasion, district and recipient kind, and form 0603.N: their figures equal the registry's rows
for the same period and scope, as pages and Excel files, in one query each."""

import io

import pytest
from django.db.models import Count
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Award, AwardMethod, NomineeKind
from awards.registry import selectors
from tests.awards.registry_fixtures import build_registry

pytestmark = pytest.mark.django_db

KINDS = [NomineeKind.COLLECTIVE, NomineeKind.FAMILY, NomineeKind.INDIVIDUAL]


@pytest.fixture
def reg(tree, movement, make_user):
    return build_registry(tree, movement, make_user)


def registry_rows(client, user, **period):
    """Every row the registry page lists for the period, page by page, as (method, kind, district, bonus)."""
    client.force_login(user)
    rows, page = [], 1
    while True:
        response = client.get(reverse("awards:registry"), {**period, "page": page})
        rows += [(a.method, a.kind, a.district_id, a.bonus, a.occasion_id) for a in response.context["page"]]
        if not response.context["page"].has_next():
            return rows
        page += 1


@pytest.mark.parametrize(
    "period",
    [
        {},
        {"signed_from": "01/01/2025", "signed_to": "31/12/2025"},
        {"signed_from": "01/12/2024", "signed_to": "02/03/2025"},
    ],
)
@pytest.mark.parametrize("who", ["dolisa", "vu_thu"])
def test_form_0603_equals_the_registry(client, reg, period, who):
    user = reg.users[who]
    rows = registry_rows(client, user, **period)
    response = client.get(reverse("awards:registry_0603"), period or {"signed_from": "", "signed_to": ""})
    lines = {line.code: line for line in response.context["lines"]}
    assert lines["01"].total == len(rows)
    for code, method in zip(
        ("02", "03", "04"), (AwardMethod.REGULAR, AwardMethod.THEMATIC, AwardMethod.AD_HOC), strict=True
    ):
        assert lines[code].cells == [sum(1 for r in rows if r[0] == method and r[1] == kind) for kind in KINDS]
    assert lines["01"].cells == [sum(1 for r in rows if r[1] == kind) for kind in KINDS]


def test_form_0603_counts_of_the_fixture(client, reg):
    client.force_login(reg.users["board"])
    response = client.get(
        reverse("awards:registry_0603"),
        {"signed_from": "01/01/2024", "signed_to": "31/12/2025"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    by_code = {line.code: (line.total, line.cells) for line in response.context["lines"]}
    # columns: collectives, households, individuals
    assert by_code == {"01": (9, [2, 2, 5]), "02": (4, [1, 0, 3]), "03": (4, [1, 2, 1]), "04": (1, [0, 0, 1])}
    page = response.content.decode()
    assert "Thường xuyên" in page and "Chuyên đề" in page and "Đột xuất" in page and "Hộ gia đình" in page


def test_the_statistics_equal_the_registry_by_occasion_and_district(client, reg):
    user = reg.users["dolisa"]
    rows = registry_rows(client, user)
    response = client.get(reverse("awards:registry_statistics"), {"signed_from": "", "signed_to": ""})
    lines = response.context["lines"]
    total = lines[-1]
    assert total.total == len(rows) and total.bonus == sum(r[3] for r in rows)
    expected = Award.objects.values("occasion__name", "district__name").annotate(n=Count("pk")).order_by()
    shown = {}
    occasion = None
    for line in reversed(lines[:-1]):  # each occasion's subtotal follows its districts
        if line.level == 1:
            occasion = line.label
        else:
            shown[(occasion, line.label)] = line.total
    assert shown == {
        (row["occasion__name"], row["district__name"] or "Cấp tỉnh và đơn vị không thuộc huyện"): row["n"]
        for row in expected
    }
    assert sum(line.total for line in lines if line.level == 1) == total.total


def test_the_default_period_is_the_current_year(client, reg):
    client.force_login(reg.users["dolisa"])
    response = client.get(reverse("awards:registry_statistics"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.cleaned_data["signed_from"].month == 1 and form.cleaned_data["signed_to"].day == 31


def test_each_statistic_is_one_query(reg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = reg.users["board"]
    selectors.reporter(user)
    with CaptureQueriesContext(connection) as queries:
        selectors.statistics(user)
    assert len([q for q in queries if "awards_award" in q["sql"]]) == 1
    with CaptureQueriesContext(connection) as queries:
        selectors.form_0603(user)
    assert len([q for q in queries if "awards_award" in q["sql"]]) == 1


def sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_form_0603_and_the_statistics_download_as_excel(client, reg):
    client.force_login(reg.users["dolisa"])
    period = {"signed_from": "01/01/2024", "signed_to": "31/12/2025"}
    response = client.get(reverse("awards:registry_0603_xlsx"), period, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert 'filename="bieu-0603N-20240101-20251231.xlsx"' in response["Content-Disposition"]
    rows = sheet(response)
    assert rows[0][0].startswith("Biểu số 0603.N/BNV-TĐKT")
    header = next(n for n, row in enumerate(rows) if row and row[0] == "Mã số")
    assert rows[header] == ["Mã số", "Phương thức khen thưởng", "Tổng số", "Tập thể", "Hộ gia đình", "Cá nhân"]
    assert rows[header + 1] == ["01", "Tổng số khen thưởng cấp tỉnh", 9, 2, 2, 5]
    assert rows[header + 4][0] == "04" and rows[header + 4][2:] == [1, 0, 0, 1]

    response = client.get(reverse("awards:registry_statistics_xlsx"), period, HTTP_ACCEPT_LANGUAGE="vi")
    rows = sheet(response)
    assert rows[-1][0] == "Tổng cộng" and rows[-1][4] == 9
    vu_thu = next(row for row in rows if row and row[0] == "Huyện Vũ Thư")
    assert vu_thu == ["Huyện Vũ Thư", 1, 1, 1, 3, 7_020_000 + 5_270_000 + 3_510_000]


def test_a_bad_period_gives_no_file(client, reg):
    client.force_login(reg.users["dolisa"])
    bad = {"signed_from": "31/02/2025"}
    assert client.get(reverse("awards:registry_0603_xlsx"), bad).status_code == 404
    assert client.get(reverse("awards:registry_0603"), bad).status_code == 400
