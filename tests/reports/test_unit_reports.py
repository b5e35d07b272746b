"""Unit reports: figures pre-filled from the registry and the ledger, frozen at submission; every step of the
workflow by the right role and the wrong ones refused; on time or late fixed at the first submission; another
unit's report answers 404; bad input refused in Vietnamese with nothing saved; the inboxes' query counts."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from deadlines.models import Fulfilment, Notification
from households import figures as registry
from households.models import Household, ReviewState
from movement.models import Support, SupportKind
from movement.selectors import ledger
from reports.models import UnitReport, UnitReportFile, UnitReportState, UnitReportTransition
from reports.unit_reports import services
from tests.factories import ReviewFactory
from tests.movement.practices_helpers import pdf, png
from tests.reports.unit_report_helpers import SECTIONS, People, at, generate

NOV_15 = at(2025, 11, 15)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def people(tree, make_user, movement):
    return People(tree, make_user, movement)


@pytest.fixture
def in_november():
    with time_machine.travel(NOV_15, tick=False):
        yield


def open_(people, movement, user, unit, year=2025, now=NOV_15):
    return services.open_report(user=user, movement=movement, unit=unit, year=year, now=now)


def submit(report, user, now=NOV_15, sections=SECTIONS):
    return services.submit_report(user=user, report=report, sections=sections, now=now)


# Figures ------------------------------------------------------------------------------------------------------


def test_the_prefilled_figures_equal_the_registry_and_the_ledger(tree, movement, people, in_november):
    generate(tree)
    Support.objects.create(
        giver=people.women,
        commune=people.song_an,
        kind=SupportKind.HOUSING,
        value=80_000_000,
        given_on=date(2025, 2, 5),
        recorded_by=people.union,
    )
    for unit, user in ((people.song_an, people.commune), (people.vu_thu, people.district)):
        report = open_(people, movement, user, unit)
        _rows, total = registry.movement_table(unit, 2025)
        poor, near = total.values["poor"]["households"], total.values["near"]["households"]
        assert poor[1] > 0 and poor[9] > 0  # the generated data reaches the table
        f = report.figures
        assert (f["poor_start"], f["poor_end"], f["near_start"], f["near_end"]) == (poor[1], poor[9], near[1], near[9])
        assert f["poor_moves"] == {str(c): poor[c] for c in range(2, 9)}
        assert f["near_moves"] == {str(c): near[c] for c in range(2, 9)}
        assert f["reduction"] == poor[1] - poor[9]
    union_report = open_(people, movement, people.union, people.women)
    assert union_report.figures["territorial"] is False
    assert union_report.figures["support_given"] == ledger.measure_support_given(people.women, 2025) == 80_000_000
    assert "poor_start" not in union_report.figures


def test_the_reduction_is_told_against_the_units_target(tree, movement, people, in_november):
    generate(tree)
    movement.targets.create(unit=people.song_an, yearly_min=1, yearly_max=2)
    report = open_(people, movement, people.commune, people.song_an)
    assert (report.figures["target_min"], report.figures["target_max"]) == (1, 2)
    assert report.figures["target_met"] == (report.figures["reduction"] >= 1)


def test_figures_follow_the_records_until_submission_then_stay_frozen(tree, movement, people, in_november, client):
    generate(tree, communes=("13249",))
    report = open_(people, movement, people.commune, people.song_an)
    start = report.figures["poor_end"]
    village = Household.objects.filter(code__startswith="13249").first().village

    def add_poor(code):
        household = Household.objects.create(province=tree.province, village=village, code=code)
        ReviewFactory(household=household, year=2025, state=ReviewState.RECOGNISED, recognised_class="poor")

    add_poor("13249-09001")
    client.force_login(people.commune)
    page = client.get(report.get_absolute_url())
    assert (
        page.context["figure_rows"][[r.key for r in page.context["figure_rows"]].index("poor_end")].value == start + 1
    )
    report = submit(report, people.commune)
    assert report.figures["poor_end"] == start + 1
    add_poor("13249-09002")
    page = client.get(report.get_absolute_url())
    shown = {row.key: row.value for row in page.context["figure_rows"]}
    assert shown["poor_end"] == start + 1
    report.refresh_from_db()
    assert report.figures["poor_end"] == start + 1


# Workflow -----------------------------------------------------------------------------------------------------


def test_a_commune_report_goes_to_its_district_which_returns_then_accepts_it(tree, movement, people, in_november):
    report = open_(people, movement, people.commune, people.song_an)
    report = submit(report, people.commune)
    assert report.state == UnitReportState.SUBMITTED
    assert Notification.objects.filter(recipient=people.district, url=report.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient=people.dolisa).exists()

    with pytest.raises(ValidationError) as refused:
        services.review_report(user=people.district, report=report, name="return", comment="  ")
    assert refused.value.message_dict == {"comment": ["Ghi rõ nội dung cần sửa."]}
    report.refresh_from_db()
    assert report.state == UnitReportState.SUBMITTED

    report = services.review_report(
        user=people.district, report=report, name="return", comment="Bổ sung số liệu hộ tái nghèo."
    )
    assert report.state == UnitReportState.RETURNED
    assert Notification.objects.filter(recipient=people.commune, body__contains="tái nghèo").exists()
    report = submit(report, people.commune, now=at(2025, 11, 18))
    report = services.review_report(user=people.district, report=report, name="accept")
    assert report.state == UnitReportState.ACCEPTED
    steps = list(UnitReportTransition.objects.filter(report=report).values_list("to_state", "by__username", "comment"))
    assert steps == [
        ("submitted", "canbo.songan", ""),
        ("returned", "ldtbxh.vuthu", "Bổ sung số liệu hộ tái nghèo."),
        ("submitted", "canbo.songan", ""),
        ("accepted", "ldtbxh.vuthu", ""),
    ]
    with pytest.raises(ValidationError) as refused:
        submit(report, people.commune)
    assert refused.value.messages == ["Báo cáo đã chấp nhận thì không thể gửi nữa."]
    with pytest.raises(ValidationError):
        services.save_report(user=people.commune, report=report, sections=SECTIONS)
    assert UnitReportTransition.objects.filter(report=report).count() == 4


def test_the_wrong_people_cannot_take_a_step(tree, movement, people, in_november):
    report = submit(open_(people, movement, people.commune, people.song_an), people.commune)
    with pytest.raises(PermissionDenied):  # the commune does not accept its own report
        services.review_report(user=people.commune, report=report, name="accept")
    with pytest.raises(PermissionDenied):  # communes report to their district, not to DOLISA
        services.review_report(user=people.dolisa, report=report, name="accept")
    with pytest.raises(Http404):  # another district's officer does not see it
        services.review_report(user=people.other_district, report=report, name="accept")
    with pytest.raises(Http404):
        services.review_report(user=people.other_commune, report=report, name="accept")
    report.refresh_from_db()
    assert report.state == UnitReportState.SUBMITTED
    with pytest.raises(PermissionDenied):  # the district receives the commune's report; it does not write it
        services.open_report(user=people.district, movement=movement, unit=people.vu_hoi, year=2025, now=NOV_15)


def test_districts_and_organisations_report_to_dolisa(tree, movement, people, in_november):
    district_report = submit(open_(people, movement, people.district, people.vu_thu), people.district)
    union_report = submit(open_(people, movement, people.union, people.women), people.union)
    assert Notification.objects.filter(recipient=people.dolisa).count() == 2
    with pytest.raises(PermissionDenied):  # a district officer does not accept the district's own report
        services.review_report(user=people.district, report=district_report, name="accept")
    assert services.review_report(user=people.dolisa, report=district_report, name="accept").state == "accepted"
    returned = services.review_report(user=people.dolisa, report=union_report, name="return", comment="Thiếu phụ lục.")
    assert returned.state == UnitReportState.RETURNED


def test_on_time_or_late_is_fixed_at_the_first_submission(tree, movement, people):
    song_an = submit(
        open_(people, movement, people.commune, people.song_an), people.commune, now=at(2025, 11, 20, 23, 59, 59)
    )
    submit(open_(people, movement, people.other_commune, people.vu_hoi), people.other_commune, now=at(2025, 11, 21, 0))
    deadline = song_an.deadline
    assert Fulfilment.objects.get(deadline=deadline, unit=people.song_an).on_time is True
    assert Fulfilment.objects.get(deadline=deadline, unit=people.vu_hoi).on_time is False
    services.review_report(user=people.district, report=song_an, name="return", comment="Sửa mục II.")
    submit(song_an, people.commune, now=at(2025, 11, 28))
    assert Fulfilment.objects.get(deadline=deadline, unit=people.song_an).on_time is True
    assert Fulfilment.objects.filter(deadline=deadline, unit=people.song_an).count() == 1


# Bad input ----------------------------------------------------------------------------------------------------


def test_a_figure_typed_over_a_computed_one_is_refused_and_nothing_saved(tree, movement, people, in_november, client):
    report = open_(people, movement, people.commune, people.song_an)
    client.force_login(people.commune)
    response = client.post(report.get_absolute_url(), {**SECTIONS, "poor_end": "3", "submit": "1"})
    assert response.status_code == 400
    assert "không thể nhập đè" in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.direction) == (UnitReportState.DRAFT, "")
    assert not Fulfilment.objects.exists()


def test_a_report_without_its_sections_is_not_submitted(tree, movement, people, in_november, client):
    report = open_(people, movement, people.commune, people.song_an)
    client.force_login(people.commune)
    response = client.post(report.get_absolute_url(), {**SECTIONS, "proposals": " ", "submit": "1"})
    assert response.status_code == 400
    assert "Hãy viết mục này trước khi gửi." in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.direction) == (UnitReportState.DRAFT, "")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bao-cao.pdf", "không phải PDF".encode()), "Tệp này không phải PDF"),
        (SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "tối đa 10 MB"),
    ],
)
def test_a_wrong_attachment_is_refused(
    tree, movement, people, in_november, client, settings, tmp_path, upload, message
):
    settings.MEDIA_ROOT = tmp_path
    report = open_(people, movement, people.commune, people.song_an)
    client.force_login(people.commune)
    response = client.post(reverse("reports:unit_report_attach", args=[report.pk]), {"file": upload}, follow=True)
    assert message in response.content.decode()
    assert not UnitReportFile.objects.exists()


def test_attachments_are_kept_and_seen_only_in_scope(tree, movement, people, in_november, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = open_(people, movement, people.commune, people.song_an)
    services.attach(user=people.commune, report=report, file=pdf("Báo cáo chi tiết.pdf"))
    services.attach(user=people.commune, report=report, file=png())
    assert list(report.files.values_list("name", flat=True)) == ["Báo cáo chi tiết.pdf", "ảnh-mô-hình.png"]
    first = report.files.first()
    client.force_login(people.district)
    assert client.get(reverse("reports:unit_report_file", args=[first.pk])).status_code == 200
    client.force_login(people.other_commune)
    assert client.get(reverse("reports:unit_report_file", args=[first.pk])).status_code == 404


# Scope and pages ----------------------------------------------------------------------------------------------


def test_another_units_report_answers_404(tree, movement, people, in_november, client):
    report = open_(people, movement, people.commune, people.song_an)
    for user in (people.other_commune, people.other_district, people.union):
        client.force_login(user)
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.post(reverse("reports:unit_report_step", args=[report.pk, "accept"])).status_code == 404
    client.force_login(people.other_district)
    assert client.get(reverse("reports:unit_report_district", args=[people.vu_thu.pk])).status_code == 404
    client.force_login(people.commune)
    assert client.get(reverse("reports:unit_report_inbox")).status_code == 404
    assert client.post(reverse("reports:unit_report_open"), {"unit": people.vu_hoi.pk, "year": 2025}).status_code == 404
    assert UnitReport.objects.count() == 1


def test_the_commune_opens_its_report_from_its_list(tree, movement, people, in_november, client):
    client.force_login(people.commune)
    page = client.get(reverse("reports:unit_reports"))
    assert [(row.unit, row.year) for row in page.context["rows"]][:1] == [(people.song_an, 2025)]
    response = client.post(reverse("reports:unit_report_open"), {"unit": people.song_an.pk, "year": 2025})
    report = UnitReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.deadline.due_on == date(2025, 11, 20)


def test_the_district_inbox_lists_its_communes_beside_its_own_figures(
    tree, movement, people, in_november, client, django_assert_max_num_queries
):
    generate(tree)
    submit(open_(people, movement, people.commune, people.song_an), people.commune)
    open_(people, movement, people.other_commune, people.vu_hoi)
    client.force_login(people.district)
    url = reverse("reports:unit_report_district", args=[people.vu_thu.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url)
    rows = {row.unit.code: row for row in page.context["rows"]}
    communes = set(tree.district("344").children.filter(kind="commune").values_list("code", flat=True))
    assert set(rows) == communes
    assert rows["13249"].report.state == "submitted" and rows["13249"].on_time is True
    assert rows["13255"].report.state == "draft" and rows["13255"].on_time is None
    own = {row.key: row.value for row in page.context["own_rows"]}
    _rows, total = registry.movement_table(people.vu_thu, 2025)
    assert own["poor_start"] == total.values["poor"]["households"][1]
    body = page.content.decode()
    assert "Xã Song An" in body and "đúng hạn" in body


def test_the_inboxes_query_count_does_not_grow_with_the_reports(
    tree, movement, people, in_november, client, django_assert_num_queries, make_user
):
    client.force_login(people.district)
    district_url = reverse("reports:unit_report_district", args=[people.vu_thu.pk])
    client.get(district_url)
    with CaptureQueriesContext(connection) as before:
        client.get(district_url)
    submit(open_(people, movement, people.commune, people.song_an), people.commune)
    submit(open_(people, movement, people.other_commune, people.vu_hoi), people.other_commune)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(district_url)

    client.force_login(people.dolisa)
    inbox = reverse("reports:unit_report_inbox")
    client.get(inbox)
    with CaptureQueriesContext(connection) as before:
        client.get(inbox)
    submit(open_(people, movement, people.district, people.vu_thu), people.district)
    submit(open_(people, movement, people.union, people.women), people.union)
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(inbox)
    states = {row.unit.pk: row.report.state for row in page.context["rows"] if row.report}
    assert states == {people.vu_thu.pk: "submitted", people.women.pk: "submitted"}
    assert all(row.unit.kind != "commune" for row in page.context["rows"])
