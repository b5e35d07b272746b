"""The tables of the yearly summary, compiled from the unit reports (reporting rates and the units' key figures),
the registry (the movement of poor and near-poor households per district and the province's total), the ledger
(support given by kind of giver), the good practices (proposed, selected) and the award registry (awards decided).

The tables are a list of named builders (`TABLES`): each takes the summary's `Source` and returns its tables, so a
further table is one more builder appended to the list. `ANNEXES` are built the same way but go to
the Excel annexes only (a row per commune is too heavy for the PDF). `compile_tables` runs them all into plain JSON,
stored on the summary (recomputed while it is a draft, frozen at submission); the page, the PDF and the Excel
files all print that, so they cannot disagree.

Official documents are Vietnamese by law: the tables' titles and column names are written in Vietnamese here, as the
statistic forms' are (reports.statistics).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

from awards.registry import selectors as award_registry
from deadlines import rates
from deadlines import rules as deadline_rules
from households import figures
from households.rules import MOVEMENT_COLUMNS
from movement.models import Milestone, MilestoneKind, PracticeKind
from movement.selectors import ledger, practices
from units.choices import UnitKind
from units.models import Unit, natural_order

from ..models import UnitReport, UnitReportState
from ..unit_reports import selectors as report_selectors

TOTAL = "Tổng cộng"
RECEIVED = (UnitReportState.SUBMITTED, UnitReportState.ACCEPTED)
KIND_NAMES = {"model": "Mô hình", "initiative": "Sáng kiến", "exemplar": "Điển hình tiên tiến"}
LEVEL_NAMES = {
    "organisations": "Sở, ban, ngành, Mặt trận và đoàn thể",
    "districts": "Huyện, thành phố",
    "communes": "Xã, phường, thị trấn",
    "enterprises": "Doanh nghiệp, ngân hàng, hợp tác xã",
    "other": "Đơn vị khác",
}
STATE_NAMES = {
    UnitReportState.DRAFT: "Đang soạn",
    UnitReportState.SUBMITTED: "Đã gửi",
    UnitReportState.RETURNED: "Bị trả lại để sửa",
    UnitReportState.ACCEPTED: "Đã chấp nhận",
}


@dataclass(frozen=True)
class Source:
    """What every builder reads: the movement, the year, its province and the year's unit-report deadline."""

    movement: object
    year: int
    province: object
    report_deadline: object  # None when the movement has no unit-report milestone for the year


def source(movement, year):
    milestone = (
        Milestone.objects.filter(movement=movement, kind=MilestoneKind.UNIT_REPORT, deadline__year=year)
        .select_related("deadline")
        .first()
    )
    return Source(movement, year, movement.province, milestone.deadline if milestone else None)


def table(key, title, columns, rows, *, total=None, notes=(), section="results"):
    """A table as stored: its key, title, column names, rows (numbers stay numbers), its total row and notes;
    `section` is the narrative section the PDF prints it under."""
    return {
        "key": key,
        "section": section,
        "title": title,
        "columns": list(columns),
        "rows": [list(row) for row in rows],
        "total": list(total) if total is not None else None,
        "notes": list(notes),
    }


def _vi(label):
    with translation.override("vi"):
        return str(label)


def _timeliness(delivered_at, due_on):
    if delivered_at is None:
        return "Chưa gửi"
    return "Đúng hạn" if deadline_rules.on_time(delivered_at, due_on) else "Muộn"


# The tables of the document --------------------------------------------------------------------------------


def reporting_table(src):
    """Unit reports expected, submitted, on time, late and missing by level, and in total (the reporting rates)."""
    columns = ["Cấp, khối đơn vị", "Phải báo cáo", "Đã gửi", "Đúng hạn", "Muộn", "Chưa gửi", "Tỷ lệ đã gửi (%)"]
    if src.report_deadline is None:
        return [table("reporting", "Tình hình gửi báo cáo của các đơn vị", columns, [])]
    found = rates.rates(src.report_deadline, src.province, children=False)

    def line(counts):
        return [counts.expected, counts.submitted, counts.on_time, counts.late, counts.missing, counts.rate]

    rows = [[LEVEL_NAMES[level.key], *line(counts)] for level, counts in found.levels]
    return [
        table(
            "reporting",
            f"Tình hình gửi báo cáo kết quả thực hiện Phong trào thi đua năm {src.year}",
            columns,
            rows,
            total=[TOTAL, *line(found.total)],
            notes=[f"Hạn gửi báo cáo: ngày {src.report_deadline.due_on:%d/%m/%Y}."],
        )
    ]


def _key_figures(report):
    """A submitted report's key figures, as it froze them: poor households at the start and end of the year and
    their reduction (territorial units), support given, jobs and training, good practices proposed."""
    if report is None or report.state not in RECEIVED:
        return [None] * 6
    f = report.figures
    territorial = f.get("territorial")
    return [
        f.get("poor_start") if territorial else None,
        f.get("poor_end") if territorial else None,
        f.get("reduction") if territorial else None,
        f.get("support_given"),
        f.get("jobs_given"),
        f.get("good_practices"),
    ]


def units_table(src):
    """The units that report to the lead unit (districts, departments, organisations, enterprises), each with the
    state of its report and the key figures of its submitted report; the communes report to their district."""
    columns = [
        "STT",
        "Đơn vị",
        "Báo cáo",
        "Hộ nghèo đầu năm",
        "Hộ nghèo cuối năm",
        "Số hộ nghèo giảm",
        "Hỗ trợ (đồng)",
        "Việc làm, đào tạo nghề",
        "Mô hình, cách làm hay",
    ]
    if src.report_deadline is None:
        return [table("units", "Kết quả báo cáo của các đơn vị", columns, [])]
    inbox = report_selectors.dolisa_inbox(src.report_deadline, src.movement)
    rows = []
    for n, row in enumerate(inbox, 1):
        state = _timeliness(row.delivered_at, row.due_on)
        rows.append([n, row.unit.name, state, *_key_figures(row.report)])
    return [
        table(
            "units",
            "Kết quả chủ yếu theo báo cáo của các huyện, thành phố, sở, ban, ngành, đoàn thể và doanh nghiệp",
            columns,
            rows,
            notes=["Số liệu theo báo cáo đã gửi của từng đơn vị (chốt tại thời điểm gửi)."],
        )
    ]


def _movement_columns(table_name):
    names = {c: _vi(label) for c, label in MOVEMENT_COLUMNS[table_name].items()}
    return [f"({c}) {names[c]}" for c in figures.COLUMNS]


def registry_tables(src):
    """The movement of poor and near-poor households (households, columns 1-9) per district with the province's
    total, from the registry (`households.figures.movement_table`)."""
    rows, total = figures.movement_table(src.province, src.year, below=1)
    found = []
    for key, name, title in (
        ("poor", "registry_poor", "Diễn biến hộ nghèo"),
        ("near", "registry_near", "Diễn biến hộ cận nghèo"),
    ):
        found.append(
            table(
                name,
                f"{title} năm {src.year} theo huyện, thành phố (số hộ)",
                ["STT", "Huyện, thành phố", *_movement_columns(key)],
                [
                    [n, row.unit.name_then, *(row.get(key, "households", c) for c in figures.COLUMNS)]
                    for n, row in enumerate(rows, 1)
                ],
                total=["", TOTAL, *(total.get(key, "households", c) for c in figures.COLUMNS)],
                notes=["Cột (9) = (1) - (2) - (3) - (4) + (5) + (6) + (7) + (8)."],
            )
        )
    return found


GIVER_GROUPS = (
    ("Sở, ban, ngành", (UnitKind.DEPARTMENT, UnitKind.COUNCIL, UnitKind.LEADERSHIP)),
    ("Mặt trận Tổ quốc và các đoàn thể", (UnitKind.FRONT, UnitKind.MASS_ORG)),
    ("Ngân hàng", (UnitKind.BANK,)),
    ("Doanh nghiệp, hợp tác xã", (UnitKind.ENTERPRISE, UnitKind.COOPERATIVE)),
    ("Huyện, thành phố", (UnitKind.DISTRICT,)),
    ("Xã, phường, thị trấn", (UnitKind.COMMUNE,)),
)


def _support_line(values):
    return [values["rows"], values["households"], values["value"], values["jobs"]]


def support_table(src):
    """Support given in the year, by kind of giver, from the ledger (rows, households, VND, jobs and training)."""
    groups, total = ledger.support_given_by(src.province, src.year, by="kind")
    by_kind = {row["giver__kind"]: row for row in groups}
    rows = []
    for label, kinds in GIVER_GROUPS:
        present = [by_kind[k] for k in kinds if k in by_kind]
        if present:
            summed = {name: sum(row[name] for row in present) for name in ("rows", "households", "value", "jobs")}
            rows.append([label, *_support_line(summed)])
    return [
        table(
            "support",
            f"Nguồn lực hỗ trợ hộ nghèo, hộ cận nghèo năm {src.year} theo khối đơn vị",
            ["Khối đơn vị", "Lượt hỗ trợ", "Số hộ được hỗ trợ", "Giá trị (đồng)", "Việc làm, đào tạo nghề"],
            rows,
            total=[TOTAL, *_support_line(total)],
            notes=["Một hộ được nhiều khối hỗ trợ chỉ tính một lần ở dòng tổng cộng."],
        )
    ]


def practices_tables(src):
    """Good practices proposed and selected in the year by kind, and the list of the selected ones."""
    counts = practices.year_counts(src.movement, src.year)
    rows = [[KIND_NAMES[kind], *counts.get(kind, (0, 0))] for kind in PracticeKind.values]
    selected = [
        [
            n,
            p.unit.name,
            p.title,
            KIND_NAMES[p.kind],
            p.households_out_of_poverty,
            p.people_employed,
            p.value_mobilised,
        ]
        for n, p in enumerate(practices.selected_in(src.movement, src.year), 1)
    ]
    return [
        table(
            "practices",
            f"Mô hình, sáng kiến, điển hình tiên tiến năm {src.year}",
            ["Loại", "Đơn vị đề xuất", "Được lựa chọn"],
            rows,
            total=[TOTAL, sum(r[1] for r in rows), sum(r[2] for r in rows)],
            section="practices",
        ),
        table(
            "practices_selected",
            "Danh sách mô hình, cách làm hay được lựa chọn",
            [
                "STT",
                "Đơn vị",
                "Tên mô hình, cách làm hay",
                "Loại",
                "Hộ thoát nghèo",
                "Người có việc làm",
                "Giá trị huy động (đồng)",
            ],
            selected,
            section="practices",
        ),
    ]


AWARD_KINDS = {"collective": "Tập thể", "family": "Hộ gia đình", "individual": "Cá nhân"}


def awards_table(src):
    """The Chairman's awards of the movement decided in the year, by recipient kind, with their bonuses (the award
    registry)."""
    decided = award_registry.decided_in(src.movement, src.year)
    rows = [[label, *decided.get(kind, (0, 0))] for kind, label in AWARD_KINDS.items()]
    return [
        table(
            "awards",
            f"Khen thưởng trong Phong trào năm {src.year}",
            ["Đối tượng", "Số lượt khen thưởng", "Tiền thưởng (đồng)"],
            rows,
            total=[TOTAL, sum(r[1] for r in rows), sum(r[2] for r in rows)],
            section="practices",
        )
    ]


# The Excel annexes ------------------------------------------------------------------------------------------


def communes_annex(src):
    """Annex 1: the movement of poor and near-poor households (households and persons, columns 1-9) per commune,
    with the province's total."""
    rows, total = figures.movement_table(src.province, src.year, below=2)
    columns = ["STT", "Xã, phường, thị trấn", "Huyện, thành phố"]
    cells = [
        (key, measure, c) for key in ("poor", "near") for c in figures.COLUMNS for measure in ("households", "persons")
    ]
    names = {key: _movement_columns(key) for key in ("poor", "near")}
    prefix = {"poor": "Hộ nghèo", "near": "Hộ cận nghèo"}
    measures = {"households": "hộ", "persons": "khẩu"}
    columns += [f"{prefix[key]} {names[key][c - 1]} ({measures[m]})" for key, m, c in cells]
    parents = dict(_parents(row.unit for row in rows))
    return [
        table(
            "communes",
            f"Phụ lục 1. Diễn biến hộ nghèo, hộ cận nghèo năm {src.year} theo xã, phường, thị trấn",
            columns,
            [
                [n, row.unit.name_then, parents.get(row.unit.parent_id, ""), *(row.get(k, m, c) for k, m, c in cells)]
                for n, row in enumerate(rows, 1)
            ],
            total=["", TOTAL, "", *(total.get(k, m, c) for k, m, c in cells)],
        )
    ]


def _parents(units):
    ids = {unit.parent_id for unit in units}
    return Unit.objects.filter(pk__in=ids).values_list("pk", "name")


def reports_annex(src):
    """Annex 2: every unit owing a report (communes included), its level, its parent, the state of its report, when
    it was sent and whether on time."""
    columns = ["STT", "Đơn vị", "Cấp, khối", "Trực thuộc", "Tình trạng báo cáo", "Ngày gửi", "Đúng hạn"]
    title = f"Phụ lục 2. Tình hình gửi báo cáo kết quả thực hiện Phong trào thi đua năm {src.year} của các đơn vị"
    if src.report_deadline is None:
        return [table("reports", title, columns, [])]
    deadline = src.report_deadline
    units = list(
        rates.owed_under(deadline, src.province)
        .select_related("parent")
        .annotate(rank=rates.level_rank())
        .order_by("rank", "parent__path", *natural_order())
    )
    states = dict(UnitReport.objects.filter(deadline=deadline).values_list("unit_id", "state"))
    rows = []
    for n, unit in enumerate(units, 1):
        state = STATE_NAMES.get(states.get(unit.pk), "Chưa mở báo cáo")
        sent = (
            unit.delivered_at.astimezone(deadline_rules.VIETNAM).strftime("%d/%m/%Y %H:%M") if unit.delivered_at else ""
        )
        rows.append(
            [
                n,
                unit.name,
                LEVEL_NAMES[unit.level],
                unit.parent.name if unit.parent else "",
                state,
                sent,
                _timeliness(unit.delivered_at, deadline.due_on),
            ]
        )
    return [table("reports", title, columns, rows)]


def support_annex(src):
    """Annex 3: support given in the year by each giver."""
    groups, total = ledger.support_given_by(src.province, src.year, by="giver")
    kinds = {kind: _vi(label) for kind, label in UnitKind.choices}
    return [
        table(
            "support",
            f"Phụ lục 3. Nguồn lực hỗ trợ hộ nghèo, hộ cận nghèo năm {src.year} theo đơn vị",
            [
                "STT",
                "Đơn vị",
                "Loại đơn vị",
                "Lượt hỗ trợ",
                "Số hộ được hỗ trợ",
                "Giá trị (đồng)",
                "Việc làm, đào tạo nghề",
            ],
            [
                [n, row["giver__name"], kinds.get(row["giver__kind"], ""), *_support_line(row)]
                for n, row in enumerate(sorted(groups, key=lambda r: r["giver__path"]), 1)
            ],
            total=["", TOTAL, "", *_support_line(total)],
        )
    ]


@dataclass(frozen=True)
class Builder:
    name: str
    build: Callable  # build(source) -> [table, ...]


TABLES = [
    Builder("reporting", reporting_table),
    Builder("units", units_table),
    Builder("registry", registry_tables),
    Builder("support", support_table),
    Builder("practices", practices_tables),
    Builder("awards", awards_table),
]
ANNEXES = [
    Builder("communes", communes_annex),
    Builder("reports", reports_annex),
    Builder("support", support_annex),
]
ANNEX_FILES = {
    "communes": "phu-luc-1-dien-bien-ho-ngheo-theo-xa",
    "reports": "phu-luc-2-tinh-hinh-gui-bao-cao",
    "support": "phu-luc-3-nguon-luc-ho-tro",
}


def compile_tables(movement, year):
    """Every table and annex of the year's summary, computed now, as JSON for the summary's `figures`."""
    src = source(movement, year)
    return {
        "tables": [t for builder in TABLES for t in builder.build(src)],
        "annexes": {builder.name: builder.build(src)[0] for builder in ANNEXES},
    }


# Printing ---------------------------------------------------------------------------------------------------


def printed(value):
    """A cell as the documents print it: 1.234 (Vietnamese grouping), 12,5 for a rate, "-" for nothing."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return value


def _cells(row):
    return [{"text": printed(value), "number": isinstance(value, int | float)} for value in row]


def printed_tables(stored, *, section=None):
    """The stored tables with every cell printed ({"text", "number"}: right-aligned when a number), for a page or
    the PDF (those of one `section` when given)."""
    return [
        {**t, "rows": [_cells(row) for row in t["rows"]], "total": _cells(t["total"]) if t["total"] else None}
        for t in stored.get("tables", [])
        if section is None or t["section"] == section
    ]
