"""The statistic forms of the review in the style of the Circular 07/2021 annexes: for a commune, district or
province and a year, one row per sub-unit and the total, from households.figures (one statement a form).

A form is built once into sections of plain rows; the Excel file (reports.exports) and the PDF (the template
reports/decree30/statistic_form.html) both print that, so they cannot disagree. Official forms are Vietnamese by
law: their titles and column names are written in Vietnamese here (the movement columns through their one naming,
households.rules.MOVEMENT_COLUMNS, rendered in Vietnamese), while the page that lists them goes through gettext.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from households import figures, rules
from households.models import PovertyCause, PovertyClass
from units.choices import UnitKind

POOR, NEAR_POOR = PovertyClass.POOR, PovertyClass.NEAR_POOR
FORM_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
TOTAL = "Tổng cộng"
UNIT_COLUMN = {UnitKind.PROVINCE: "Huyện, thành phố", UnitKind.DISTRICT: "Xã, phường, thị trấn"}
GROUP_NAMES = {
    "no_working_capacity": "Hộ không có khả năng lao động",
    "meritorious_service": "Hộ có người có công với cách mạng",
    "ethnic_minority": "Hộ dân tộc thiểu số",
    "social_protection": "Hộ có thành viên hưởng trợ cấp bảo trợ xã hội",
}


@dataclass(frozen=True)
class Spec:
    code: str
    label: str  # on the page (translated)
    title: str  # on the form (Vietnamese)


SPECS = {
    spec.code: spec
    for spec in (
        Spec(
            "movement",
            _("Movement of poor and near-poor households (9 columns)"),
            "Biểu tổng hợp diễn biến hộ nghèo, hộ cận nghèo",
        ),
        Spec(
            "deprivation",
            _("Poor and near-poor households by deprivation indicator"),
            "Biểu tổng hợp hộ nghèo, hộ cận nghèo theo mức độ thiếu hụt các dịch vụ xã hội cơ bản",
        ),
        Spec(
            "groups",
            _("Poor and near-poor households by group"),
            "Biểu tổng hợp hộ nghèo, hộ cận nghèo theo nhóm đối tượng",
        ),
        Spec(
            "causes",
            _("Poor households by cause of poverty"),
            "Biểu tổng hợp hộ nghèo theo nguyên nhân nghèo",
        ),
    )
}


@dataclass
class Section:
    """One table of a form: its title, the column groups ([(label, [sub-labels])], a group without sub-labels is
    one column) after the row number and the unit, and its rows ([number, name, value, ...], the total last)."""

    title: str
    groups: list
    rows: list = field(default_factory=list)

    @property
    def columns(self):
        """The flat column names (the spreadsheet's header)."""
        names = ["STT", "Đơn vị"]
        for label, subs in self.groups:
            names += [f"{label}: {sub}" for sub in subs] if subs else [label]
        return names

    @property
    def width(self):
        return 2 + sum(len(subs) or 1 for _label, subs in self.groups)

    @property
    def printed_rows(self):
        """The rows as the PDF prints them: 1.234 households, 12,34 %, "-" for a rate of nothing."""
        return [[row[0], row[1], *(_printed(value) for value in row[2:])] for row in self.rows]

    @property
    def numbers(self):
        """The column numbers printed under the header: A, B, 1, 2, …"""
        return ["A", "B", *range(1, self.width - 1)]


def _printed(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


@dataclass
class StatisticForm:
    spec: Spec
    unit: object
    year: int
    below: int
    sections: list
    notes: list = field(default_factory=list)

    @property
    def title(self):
        return self.spec.title

    @property
    def row_label(self):
        if self.below == 2:
            return "Xã, phường, thị trấn"
        return UNIT_COLUMN.get(self.unit.kind, "Thôn, tổ dân phố")

    @property
    def heading(self):
        """The title block of the spreadsheet: form, unit, year."""
        return [self.title.upper(), f"Đơn vị: {self.unit.name_then}", f"Năm {self.year}", f"Mỗi dòng: {self.row_label}"]

    @property
    def landscape(self):
        return max(section.width for section in self.sections) > 8


def _lines(rows, total, values):
    """[number, name, *values(row)] per row, then the total."""
    lines = [[n, row.unit.name_then, *values(row)] for n, row in enumerate(rows, 1)]
    return [*lines, ["", TOTAL, *values(total)]]


def _movement(unit, year, below):
    rows, total = figures.movement_table(unit, year, below=below)
    with translation.override("vi"):
        names = {table: {c: str(label) for c, label in cols.items()} for table, cols in rules.MOVEMENT_COLUMNS.items()}
    sections = []
    for table, title in (("poor", "A. Hộ nghèo"), ("near", "B. Hộ cận nghèo")):
        section = Section(title, [(f"({c}) {names[table][c]}", ["Hộ", "Khẩu"]) for c in figures.COLUMNS])
        section.rows = _lines(
            rows,
            total,
            lambda row, table=table: [
                row.get(table, measure, c) for c in figures.COLUMNS for measure in ("households", "persons")
            ],
        )
        sections.append(section)
    notes = ["Cột (9) = (1) - (2) - (3) - (4) + (5) + (6) + (7) + (8)."]
    if total.pending:
        notes.append(
            f"{total.pending} hộ đầu kỳ chưa có kết quả rà soát được công nhận năm {year}, tạm tính vào cột (4)."
        )
    if _moved_between_rows(rows, total):
        notes.append("Hộ chuyển giữa các đơn vị trong biểu được tính giảm khác (4) và tăng khác (8) ở từng đơn vị.")
    return sections, notes


def _moved_between_rows(rows, total):
    """Whether the rows' columns 4 and 8 add up to more than the total's (a household moved between two rows)."""
    return any(
        sum(row.get(table, "households", c) for row in rows) != total.get(table, "households", c)
        for table in ("poor", "near")
        for c in (4, 8)
    )


def _deprivation(unit, year, below):
    indicators = figures.indicators_for(year)
    rows, total = figures.deprivation_table(unit, year, below=below)
    sections = []
    for cls, name, letters in ((POOR, "hộ nghèo", "AB"), (NEAR_POOR, "hộ cận nghèo", "CD")):
        groups = [(f"Tổng số {name}", []), *[(f"{n}. {label}", []) for n, label in indicators]]
        counts = Section(f"{letters[0]}. Số {name} thiếu hụt theo từng chỉ số", groups)
        counts.rows = _lines(
            rows,
            total,
            lambda row, cls=cls: [row.households[cls], *(row.counts[cls].get(n, 0) for n, _l in indicators)],
        )
        rates = Section(f"{letters[1]}. Tỷ lệ {name} thiếu hụt theo từng chỉ số (%)", groups)
        rates.rows = _lines(
            rows, total, lambda row, cls=cls: [row.households[cls], *(row.rate(cls, n) for n, _l in indicators)]
        )
        sections += [counts, rates]
    return sections, ["Tỷ lệ (%) = số hộ thiếu hụt chỉ số / tổng số hộ của danh sách × 100."]


def _groups(unit, year, below):
    rows, total = figures.group_table(unit, year, below=below)
    sections = []
    for cls, name, letter in ((POOR, "hộ nghèo", "A"), (NEAR_POOR, "hộ cận nghèo", "B")):
        section = Section(
            f"{letter}. {name[0].upper()}{name[1:]}",
            [(f"Tổng số {name}", []), *[(label, ["Số hộ", "Tỷ lệ (%)"]) for label in GROUP_NAMES.values()]],
        )
        section.rows = _lines(
            rows,
            total,
            lambda row, cls=cls: [
                row.households[cls],
                *(value for g in figures.GROUPS for value in (row.counts[cls].get(g, 0), row.rate(cls, g))),
            ],
        )
        sections.append(section)
    return sections, ["Một hộ có thể thuộc nhiều nhóm đối tượng."]


def _causes(unit, year, below):
    causes = list(PovertyCause.objects.order_by("order", "pk").values_list("pk", "name"))
    rows, total = figures.cause_table(unit, year, below=below)
    groups = [("Tổng số hộ nghèo", []), *[(name, []) for _pk, name in causes]]
    counts = Section("A. Số hộ nghèo theo nguyên nhân nghèo", groups)
    counts.rows = _lines(
        rows, total, lambda row: [row.households[POOR], *(row.counts[POOR].get(pk, 0) for pk, _n in causes)]
    )
    rates = Section("B. Tỷ lệ hộ nghèo theo nguyên nhân nghèo (%)", groups)
    rates.rows = _lines(rows, total, lambda row: [row.households[POOR], *(row.rate(POOR, pk) for pk, _n in causes)])
    return [counts, rates], ["Một hộ có thể có nhiều nguyên nhân nghèo."]


FILE_NAMES = {
    "movement": "dien-bien-ho-ngheo",
    "deprivation": "thieu-hut-dich-vu-xa-hoi",
    "groups": "nhom-doi-tuong",
    "causes": "nguyen-nhan-ngheo",
}

_BUILDERS = {"movement": _movement, "deprivation": _deprivation, "groups": _groups, "causes": _causes}


def build(code, unit, year, *, all_communes=False):
    """The form `code` for `unit` (named as at the end of `year`) and `year`; `all_communes`: a province's
    communes as rows instead of its districts."""
    below = 2 if all_communes and unit.kind == UnitKind.PROVINCE else 1
    sections, notes = _BUILDERS[code](unit, year, below)
    return StatisticForm(SPECS[code], unit, year, below, sections, notes)
