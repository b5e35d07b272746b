"""Self-assessment against the unit's own criteria: computed figures from the records (not typeable, frozen at
submission), documents checked by their content, yes/no with a comment; the measures on generated registry data."""

import random
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deadlines import services as deadline_services
from households import figures
from households.models import Household, Member, PovertyClass, PovertyStandard, Review, ReviewState
from movement.models import Answer, Assessment, Criterion, Evidence, Measure, Milestone, Support, SupportKind
from movement.selectors import measures
from movement.services import participation as services
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

from .part_files import JPEG, PNG, docx_bytes, pdf_bytes, upload, vn

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
YEARS = (2023, 2024, 2025)


@pytest.fixture
def song_an(tree):
    return tree.commune("13249")


def _village(commune, name):
    return Unit.objects.create(kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name=name, parent=commune)


def _household(province, village, code, classes):
    household = Household.objects.create(province=province, village=village, code=code)
    Member.objects.create(
        household=household, full_name="Chủ hộ", birth_date=date(1970, 1, 1), sex="M", relation="head"
    )
    standard = PovertyStandard.objects.get(code="nd07-2021")
    for year, cls in classes.items():
        Review.objects.create(
            household=household,
            year=year,
            standard=standard,
            is_urban=False,
            income=1_000_000,
            member_count=3,
            computed_class=cls,
            recognised_class=cls,
            state=ReviewState.RECOGNISED,
        )
    return household


def _generate(tree, commune, seed=11, per_village=40):
    """Households of two villages with a recognised class each year, drawn at random; returns their classes."""
    rng = random.Random(seed)
    histories = []
    for name in ("Thôn Nhân Thanh Thượng", "Thôn Đồng Tâm"):
        village = _village(commune, name)
        for _ in range(per_village):
            classes = {year: rng.choice([P, P, N, N, A, X]) for year in YEARS}
            _household(tree.province, village, f"{commune.code}-{len(histories) + 1:05d}", classes)
            histories.append(classes)
    return histories


def test_measures_equal_the_movement_table_on_generated_data(tree, song_an, movement):
    histories = _generate(tree, song_an)
    poor_start = sum(h[2024] == P for h in histories)
    poor_end = sum(h[2025] == P for h in histories)
    near_start = sum(h[2024] == N for h in histories)
    near_end = sum(h[2025] == N for h in histories)
    # Fell back into poverty: poor in 2025, above the near-poor line in 2024, poor in an earlier year (2023).
    repoor = sum(h[2025] == P and h[2024] in (A, X) and h[2023] == P for h in histories)
    assert measures.poor_reduction(song_an, 2025) == poor_start - poor_end
    assert measures.near_poor_reduction(song_an, 2025) == near_start - near_end
    assert measures.repoor(song_an, 2025) == repoor > 0

    total = figures.movement_table(song_an, 2025)[1].values
    assert (
        measures.MEASURES[Measure.POOR_REDUCTION](song_an, 2025)
        == total["poor"]["households"][1] - (total["poor"]["households"][9])
    )
    # The district holds only this commune's households: the same figures one level up.
    district = tree.district("344")
    for measure in (Measure.POOR_REDUCTION, Measure.NEAR_POOR_REDUCTION, Measure.REPOOR):
        assert measures.figure(measure, district, 2025) == measures.figure(measure, song_an, 2025)
    # No registry of its own: no figure; nothing in the ledger: nothing given.
    assert measures.figure(Measure.POOR_REDUCTION, tree.participant("NHCSXH Thái Bình"), 2025) is None
    assert measures.figure(Measure.SUPPORT_GIVEN, song_an, 2025) == 0


def test_every_measure_a_criterion_can_name_has_its_function():
    assert set(measures.MEASURES) == set(Measure)


def test_reports_on_time_counts_the_years_deliveries_by_the_vietnam_due_day(tree, song_an, movement):
    plan = Milestone.objects.get(movement=movement, key="unit-plan").deadline
    report_2022 = Milestone.objects.get(movement=movement, key="unit-report-2022").deadline
    report_2023 = Milestone.objects.get(movement=movement, key="unit-report-2023").deadline
    deadline_services.deliver(deadline=plan, unit=song_an, at=vn(2022, 10, 1, 0, 0, 0))  # late by a second
    deadline_services.deliver(deadline=report_2022, unit=song_an, at=vn(2022, 11, 20, 23, 59, 59))  # on time
    deadline_services.deliver(deadline=report_2023, unit=song_an, at=vn(2023, 11, 2))
    deadline_services.deliver(deadline=report_2022, unit=tree.commune("13255"), at=vn(2022, 11, 1))
    assert measures.reports_on_time(song_an, 2022) == 1
    assert measures.reports_on_time(song_an, 2023) == 1
    assert measures.reports_on_time(song_an, 2024) == 0


def _assessment_url(movement, unit, year=2025):
    return reverse("movement:assessment", args=[movement.pk, unit.pk, year])


def _document_criterion(movement):
    return Criterion.objects.get(group__movement=movement, group__letter="c", evidence=Evidence.DOCUMENT)


def test_a_commune_assesses_itself_with_figures_filled_in_and_frozen_at_submission(
    client, media, tree, song_an, movement, make_user
):
    histories = _generate(tree, song_an)
    expected = sum(h[2024] == P for h in histories) - sum(h[2025] == P for h in histories)
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    # Support received by the commune's households in the year comes from the ledger (the bank's loan).
    Support.objects.create(
        giver=tree.participant("NHCSXH Thái Bình"),
        household=Household.objects.filter(village__parent=song_an).first(),
        commune=song_an,
        kind=SupportKind.LOAN,
        value=50_000_000,
        given_on=date(2025, 3, 1),
        recorded_by=officer,
    )
    client.force_login(officer)
    html = client.get(_assessment_url(movement, song_an)).content.decode()
    criteria = re.findall(r'data-testid="criterion" data-evidence="(\w+)"', html)
    assert criteria == ["document", "computed", "computed", "computed"]
    figures_shown = re.findall(r'data-testid="figure">(.*?)</p>', html, re.S)
    assert figures_shown[1] == "<strong>50.000.000</strong>"  # support received
    assert figures_shown[2] == f"<strong>{expected}</strong>"
    assert "Hằng năm giảm số hộ nghèo, số hộ cận nghèo đa chiều trên địa bàn." in html
    # Only the document can be given: a computed figure has no input at all.
    assert len(re.findall(r'<input type="file"', html)) == 1 and 'name="figure' not in html

    document = _document_criterion(movement)
    response = client.post(
        _assessment_url(movement, song_an),
        {"submit": "1", f"file_{document.pk}": upload(docx_bytes(), "bao-cao.docx")},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.is_submitted and assessment.submitted_by == officer
    frozen = {a.criterion.measure: a.figure for a in assessment.answers.select_related("criterion")}
    assert frozen == {"": None, "reports_on_time": 0, "support_received": 50_000_000, "poor_reduction": expected}
    assert Answer.objects.get(criterion=document).file.name.endswith(".docx")

    # A household recognised poor afterwards changes the live figure, not the submitted one.
    village = Unit.objects.get(name="Thôn Đồng Tâm")
    _household(tree.province, village, "13249-09999", {2024: P, 2025: A})
    assert measures.poor_reduction(song_an, 2025) == expected + 1
    html = client.get(_assessment_url(movement, song_an)).content.decode()
    assert f"<strong>{expected}</strong>" in html and 'data-testid="assessment-submitted"' in html
    download = client.get(reverse("movement:assessment_file", args=[movement.pk, song_an.pk, 2025, document.pk]))
    assert b"".join(download.streaming_content).startswith(b"PK\x03\x04")

    response = client.post(_assessment_url(movement, song_an), {"save": "1"})
    assert "Bản tự đánh giá này đã gửi, không sửa được nữa." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Day la van ban thuong", "minh-chung.pdf", "Tệp này không phải PDF, tài liệu Word (.docx) hay ảnh JPEG, PNG"),
        (b"PK\x03\x04 not really a zip", "minh-chung.docx", "Tệp này không phải PDF, tài liệu Word"),
        (b"%PDF-1.4 broken", "minh-chung.pdf", "Tệp này không phải PDF, tài liệu Word"),
        (b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "anh.jpg", "tài liệu chỉ được tối đa 10 MB"),
    ],
)
def test_a_document_of_the_wrong_type_is_refused_and_nothing_is_saved(
    client, media, tree, song_an, movement, make_user, content, name, message
):
    client.force_login(make_user(Role.COMMUNE_OFFICER, song_an))
    document = _document_criterion(movement)
    data = {"save": "1", f"file_{document.pk}": upload(content, name)}
    response = client.post(_assessment_url(movement, song_an), data)
    assert message in response.content.decode()
    assert not Assessment.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("content", "extension"), [(pdf_bytes(), "pdf"), (PNG, "png"), (JPEG, "jpg")])
def test_pdfs_and_images_evidence_a_criterion_by_their_content(media, song_an, movement, make_user, content, extension):
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    document = _document_criterion(movement)
    services.save_assessment(
        user=officer,
        movement=movement,
        unit=song_an,
        year=2024,
        answers={document.pk: {"file": upload(content, "tep-dat-ten-sai.docx")}},
    )
    assert Answer.objects.get(criterion=document).file.name.endswith(f".{extension}")


def test_yes_no_criteria_need_an_answer_before_submitting(media, song_an, movement, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    group = _document_criterion(movement).group
    question = Criterion.objects.create(
        group=group, order=5, text="Có quy chế phối hợp với Mặt trận trong giảm nghèo", evidence=Evidence.YES_NO
    )
    document = _document_criterion(movement)
    services.save_assessment(
        user=officer, movement=movement, unit=song_an, year=2024, answers={document.pk: {"file": upload(pdf_bytes())}}
    )
    with pytest.raises(ValidationError) as refused:
        services.save_assessment(user=officer, movement=movement, unit=song_an, year=2024, answers={}, submit=True)
    assert refused.value.message_dict == {f"met_{question.pk}": ["Chọn Đạt hoặc Không đạt trước khi gửi."]}
    assert not Assessment.objects.get().is_submitted

    answers = {question.pk: {"met": True, "comment": "Ban hành quy chế số 12/QC ngày 01/3/2024"}}
    services.save_assessment(user=officer, movement=movement, unit=song_an, year=2024, answers=answers, submit=True)
    answer = Answer.objects.get(criterion=question)
    assert answer.met is True and answer.comment.startswith("Ban hành quy chế")
    assert Assessment.objects.get().is_submitted


def test_no_assessment_for_a_year_not_begun_or_outside_the_movement(client, song_an, movement, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    with pytest.raises(ValidationError):
        services.save_assessment(user=officer, movement=movement, unit=song_an, year=2030, answers={})
    client.force_login(officer)
    assert client.get(_assessment_url(movement, song_an, 2020)).status_code == 404


def test_another_units_assessment_answers_404(client, media, tree, song_an, movement, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    document = _document_criterion(movement)
    services.save_assessment(
        user=officer, movement=movement, unit=song_an, year=2025, answers={document.pk: {"file": upload(pdf_bytes())}}
    )
    client.force_login(make_user(Role.COMMUNE_OFFICER, tree.commune("13255")))
    assert client.get(_assessment_url(movement, song_an)).status_code == 404
    response = client.post(_assessment_url(movement, song_an), {"submit": "1"})
    assert response.status_code == 404 and not Assessment.objects.get().is_submitted
    file_url = reverse("movement:assessment_file", args=[movement.pk, song_an.pk, 2025, document.pk])
    assert client.get(file_url).status_code == 404
