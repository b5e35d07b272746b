"""The yearly summary as a Decree 30 report (BÁO CÁO) of the lead unit: header, number …/BC-…, dateline of its
date of issue, title, the narrative in the plan's sections with the tables under theirs, "Nơi nhận" and the
signature. Rendered by the worker (`documents.services.request_document` with the summary as subject)."""

from documents import kinds
from movement.models import Movement

from ..models import DocumentKind, Summary
from . import tables

# The sections as the report prints them (Vietnamese by law), in the order of the unit reports' narrative.
HEADINGS = (
    ("direction", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"),
    ("results", "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ, CHỈ TIÊU"),
    ("practices", "III. MÔ HÌNH, CÁCH LÀM HAY, ĐIỂN HÌNH TIÊN TIẾN"),
    ("difficulties", "IV. TỒN TẠI, HẠN CHẾ"),
    ("proposals", "V. PHƯƠNG HƯỚNG, KIẾN NGHỊ, ĐỀ XUẤT"),
)


def summary_context(unit, day, subject):
    """The summary `subject` of the lead unit `unit`, dated `day` (its date of issue once submitted)."""
    summary = Summary.objects.select_related("movement").get(pk=subject, issuer=unit)
    movement = summary.movement
    sections = [
        {
            "heading": heading,
            "paragraphs": [line for line in getattr(summary, name).split("\n") if line.strip()],
            "tables": tables.printed_tables(summary.figures, section=name),
        }
        for name, heading in HEADINGS
    ]
    return {
        "summary": summary,
        "movement": movement,
        "plan": _plan(movement),
        "sections": sections,
        "draft": summary.number is None,
    }


def _plan(movement: Movement):
    return f"Kế hoạch số {movement.plan_number} ngày {movement.plan_date:%d/%m/%Y} của {movement.plan_issuer}"


def summary_filename(unit, day, subject):
    summary = Summary.objects.only("year", "number").get(pk=subject)
    number = f"-so-{summary.number}" if summary.number else "-du-thao"
    return f"bao-cao-tong-hop-phong-trao-thi-dua-{summary.year}{number}.pdf"


def register():
    kinds.register(
        DocumentKind.PROVINCIAL_SUMMARY,
        label=DocumentKind.PROVINCIAL_SUMMARY.label,
        template="reports/decree30/provincial_summary.html",
        type_code="BC",
        context=summary_context,
        filename=summary_filename,
        with_subject=True,
    )
