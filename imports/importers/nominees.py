"""A unit's nominees for an award from Excel: one row per nominee (a collective of the unit's tree, an individual,
or a family by its registry code or its name and address), added to the unit's draft list for the occasion named
on the row (opened when needed). Every row is checked as the nomination form checks it (awards.nominations
.services.check_entry: the kind's fields, CCCD, year of birth, the household in the unit's area, the same person
nominated elsewhere or already awarded); a row already on the unit's list is left unchanged, so a file imported
twice adds nothing twice. The dossier (files, claims, minutes) is completed on the list's page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardType, NomineeKind, Occasion
from awards.nominations import services as nominations
from awards.nominations.selectors import nominates_for
from households.models import Sex
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from .. import normalise
from .base import NEW, UNCHANGED, Column, Importer, Stats, choice_parser, labels, parse_cccd, parse_household_code
from .households import SEX_SYNONYMS

KIND_SYNONYMS = {"Tập thể": "collective", "Cá nhân": "individual", "Hộ gia đình": "family", "Gia đình": "family"}


def parse_year(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = normalise.text(value)
    if not raw.isdigit() or len(raw) != 4:
        raise normalise.Invalid(_("“%(value)s” is not a year (four digits).") % {"value": raw})
    return int(raw), None


def parse_count(value):
    amount = normalise.money(value)
    return amount, None


def _open_occasions(unit):
    """The occasions of the unit's province still taking nominations today."""
    province = unit.path.split("/", 1)[0] + "/"
    return Occasion.objects.open_on(timezone.localdate()).filter(movement__province__path=province)


def occasion_codes(unit):
    return list(_open_occasions(unit).values_list("code", flat=True))


def award_names(unit):
    return list(AwardType.objects.filter(active=True).values_list("name", flat=True))


COLUMNS = (
    Column(
        "occasion",
        gettext_lazy("Occasion code"),
        help=gettext_lazy("The code of the occasion, as in the drop-down list."),
        example="tong-ket-2025",
        required=True,
        aliases=("Mã đợt", "Đợt khen thưởng", "Đợt"),
        parse=lambda value: (normalise.text(value).lower(), None),
        choices=occasion_codes,
        width=18,
    ),
    Column(
        "kind",
        gettext_lazy("Nominee kind"),
        help=gettext_lazy("Collective, individual or family."),
        example="cá nhân",
        required=True,
        aliases=("Loại", "Đối tượng"),
        parse=choice_parser(NomineeKind, KIND_SYNONYMS),
        choices=labels(NomineeKind),
        width=14,
    ),
    Column(
        "award",
        gettext_lazy("Award proposed"),
        help=gettext_lazy("The award's name, as in the drop-down list, or its code."),
        example="Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
        required=True,
        aliases=("Hình thức khen thưởng", "Hình thức"),
        choices=award_names,
        width=36,
    ),
    Column(
        "unit",
        gettext_lazy("Collective (unit name or code)"),
        help=gettext_lazy("For a collective: your unit or a unit under it, by its name or its GSO code."),
        example="Thôn Đông Hồ",
        aliases=("Tập thể", "Đơn vị"),
        width=24,
    ),
    Column(
        "full_name",
        gettext_lazy("Full name"),
        help=gettext_lazy("An individual's name, or the representative of a family outside the registry."),
        example="Nguyễn Thị Hằng",
        aliases=("Họ và tên", "Họ tên", "Tên"),
        max_length=200,
        width=24,
    ),
    Column(
        "birth_year",
        gettext_lazy("Year of birth"),
        help=gettext_lazy("For an individual: four digits."),
        example="1975",
        aliases=("Năm sinh",),
        parse=parse_year,
        kind="int",
        width=10,
    ),
    Column(
        "sex",
        gettext_lazy("Sex"),
        example="Nữ",
        aliases=("Giới tính",),
        parse=choice_parser(Sex, SEX_SYNONYMS),
        choices=labels(Sex),
        width=10,
    ),
    Column(
        "position", gettext_lazy("Position"), example="Chủ tịch Hội Phụ nữ xã", aliases=("Chức vụ",), max_length=200
    ),
    Column(
        "workplace",
        gettext_lazy("Workplace"),
        example="Xã Song An",
        aliases=("Nơi công tác", "Đơn vị công tác"),
        max_length=255,
    ),
    Column(
        "cccd",
        gettext_lazy("Citizen ID (CCCD), optional"),
        example="034175001234",
        aliases=("CCCD", "Số CCCD", "Căn cước công dân"),
        parse=parse_cccd,
        number_format="@",
        width=16,
    ),
    Column(
        "household_code",
        gettext_lazy("Household code in the registry"),
        help=gettext_lazy("For a family of the registry."),
        example="13249-00001",
        aliases=("Mã hộ", "Mã hộ gia đình"),
        parse=parse_household_code,
        number_format="@",
        width=14,
    ),
    Column(
        "address",
        gettext_lazy("Address (a family outside the registry)"),
        aliases=("Địa chỉ",),
        max_length=255,
        width=28,
    ),
    Column(
        "achievements",
        gettext_lazy("Achievements"),
        help=gettext_lazy("A summary of the achievements; the report's file is attached on the list's page."),
        example="Vận động 12 hộ nghèo vay vốn, giúp 5 hộ thoát nghèo.",
        required=True,
        aliases=("Thành tích", "Tóm tắt thành tích"),
        width=40,
    ),
    Column(
        "households_helped",
        gettext_lazy("Households helped"),
        aliases=("Số hộ được giúp đỡ",),
        parse=parse_count,
        kind="int",
        width=10,
    ),
    Column(
        "amount_contributed",
        gettext_lazy("Amount contributed (VND)"),
        aliases=("Số tiền đóng góp", "Số tiền"),
        parse=parse_count,
        kind="int",
        width=14,
    ),
)

FIELDS = (
    "full_name",
    "birth_year",
    "sex",
    "position",
    "workplace",
    "cccd",
    "household_code",
    "address",
    "achievements",
    "households_helped",
    "amount_contributed",
)


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.user = job.confirmed_by or job.requested_by
        self.occasions = {o.code: o for o in _open_occasions(job.unit).select_related("movement")}
        self.awards = {}
        for award in AwardType.objects.filter(active=True):
            self.awards[normalise.folded(award.code)] = award
            self.awards[normalise.folded(award.name)] = award
        self.units = {}
        for unit in Unit.objects.current().filter(path__startswith=job.unit.path):
            if unit.code:
                self.units.setdefault(unit.code, []).append(unit)
            self.units.setdefault(normalise.unit_key(unit.name), []).append(unit)
        self.seen = {}
        self.stats = Stats()


class NomineesImporter(Importer):
    kind = "nominees"
    label = gettext_lazy("Nominees for awards")
    description = gettext_lazy(
        "One row per nominee of your unit's list for an occasion: collectives, individuals, families."
    )
    columns = COLUMNS
    # Those who load rosters (IMPORT) and nominate for the unit (NOMINATE): the commune's and the district's
    # officers; a commune leader nominates on the pages but loads no files.
    target_kinds = (UnitKind.COMMUNE, UnitKind.DISTRICT)
    import_action = Action.IMPORT
    action = Action.NOMINATE
    lock_group = "awards"
    notes = (
        gettext_lazy(
            "The nominees are added to your unit's draft list for the occasion; attach their achievement reports, "
            "claim their criteria and attach the council's minutes on the list's page before submitting it. A row "
            "already on the list is left unchanged; a person already nominated by another unit is refused."
        ),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def _data(self, ctx, row):
        values = row.values
        occasion = ctx.occasions.get(values.get("occasion"))
        if occasion is None:
            row.error("occasion", _("No open occasion has the code “%(code)s”.") % {"code": values.get("occasion")})
            return None, None
        award = ctx.awards.get(normalise.folded(values.get("award", "")))
        if award is None:
            row.error(
                "award", _("Unknown award “%(value)s”: choose one from the list.") % {"value": values.get("award")}
            )
            return None, None
        data = {name: values.get(name) for name in FIELDS}
        data.update(kind=values.get("kind"), award_type=award, unit=None)
        for name in ("full_name", "sex", "position", "workplace", "cccd", "household_code", "address", "achievements"):
            data[name] = data[name] or ""
        if values.get("kind") == NomineeKind.COLLECTIVE:
            raw = values.get("unit", "")
            found = ctx.units.get(raw) or ctx.units.get(normalise.unit_key(raw), [])
            if len(found) != 1:
                row.error("unit", _("Choose the collective: this unit or a unit under it."))
                return None, None
            data["unit"] = found[0]
        return occasion, data

    def plan(self, ctx, rows):
        unit = ctx.job.unit
        if not nominates_for(ctx.job.requested_by, unit):
            for row in rows:
                row.error("occasion", _("You do not nominate for %(unit)s.") % {"unit": unit.name})
            return
        for row in rows:
            if row.has_errors:
                continue
            occasion, data = self._data(ctx, row)
            if occasion is None:
                continue
            errors, found, same_list = nominations.check_entry(unit=unit, occasion=occasion, data=data)
            for field, messages in errors.items():
                row.error({"award_type": "award"}.get(field, field), " ".join(messages))
            for finding in found:
                row.error("full_name", finding["message"])
            if row.has_errors:
                continue
            key = (
                occasion.pk,
                data["kind"],
                data["unit"] and data["unit"].pk,
                normalise.folded(data["full_name"]),
                data["birth_year"],
                data["household_code"],
                data["cccd"],
            )
            first = ctx.seen.setdefault(key, row.number)
            if first != row.number:
                row.error("full_name", _("The same nominee is already on row %(row)s.") % {"row": first})
                continue
            row.status = UNCHANGED if same_list else NEW
            row.action = (occasion, data) if row.status == NEW else None
            ctx.stats.add("nominees", row.status)

    def persist(self, ctx, rows, recorder):
        for row in rows:
            if row.action:
                occasion, data = row.action
                nominations.import_nominee(user=ctx.user, unit=ctx.job.unit, occasion=occasion, data=data)

    def counts_summary(self, stats, *, applied):
        counts = self.counts(stats, "nominees")
        if applied:
            text = _("Imported. Nominees: %(new)s added, %(unchanged)s already on the list.")
        else:
            text = _("Checked. Nominees: %(new)s to add, %(unchanged)s already on the list.")
        return text % {"new": counts[NEW], "unchanged": counts[UNCHANGED]}
