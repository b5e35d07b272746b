"""Support given: one row per contribution of the job's unit (the giver) to a household, found by its registry
code, or to a commune as a whole.

Every check is the ledger's own (`movement.services.ledger.check_support_rows`: the code, the value, the date),
so a file and the form cannot disagree, and a code that is not an active household of the province gets the same
answer as on the form. Key: the giver, the recipient, the kind, the value, the date and the donor; a row already
in the ledger is unchanged, so a file imported twice records nothing twice. Rows are never updated or deleted.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movement.models import Support, SupportKind
from movement.models.ledger import GIVER_KINDS
from movement.services import ledger
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from .. import normalise
from .base import (
    COMMUNE_ALIASES,
    HOUSEHOLD_CODE_ALIASES,
    NEW,
    UNCHANGED,
    Column,
    Importer,
    Stats,
    choice_parser,
    commune_names,
    labels,
    parse_date,
    parse_household_code,
    parse_money,
)

KIND_SYNONYMS = {
    "Tiền": SupportKind.CASH,
    "Tiền mặt": SupportKind.CASH,
    "Vay": SupportKind.LOAN,
    "Vay vốn": SupportKind.LOAN,
    "Cho vay ưu đãi": SupportKind.LOAN,
    "Nhà": SupportKind.HOUSING,
    "Nhà ở": SupportKind.HOUSING,
    "Xây nhà": SupportKind.HOUSING,
    "Sửa nhà": SupportKind.HOUSING,
    "Nhà đại đoàn kết": SupportKind.HOUSING,
    "Việc làm": SupportKind.JOB,
    "Đào tạo nghề": SupportKind.TRAINING,
    "Học nghề": SupportKind.TRAINING,
    "Giống": SupportKind.PRODUCTION,
    "Con giống": SupportKind.PRODUCTION,
    "Cây giống": SupportKind.PRODUCTION,
    "Vật tư": SupportKind.PRODUCTION,
    "BHYT": SupportKind.HEALTH_INSURANCE,
    "Thẻ BHYT": SupportKind.HEALTH_INSURANCE,
    "Bảo hiểm y tế": SupportKind.HEALTH_INSURANCE,
    "Học bổng": SupportKind.SCHOOLING,
    "Học tập": SupportKind.SCHOOLING,
    "Hỗ trợ học tập": SupportKind.SCHOOLING,
}

COLUMNS = (
    Column(
        "household_code",
        gettext_lazy("Household code"),
        help=gettext_lazy(
            "The household's registry code, as the commune gave it. Leave it empty for support to a commune as a "
            "whole, and give the commune."
        ),
        example="13249-00017",
        required=True,
        blank_ok=True,
        aliases=HOUSEHOLD_CODE_ALIASES,
        parse=parse_household_code,
        max_length=30,
        number_format="@",
        width=16,
    ),
    Column(
        "commune",
        gettext_lazy("Commune (support to the commune as a whole)"),
        help=gettext_lazy("Only for support to a commune as a whole: its name or GSO code. Empty for a household."),
        example="",
        aliases=COMMUNE_ALIASES,
        choices=commune_names,
        strict_choices=False,
        width=24,
    ),
    Column(
        "kind",
        gettext_lazy("Kind of support"),
        help=gettext_lazy("One of the list: cash, preferential loan, house, job, vocational training, ..."),
        example="Vay vốn ưu đãi",
        required=True,
        aliases=("Loại hỗ trợ", "Hình thức hỗ trợ", "Hình thức", "Nội dung hỗ trợ"),
        parse=choice_parser(SupportKind, KIND_SYNONYMS),
        choices=labels(SupportKind),
        width=26,
    ),
    Column(
        "value",
        gettext_lazy("Value (VND)"),
        help=gettext_lazy(
            "Whole đồng, like 50.000.000 or 50000000. 0 only for support in kind with no value put on it."
        ),
        example="50.000.000",
        required=True,
        aliases=("Giá trị", "Số tiền", "Giá trị (đồng)", "Thành tiền", "Trị giá"),
        parse=parse_money,
        kind="int",
        width=16,
    ),
    Column(
        "given_on",
        gettext_lazy("Date given"),
        help=gettext_lazy("dd/mm/yyyy; not in the future."),
        example="15/03/2024",
        required=True,
        aliases=("Ngày hỗ trợ", "Ngày", "Ngày trao", "Ngày giải ngân"),
        parse=parse_date,
        kind="date",
        width=14,
    ),
    Column(
        "donor",
        gettext_lazy("Donor"),
        help=gettext_lazy("Optional: the person or company who gave, when you record on their behalf."),
        aliases=("Nhà tài trợ", "Người ủng hộ", "Đơn vị tài trợ"),
        max_length=ledger.MAX_DONOR_LENGTH,
        width=24,
    ),
    Column("note", gettext_lazy("Note"), help=gettext_lazy("Optional."), aliases=("Ghi chú",), width=30),
)


class Communes:
    """The communes in force in the giver's province, by GSO code and by name: any of them may receive support
    as a whole, whoever the giver is (UnitLookup would keep to the importer's own area)."""

    def __init__(self, giver):
        province = giver.path.split("/", 1)[0] + "/"
        communes = Unit.objects.current().filter(kind=UnitKind.COMMUNE, path__startswith=province)
        self.by_code = {}
        self.by_key = defaultdict(list)
        for commune in communes:
            if commune.code:
                self.by_code[commune.code] = commune
            self.by_key[normalise.unit_key(commune.name)].append(commune)

    def find(self, value):
        code = normalise.gso_code(value)
        if code and code in self.by_code:
            return self.by_code[code]
        found = self.by_key.get(normalise.unit_key(value), [])
        if len(found) > 1:
            raise normalise.Invalid(
                _("Several communes are called “%(value)s”; give the GSO code instead.") % {"value": value}
            )
        if not found:
            raise normalise.Invalid(
                _("Unknown commune “%(value)s”: give its GSO code or its name as in the list of units.")
                % {"value": value}
            )
        return found[0]


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.communes = Communes(job.unit)
        self.seen = {}  # row key -> row number
        self.stats = Stats()


class SupportImporter(Importer):
    kind = "support"
    label = gettext_lazy("Support given to households")
    description = gettext_lazy("One row per contribution of your unit to a household (by its code) or a commune.")
    columns = COLUMNS
    target_kinds = GIVER_KINDS
    import_action = Action.RECORD_SUPPORT
    action = Action.RECORD_SUPPORT
    lock_group = "support"
    notes = (
        gettext_lazy(
            "Every row is support given by the unit you import for. A row already in the ledger (same household or "
            "commune, kind, value, date and donor) is left unchanged; rows are never changed or deleted by an import."
        ),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def _support_row(self, ctx, row):
        values = row.values
        commune = None
        if values.get("commune"):
            try:
                commune = ctx.communes.find(values["commune"])
            except normalise.Invalid as exc:
                row.error("commune", str(exc))
                return None
        if not values.get("household_code") and commune is None:
            row.error(
                "household_code",
                _("Give the household's registry code, or the commune for support to the commune as a whole."),
            )
            return None
        return ledger.SupportRow(
            kind=values.get("kind", ""),
            value=values.get("value"),
            given_on=values.get("given_on"),
            household_code=values.get("household_code", ""),
            commune=commune,
            donor=values.get("donor", ""),
            note=values.get("note", ""),
        )

    def plan(self, ctx, rows):
        giver = ctx.job.unit
        candidates = []
        for row in rows:
            if row.has_errors:
                continue
            support = self._support_row(ctx, row)
            if support is not None:
                candidates.append((row, support))
        supports = [support for _row, support in candidates]
        problems = ledger.check_support_rows(giver=giver, rows=supports)
        recorded = ledger.existing_keys(giver, supports)
        for (row, support), found in zip(candidates, problems, strict=True):
            for field, message in found.items():
                row.error(field, message)  # the ledger's fields are the columns' keys
            if found:
                continue
            key = support.key(giver.pk)
            first = ctx.seen.setdefault(key, row.number)
            if first != row.number:
                row.error("household_code", _("The same support is already on row %(row)s.") % {"row": first})
                continue
            row.status = UNCHANGED if key in recorded else NEW
            row.action = support if row.status == NEW else None
            ctx.stats.add("support", row.status)

    def persist(self, ctx, rows, recorder):
        supports = [row.action for row in rows if row.action]
        if not supports:
            return
        created = ledger.record_support_rows(
            user=ctx.job.confirmed_by or ctx.job.requested_by, giver=ctx.job.unit, rows=supports
        )
        recorder.record(Support, "insert", [support.pk for support in created])

    def counts_summary(self, stats, *, applied):
        counts = self.counts(stats, "support")
        if applied:
            text = _("Imported. Support: %(new)s rows recorded, %(unchanged)s already in the ledger.")
        else:
            text = _("Checked. Support: %(new)s rows to record, %(unchanged)s already in the ledger.")
        return text % {"new": counts[NEW], "unchanged": counts[UNCHANGED]}
