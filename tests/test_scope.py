"""Every object URL answers 404 to a user of another commune, and works for the owner."""

from datetime import date

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from awards.models import AwardType, Claim, Nomination, Nominee, NomineeFile
from common.jobs import JobState
from deadlines.models import Notification
from documents.models import Document
from households.models import ArchiveReason, Household, Member, PovertyStandard, Review
from imports.models import ExportJob, ImportJob
from imports.models import JobState as ImportState
from movement import seed
from movement.models import Compilation, Criterion, GoodPractice, PracticeFile
from reports.models import Summary, UnitReport, UnitReportFile
from tests.awards import registry_fixtures
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.fixture
def setting(tree, make_user, settings, tmp_path):
    """Two communes with an officer each; objects belonging to the first (Xã Song An)."""
    settings.MEDIA_ROOT = tmp_path
    song_an = tree.commune("13249")
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Hạ", parent=song_an
    )
    owner = make_user(Role.COMMUNE_OFFICER, song_an)
    stranger = make_user(Role.COMMUNE_OFFICER, tree.commune("13255"))
    household = Household.objects.create(province=tree.province, village=village, code="13249-00001")
    member = Member.objects.create(
        household=household, full_name="Nguyễn Văn Ân", birth_date=date(1970, 5, 1), sex="M", relation="head"
    )
    review = Review.objects.create(
        household=household,
        year=2026,
        standard=PovertyStandard.objects.get(code="nd07-2021"),
        is_urban=False,
        income=1_000_000,
        member_count=1,
        computed_class="near_poor",
    )
    document = Document.objects.create(
        kind="unit_roster", unit=song_an, as_of="2025-01-01", requested_by=owner, state=JobState.DONE
    )
    movement = seed.load_movement(seed.read()).movement
    practice = GoodPractice.objects.create(
        movement=movement,
        unit=song_an,
        title="Mô hình tổ liên gia giúp nhau thoát nghèo",
        kind="model",
        description="Các hộ trong tổ giúp nhau ngày công.",
        results="Ba hộ thoát nghèo.",
        created_by=owner,
    )
    practice_file = PracticeFile(practice=practice, name="anh.png", type="png", size=8, uploaded_by=owner)
    practice_file.file.save("anh.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    now = timezone.now()
    unit_report = UnitReport.objects.create(
        movement=movement,
        unit=song_an,
        year=2025,
        deadline=movement.milestones.get(key="unit-report-2025").deadline,
        figures_at=now,
        opened_by=owner,
        opened_at=now,
        updated_by=owner,
        updated_at=now,
    )
    report_file = UnitReportFile(report=unit_report, name="phụ lục.png", size=8, uploaded_by=owner, uploaded_at=now)
    report_file.file.save("phu-luc.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    summary = Summary.objects.create(
        movement=movement,
        year=2025,
        issuer=movement.lead_unit,
        deadline=movement.milestones.get(key="summary-2025").deadline,
        figures_at=now,
        opened_by=owner,
        opened_at=now,
        updated_by=owner,
        updated_at=now,
    )
    occasion = registry_fixtures.make_occasion(
        movement, code="tong-ket-2025", name="Tổng kết 2021-2025", kind="final", year=2025
    )
    decision = registry_fixtures.make_decision(
        occasion=occasion, issuer=tree.province, number=1234, signed_on=date(2025, 8, 15), user=owner
    )
    award = registry_fixtures.award(decision, name="Nguyễn Văn Ân", unit=song_an, birth_year=1970)
    award.save()
    award_type = AwardType.objects.create(code="bk-ca-nhan", name="Bằng khen (cá nhân)", nominee_kind="individual")
    nomination = Nomination.objects.create(occasion=occasion, unit=song_an, created_by=owner, minutes_name="bb.png")
    nomination.minutes.save("bien-ban.png", ContentFile(PNG))
    nominee = Nominee.objects.create(
        nomination=nomination,
        kind="individual",
        award_type=award_type,
        full_name="Trần Thị Lan",
        birth_year=1980,
        achievements="Giúp 3 hộ thoát nghèo.",
        created_by=owner,
    )
    nominee_file = NomineeFile(nominee=nominee, kind="achievement", name="báo cáo.png", size=24, uploaded_by=owner)
    nominee_file.file.save("bao-cao.png", ContentFile(PNG))
    criteria = Criterion.objects.filter(group__movement=movement, group__letter="g").order_by("order")
    claim = Claim.objects.create(nominee=nominee, criterion=criteria[0], statement="Tích cực.")
    return {
        "summary": summary,
        "award": award,
        "proposal": decision.proposal,
        "decision": decision,
        "nomination": nomination,
        "nominee": nominee,
        "nominee_file": nominee_file,
        "claim": claim,
        "other_criterion": criteria[1],
        "unit_report": unit_report,
        "report_file": report_file,
        "owner": owner,
        "stranger": stranger,
        "practice": practice,
        "practice_file": practice_file,
        "compilation": Compilation.objects.create(
            movement=movement, year=2025, half=1, sent_by=owner, sent_at=timezone.now()
        ),
        "unit": song_an,
        "deadline": movement.milestones.get(key="unit-report-2025").deadline,
        "document": document,
        "household": household,
        "member": member,
        "review": review,
        "notification": Notification.objects.create(
            recipient=owner, title="Rà soát 2026 của hộ 13249-00001 bị trả lại để sửa", url=review.get_absolute_url()
        ),
        "export": ExportJob.objects.create(kind="members", year=2026, params={"year": "2026"}, requested_by=owner),
        "job": ImportJob.objects.create(
            kind="households", unit=song_an, original_name="danh-sách-hộ.xlsx", requested_by=owner
        ),
    }


# name -> (method, how to build the URL arguments from `setting`)
OBJECT_URLS = {
    "units:detail": ("get", lambda s: [s["unit"].pk]),
    "units:export": ("get", lambda s: [s["unit"].pk]),
    "reports:unit_summary_pdf": ("get", lambda s: [s["unit"].pk]),
    "reports:document_request": ("post", lambda s: [s["unit"].pk]),
    "documents:document": ("get", lambda s: [s["document"].pk]),
    "documents:status": ("get", lambda s: [s["document"].pk]),
    "documents:download": ("get", lambda s: [s["document"].pk]),
    "households:detail": ("get", lambda s: [s["household"].pk]),
    "households:edit": ("get", lambda s: [s["household"].pk]),
    "households:archive": ("post", lambda s: [s["household"].pk]),
    "households:member_add": ("get", lambda s: [s["household"].pk]),
    "households:member_edit": ("get", lambda s: [s["household"].pk, s["member"].pk]),
    "households:review_start": ("post", lambda s: [s["household"].pk]),
    "households:review": ("get", lambda s: [s["household"].pk, 2026]),
    "households:review_classify": ("post", lambda s: [s["household"].pk, 2026]),
    "households:review_transition": ("post", lambda s: [s["household"].pk, 2026, "submit"]),
    "deadlines:open": ("get", lambda s: [s["notification"].pk]),
    "deadlines:read": ("post", lambda s: [s["notification"].pk]),
    "imports:job": ("get", lambda s: [s["job"].pk]),
    "imports:status": ("get", lambda s: [s["job"].pk]),
    "imports:errors": ("get", lambda s: [s["job"].pk]),
    "imports:confirm": ("post", lambda s: [s["job"].pk]),
    "imports:cancel": ("post", lambda s: [s["job"].pk]),
    "imports:export": ("get", lambda s: [s["export"].pk]),
    "imports:export_status": ("get", lambda s: [s["export"].pk]),
    "imports:export_download": ("get", lambda s: [s["export"].pk]),
    "movement:practice": ("get", lambda s: [s["practice"].pk]),
    "movement:practice_edit": ("get", lambda s: [s["practice"].pk]),
    "movement:practice_step": ("post", lambda s: [s["practice"].pk, "propose"]),
    "movement:practice_file": ("get", lambda s: [s["practice_file"].pk]),
    "movement:practice_file_remove": ("post", lambda s: [s["practice_file"].pk]),
    "movement:compilation": ("get", lambda s: [s["compilation"].pk]),
    "movement:compilation_xlsx": ("get", lambda s: [s["compilation"].pk]),
    "reports:form_xlsx": ("get", lambda s: ["movement", s["unit"].pk, 2025]),
    "reports:form_pdf": ("get", lambda s: ["movement", s["unit"].pk, 2025]),
    "reports:form_document": ("post", lambda s: ["movement", s["unit"].pk, 2025]),
    "reports:posting_list": ("get", lambda s: [s["household"].village_id, 2026]),
    "rates:detail": ("get", lambda s: [s["deadline"].pk]),
    "rates:missing": ("get", lambda s: [s["deadline"].pk]),
    "reports:unit_report": ("get", lambda s: [s["unit_report"].pk]),
    "reports:unit_report_pdf": ("get", lambda s: [s["unit_report"].pk]),
    "reports:unit_report_step": ("post", lambda s: [s["unit_report"].pk, "accept"]),
    "reports:unit_report_attach": ("post", lambda s: [s["unit_report"].pk]),
    "reports:unit_report_file": ("get", lambda s: [s["report_file"].pk]),
    "reports:unit_report_file_remove": ("post", lambda s: [s["report_file"].pk]),
    "reports:unit_report_district": ("get", lambda s: [s["unit"].parent_id]),
    "awards:proposal": ("get", lambda s: [s["proposal"].pk]),
    "awards:proposal_document": ("post", lambda s: [s["proposal"].pk]),
    "awards:decision": ("get", lambda s: [s["decision"].pk]),
    "awards:decision_document": ("post", lambda s: [s["decision"].pk, "award_decision"]),
    "awards:registry_award": ("get", lambda s: [s["award"].pk]),
    "reports:summary": ("get", lambda s: [s["summary"].pk]),
    "reports:summary_step": ("post", lambda s: [s["summary"].pk, "acknowledge"]),
    "reports:summary_document": ("post", lambda s: [s["summary"].pk]),
    "reports:summary_annex": ("get", lambda s: [s["summary"].pk, "communes"]),
    "awards:nomination": ("get", lambda s: [s["nomination"].pk]),
    "awards:nomination_council": ("post", lambda s: [s["nomination"].pk]),
    "awards:nomination_submit": ("post", lambda s: [s["nomination"].pk]),
    "awards:nomination_minutes": ("get", lambda s: [s["nomination"].pk]),
    "awards:nominee": ("get", lambda s: [s["nominee"].pk]),
    "awards:nominee_remove": ("post", lambda s: [s["nominee"].pk]),
    "awards:nominee_claim": ("post", lambda s: [s["nominee"].pk]),
    "awards:claim_remove": ("post", lambda s: [s["nominee"].pk, s["claim"].pk]),
    "awards:nominee_attach": ("post", lambda s: [s["nominee"].pk]),
    "awards:nominee_step": ("post", lambda s: [s["nominee"].pk, "forward"]),
    "awards:nominee_file": ("get", lambda s: [s["nominee_file"].pk]),
    "awards:nominee_file_remove": ("post", lambda s: [s["nominee_file"].pk]),
}


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_another_communes_officer_gets_404(client, setting, name):
    method, args = OBJECT_URLS[name]
    client.force_login(setting["stranger"])
    response = getattr(client, method)(reverse(name, args=args(setting)), {"year": 2026})
    assert response.status_code == 404


# Downloads exist only once their file does (a rendered document, a checked import, a written export).
DOWNLOADS = {"documents:download", "imports:errors", "imports:export_download"}


# What the owner posts for the action to succeed (a refusal redirects too, with an error message).
OWNER_DATA = {
    "households:archive": {"reason": ArchiveReason.MOVED_AWAY, "on": "15/01/2025"},
    "reports:unit_report_attach": {"file": SimpleUploadedFile("ảnh.png", PNG)},
    "awards:nominee_attach": {"file-kind": "evidence", "file-file": SimpleUploadedFile("ảnh.png", PNG)},
    "awards:nominee_claim": lambda s: {"claim-criterion": s["other_criterion"].pk, "claim-statement": "Có sáng kiến."},
}

# Actions that answer a success with a redirect: the page they lead to.
REDIRECTS = {
    "households:archive": "households:detail",
    "households:review_start": "households:review",
    "households:review_transition": "households:review",
    "imports:cancel": "imports:job",
    "imports:confirm": "imports:job",
    "reports:document_request": "documents:document",
    "deadlines:open": "households:review",
    "deadlines:read": "deadlines:inbox",
    "movement:practice_step": "movement:practice",
    "movement:practice_file_remove": "movement:practice_edit",
    "reports:unit_report_attach": "reports:unit_report",
    "reports:unit_report_file_remove": "reports:unit_report",
    "awards:nomination_council": "awards:nomination",
    "awards:nomination_submit": "awards:nomination",
    "awards:nominee_remove": "awards:nomination",
    "awards:nominee_claim": "awards:nominee",
    "awards:claim_remove": "awards:nominee",
    "awards:nominee_attach": "awards:nominee",
    "awards:nominee_file_remove": "awards:nominee",
}


# The half-year lists of good practices go from the lead unit to the Emulation Board: no commune reads them
# (who does: tests/movement/test_prac_pages.py); a form's document of all communes is the province's
# (tests/reports/test_forms_statistics.py); reporting rates are followed by a province or a district
# (tests/deadlines/test_rates_reporting.py); a commune's report is accepted or returned by its district, whose
# inbox it is (tests/reports/test_unit_reports.py); the yearly summary is DOLISA's and the Emulation Board's
# (tests/reports/test_summaries.py); proposals and decisions are the provincial bodies'
# (tests/awards/test_decisions_pages.py); a commune's nominees are forwarded by its district
# (tests/awards/test_core_workflow.py).
PROVINCE_ONLY = {
    "awards:nominee_step",
    "awards:proposal",
    "awards:proposal_document",
    "awards:decision",
    "awards:decision_document",
    "reports:summary",
    "reports:summary_step",
    "reports:summary_document",
    "reports:summary_annex",
    "movement:compilation",
    "movement:compilation_xlsx",
    "reports:form_document",
    "rates:detail",
    "rates:missing",
    "reports:unit_report_step",
    "reports:unit_report_district",
}


def _owner_data(name, setting):
    data = OWNER_DATA.get(name, {})
    return data(setting) if callable(data) else data


@pytest.mark.parametrize("name", sorted(set(OBJECT_URLS) - DOWNLOADS - PROVINCE_ONLY))
def test_the_owner_reaches_the_same_urls(client, setting, name, django_capture_on_commit_callbacks):
    method, args = OBJECT_URLS[name]
    client.force_login(setting["owner"])
    if name == "imports:confirm":
        ImportJob.objects.filter(pk=setting["job"].pk).update(state=ImportState.VALIDATED)
    with django_capture_on_commit_callbacks(execute=False):
        response = getattr(client, method)(
            reverse(name, args=args(setting)), {"year": 2026, **_owner_data(name, setting)}
        )
    refusals = [str(m) for m in get_messages(response.wsgi_request) if m.level >= messages.WARNING]
    assert not refusals, f"{name} refused the owner: {refusals}"
    if name in REDIRECTS:
        assert response.status_code == 302
        assert resolve(response["Location"]).view_name == REDIRECTS[name]
        assert client.get(response["Location"]).status_code == 200
    else:
        assert response.status_code == 200


def test_the_url_list_covers_every_object_url():
    """A new URL taking an object id must be added to OBJECT_URLS above."""
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, f"{prefix}{p.namespace + ':' if p.namespace else ''}")
            elif "<int:pk>" in str(p.pattern):
                yield f"{prefix}{p.name}"

    project_names = {n for n in walk(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert project_names == set(OBJECT_URLS)
