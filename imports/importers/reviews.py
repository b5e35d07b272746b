"""Yearly reviews of households already in the registry: one row per household and year.

Key: (household code, year). A row creates the household's review of that year as a draft, or updates it while
it is still a draft (or returned for correction); a submitted, recognised or locked review is never touched. The
class is computed by the registry's own rule (`households.rules.classify`) under the standard in force for the
year, and every check the review form makes (period open, income bounds, indicators of the standard, a reason for
a different agreed class) comes from `households.rules`, so a file and the form cannot disagree.

Indicator and flag columns are ticks: 1 (or x, Có) for yes, 0 or empty for no. The optional causes and agreed
class keep what the registry holds when their cell is empty.
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deadlines.models import Reopening, ReviewPeriod
from households import rules
from households import selectors as household_selectors
from households import services as household_services
from households.models import (
    Household,
    Member,
    PovertyCause,
    PovertyClass,
    PovertyStandard,
    Review,
    ReviewState,
)
from households.reference import INDICATORS
from households.workflow import EDITABLE_STATES
from units.choices import URBAN_COMMUNE_CATEGORIES, UnitKind

from .. import normalise
from ..resources import ReviewResource
from .base import (
    HOUSEHOLD_CODE_ALIASES,
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Stats,
    choice_parser,
    parse_household_code,
    parse_yes_no,
)
from .lookup import UnitLookup

CLASS_SYNONYMS = {
    "Nghèo": "poor",
    "Cận nghèo": "near_poor",
    "Hộ có mức sống trung bình": "average",
    "Mức sống trung bình": "average",
    "Trung bình": "average",
    "MSTB": "average",
    "Không nghèo": "none",
    "Không thuộc diện": "none",
    "Không": "none",
}
FLAGS = ("no_working_capacity", "social_protection", "meritorious_service", "ethnic_minority")
INDICATOR_KEYS = tuple(f"d{number}" for number, *_rest in INDICATORS)
REVIEW_FIELDS = (
    "household_id",
    "village_id",
    "year",
    "standard_id",
    "is_urban",
    "income",
    "deprived",
    "member_count",
    "computed_class",
    "class_override",
    "class_reason",
    *FLAGS,
    "state",
    "version",
    "updated_at",
    "updated_by_id",
)
ANSWERS = ("income", "deprived", "class_override", "class_reason", *FLAGS)  # what the file says
COMPARED = (*ANSWERS, "member_count", "computed_class")  # and what follows from the registry
DB_REVIEW = ("id", *REVIEW_FIELDS)


def parse_year(value):
    raw = normalise.text(value)
    if re.fullmatch(r"\d{4}", raw) and 2000 <= int(raw) <= 2100:
        return int(raw), None
    raise normalise.Invalid(_("“%(value)s” is not a year; write it with four digits, e.g. 2025.") % {"value": raw})


def parse_income(value):
    """Whole VND per person per month, read and bounded as the review form does (households.rules.parse_money,
    income_problem); a very low income is imported with the form's warning (rules.low_income_problem), the
    check's report standing for the form's confirmation box."""
    negative = isinstance(value, int | float) and not isinstance(value, bool) and value < 0
    if isinstance(value, str) and normalise.text(value).startswith("-"):
        negative, value = True, normalise.text(value)[1:]
    amount = normalise.money(abs(value) if negative and not isinstance(value, str) else value)
    problem = rules.income_problem(-amount if negative else amount)
    if problem:
        raise normalise.Invalid(problem)
    return amount, rules.low_income_problem(amount)


def ticks(unit):
    return [1, 0]


def class_labels(unit):
    return [str(label) for value, label in PovertyClass.choices if value != PovertyClass.NONE] + [
        str(PovertyClass.NONE.label)
    ]


def _indicator_column(number, name):
    return Column(
        f"d{number}",
        f"{number}. {name}",
        help=gettext_lazy("1 if the household is deprived on this indicator, 0 or empty if not."),
        example="0",
        required=True,
        blank_ok=True,
        aliases=(f"CS{number}", f"CS {number}", f"Chỉ số {number}", f"Chỉ số thiếu hụt {number}", f"TH{number}", name),
        parse=parse_yes_no,
        kind="bool",
        choices=ticks,
        width=10,
    )


def _flag_column(key, header, aliases):
    return Column(
        key,
        header,
        help=gettext_lazy("1 for yes, 0 or empty for no."),
        example="0",
        required=True,
        blank_ok=True,
        aliases=aliases,
        parse=parse_yes_no,
        kind="bool",
        choices=ticks,
        width=12,
    )


COLUMNS = (
    Column(
        "household_code",
        gettext_lazy("Registry code"),
        help=gettext_lazy("The registry code of a household already registered in the commune."),
        example="13249-00017",
        required=True,
        aliases=HOUSEHOLD_CODE_ALIASES,
        parse=parse_household_code,
        max_length=30,
        number_format="@",
        width=16,
    ),
    Column(
        "year",
        gettext_lazy("Year"),
        help=gettext_lazy("The year of the review, e.g. 2025. Its poverty standard must be in force."),
        example="2025",
        required=True,
        aliases=("Năm rà soát", "Năm đánh giá", "Kỳ rà soát", "Review year"),
        parse=parse_year,
        kind="int",
        width=8,
    ),
    Column(
        "income",
        gettext_lazy("Average income per person per month (VND)"),
        help=gettext_lazy("Whole đồng, e.g. 1500000 or 1.500.000; from 0 to 1,000,000,000."),
        example="1.500.000",
        required=True,
        aliases=(
            "Thu nhập",
            "Thu nhập bình quân",
            "Thu nhập bình quân đầu người",
            "Thu nhập bình quân đầu người/tháng",
            "Thu nhập bình quân/người/tháng",
            "Thu nhập BQ",
            "TNBQ",
            "Income",
        ),
        parse=parse_income,
        kind="int",
        number_format="#,##0",
        width=16,
    ),
    *(_indicator_column(number, name) for number, _service, name, _help in INDICATORS),
    _flag_column(
        "no_working_capacity",
        gettext_lazy("Household with no working capacity"),
        ("Hộ không có khả năng lao động", "Không có khả năng lao động", "Hộ không có KNLĐ", "Không KNLĐ"),
    ),
    _flag_column(
        "social_protection",
        gettext_lazy("Social protection beneficiary"),
        ("Bảo trợ xã hội", "Hộ bảo trợ xã hội", "Đối tượng bảo trợ xã hội", "BTXH"),
    ),
    _flag_column(
        "meritorious_service",
        gettext_lazy("Household of a person with meritorious service"),
        ("Người có công", "Hộ có công", "Hộ người có công", "Hộ có công với cách mạng", "NCC"),
    ),
    _flag_column(
        "ethnic_minority",
        gettext_lazy("Ethnic minority household"),
        ("Dân tộc thiểu số", "Hộ dân tộc thiểu số", "Hộ DTTS", "DTTS"),
    ),
    Column(
        "causes",
        gettext_lazy("Causes of poverty"),
        help=gettext_lazy(
            "For poor households: causes from the list (sheet “Danh mục”), by name or code, separated by “;”. "
            "Empty keeps the causes already recorded."
        ),
        example="Thiếu vốn sản xuất, kinh doanh; Thiếu đất canh tác",
        aliases=("Nguyên nhân nghèo", "Nguyên nhân", "Nguyên nhân nghèo đói", "Causes"),
        max_length=1000,
        strict_choices=False,
        width=40,
    ),
    Column(
        "class_override",
        gettext_lazy("Class agreed by the village meeting"),
        help=gettext_lazy(
            "Only when the village meeting agreed a class other than the computed one; give the reason. "
            "Empty keeps what the registry holds."
        ),
        example="",
        aliases=("Phân loại theo họp thôn", "Kết quả họp thôn", "Hạng theo họp thôn", "Phân loại của họp dân"),
        parse=choice_parser(PovertyClass, CLASS_SYNONYMS),
        choices=class_labels,
        width=22,
    ),
    Column(
        "class_reason",
        gettext_lazy("Reason for the different class"),
        help=gettext_lazy("Required with an agreed class that differs from the computed one."),
        example="",
        aliases=("Lý do", "Lý do khác kết quả", "Lý do phân loại khác"),
        max_length=1000,
        width=30,
    ),
)


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.units = UnitLookup(job)
        self.province = self.units.province
        self.today = timezone.localdate()
        self.user_id = job.confirmed_by_id or job.requested_by_id
        self.seen = {}  # (code, year) -> row number
        self.stats = Stats()
        self.standards = {}  # year -> standard or the message why there is none
        self.by_id = {}  # standard id -> standard (with its indicators)
        self.numbers = {}  # standard id -> indicator numbers
        self.periods = {p.year: p for p in ReviewPeriod.objects.all()}
        self.reopened = defaultdict(lambda: None)  # (year, commune id) -> latest "open until" not yet past
        reopenings = Reopening.objects.filter(deadline__in=ReviewPeriod.objects.all(), until__gte=self.today)
        for year, unit_id, until in reopenings.values_list("deadline__year", "unit_id", "until"):
            current = self.reopened[(year, unit_id)]
            self.reopened[(year, unit_id)] = until if current is None else max(current, until)
        self.causes = {}  # folded name or code -> cause id
        self.cause_names = {}
        for pk, code, name in PovertyCause.objects.values_list("id", "code", "name"):
            self.causes[normalise.folded(name)] = self.causes[normalise.folded(code)] = pk
            self.cause_names[pk] = name

    def standard(self, year):
        """The standard in force for `year`, or the message saying there is none (households.selectors)."""
        if year not in self.standards:
            try:
                standard = household_selectors.standard_for(year)
            except ValidationError as exc:
                self.standards[year] = " ".join(exc.messages)
            else:
                self.standards[year] = self.by_id.setdefault(standard.pk, standard)
        return self.standards[year]

    def standard_by_id(self, pk):
        if pk not in self.by_id:
            self.by_id[pk] = PovertyStandard.objects.prefetch_related("indicators").get(pk=pk)
        return self.by_id[pk]

    def numbers_of(self, standard):
        if standard.pk not in self.numbers:
            self.numbers[standard.pk] = {indicator.number for indicator in standard.indicators.all()}
        return self.numbers[standard.pk]

    def entry_problem(self, year, commune_id):
        period = self.periods.get(year)
        opens_on, closes_on = (period.opens_on, period.closes_on) if period else rules.default_period(year)
        return rules.entry_closed_problem(
            year=year,
            today=self.today,
            opens_on=opens_on,
            closes_on=closes_on,
            reopened_until=self.reopened[(year, commune_id)],
        )


class ReviewsImporter(Importer):
    kind = "reviews"
    label = gettext_lazy("Yearly reviews")
    description = gettext_lazy("One row per household and year: income, deprivations, flags and causes.")
    columns = COLUMNS
    target_kinds = (UnitKind.COMMUNE,)
    names_units = False
    notes = (
        gettext_lazy(
            "One row per household and year. The household must already be registered (import the households "
            "first). A row creates the review of that year as a draft, or updates a draft; a review that was "
            "submitted, recognised or locked is not changed."
        ),
        gettext_lazy(
            "The class is computed from the income and the number of deprivations under the standard of the year; "
            "write an agreed class only when the village meeting decided otherwise, with its reason."
        ),
        gettext_lazy("Reviews are accepted while the review period of the year is open (or reopened for the commune)."),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def group_label(self, key):
        return _("household %(code)s") % {"code": key}

    # Checks ------------------------------------------------------------------------------------------------

    def plan(self, ctx, rows):
        codes = {r.values["household_code"] for r in rows if r.values.get("household_code")}
        households = {
            code: (pk, village_id, archived_at)
            for pk, code, village_id, archived_at in Household.objects.filter(
                province=ctx.province, code__in=codes
            ).values_list("id", "code", "village_id", "archived_at")
        }
        ids = [h[0] for h in households.values()]
        members = dict(
            Member.objects.filter(household_id__in=ids)
            .order_by()
            .values("household_id")
            .annotate(n=Count("*"))
            .values_list("household_id", "n")
        )
        years = {r.values["year"] for r in rows if r.values.get("year")}
        reviews = Review.objects.filter(household_id__in=ids, year__in=years)
        if ctx.applying:
            reviews = reviews.select_for_update(of=("self",))
        existing = {}
        for values in reviews.values_list(*DB_REVIEW):
            record = dict(zip(DB_REVIEW, values, strict=True))
            record["causes"] = set()
            existing[(record["household_id"], record["year"])] = record
        by_id = {record["id"]: record for record in existing.values()}
        through = Review.causes.through
        for review_id, cause_id in through.objects.filter(review_id__in=by_id).values_list(
            "review_id", "povertycause_id"
        ):
            by_id[review_id]["causes"].add(cause_id)
        for row in rows:
            self._check(ctx, row, households, members, existing)

    def _check(self, ctx, row, households, members, existing):
        values = row.values
        code, year = values.get("household_code"), values.get("year")
        if not code or not year or "income" not in values:
            return
        first = ctx.seen.setdefault((code, year), row.number)
        if first != row.number:
            row.error(
                "household_code",
                _("Household %(code)s already has a row for %(year)s (row %(row)s).")
                % {"code": code, "year": year, "row": first},
            )
            return
        household = households.get(code)
        if household is None or not ctx.units.visible_village(household[1]):
            # A household the user may not see is not confirmed to exist.
            row.error(
                "household_code",
                _(
                    "No household of your area has the registry code %(code)s. If the code is correct, ask the "
                    "district or DOLISA to check the registry."
                )
                % {"code": code},
            )
            return
        household_id, village_id, archived_at = household
        if not ctx.units.village_in_scope(village_id):
            row.error(
                "household_code",
                _("Household %(code)s is outside this import (%(unit)s) or outside your area.")
                % {"code": code, "unit": ctx.units.target.name},
            )
            return
        if archived_at:
            row.error("household_code", rules.start_problem(archived=True, members=None))
            return
        commune = ctx.units.communes[ctx.units.villages[village_id].parent_id]
        current = existing.get((household_id, year))
        if current is not None:
            standard_id, is_urban = current["standard_id"], current["is_urban"]
            standard = ctx.standard_by_id(standard_id)  # a review keeps the standard it was started under
        else:
            standard = ctx.standard(year)
            if isinstance(standard, str):
                row.error("year", standard)
                return
            standard_id, is_urban = standard.pk, commune.category in URBAN_COMMUNE_CATEGORIES
        count = members.get(household_id, 0)
        if current is None:
            problem = rules.start_problem(archived=False, members=count)
            if problem:
                row.error("household_code", problem)
                return

        if row.has_errors:  # a cell that could not be read: the row is reported, not compared
            return
        deprived = [int(key[1:]) for key in INDICATOR_KEYS if values.get(key)]
        numbers = ctx.numbers_of(standard)
        problem = rules.indicator_problem(deprived, numbers)
        if problem:
            row.error(next(f"d{n}" for n in deprived if n not in numbers), problem)
            return
        income = values["income"]
        computed = rules.classify(income=income, is_urban=is_urban, deprivations=len(deprived), standard=standard)

        override = values.get("class_override", current["class_override"] if current else "")
        reason = values.get("class_reason")
        if reason is None and current and override == current["class_override"]:
            reason = current["class_reason"]
        if override and override != computed:
            problem = rules.override_problem(override, reason)
            if problem:
                row.error(problem[0], problem[1])
                return
        elif values.get("class_reason") and not override:
            row.warn(
                "class_reason",
                _("A reason is recorded only with an agreed class that differs from the computed one; ignored."),
            )
        override, reason = rules.settle_override(computed=computed, class_override=override, class_reason=reason)

        causes = self._causes(ctx, row, current)
        if causes is None:
            return
        if not rules.keeps_causes(computed=computed, class_override=override):
            if values.get("causes"):
                row.warn("causes", _("Causes of poverty are recorded only for poor households; these were not."))
            causes = set()

        wanted = {
            "id": current["id"] if current else None,
            "household_id": household_id,
            # A new review is made where the household lives; an existing one keeps its village (Review.village).
            "village_id": current["village_id"] if current else village_id,
            "year": year,
            "standard_id": standard_id,
            "is_urban": is_urban,
            "income": income,
            "deprived": deprived,
            "member_count": max(count, 1),
            "computed_class": computed,
            "class_override": override,
            "class_reason": reason,
            **{flag: bool(values.get(flag)) for flag in FLAGS},
            "state": current["state"] if current else ReviewState.DRAFT.value,
            "version": current["version"] + 1 if current else 1,
            "updated_at": timezone.now(),
            "updated_by_id": ctx.user_id,
        }
        if current is None:
            changed = True
        else:
            answered = any(wanted[name] != current[name] for name in ANSWERS) or causes != current["causes"]
            if answered:
                problem = rules.frozen_problem(current["state"], ReviewState(current["state"]).label)
                if problem:  # a row equal to a recognised review is fine: it changes nothing
                    row.error(None, problem)
                    return
            frozen = current["state"] not in EDITABLE_STATES
            changed = answered or (not frozen and any(wanted[name] != current[name] for name in COMPARED))
        if changed:
            problem = ctx.entry_problem(year, commune.pk)
            if problem:
                row.error("year", problem)
                return
        if current is None:
            row.action = ("create", wanted, causes)
            row.status = NEW
        elif changed:
            row.action = ("update", wanted, causes if causes != current["causes"] else None)
            row.status = UPDATED
        else:
            row.status = UNCHANGED
        ctx.stats.add("reviews", row.status)

    def _causes(self, ctx, row, current):
        """The cause ids of the row (None after an error); an empty cell keeps the recorded causes."""
        text = row.values.get("causes")
        if not text:
            return set(current["causes"]) if current else set()
        found = set()
        for part in re.split(r"[;\n]+", text):
            name = normalise.folded(part).strip(" .-")
            if not name:
                continue
            pk = ctx.causes.get(name)
            if pk is None:
                row.error(
                    "causes",
                    _("Unknown cause “%(value)s”: write the causes as in the list, separated by “;”.")
                    % {"value": normalise.text(part)},
                )
                return None
            found.add(pk)
        return found

    # Writes -------------------------------------------------------------------------------------------------

    def persist(self, ctx, rows, recorder):
        creates, updates = [], []
        for row in rows:
            if row.action:
                (creates if row.action[0] == "create" else updates).append(row.action)
        for year in {fields["year"] for _kind, fields, _causes in creates} - set(ctx.periods):
            ctx.periods[year] = household_services.ensure_period(year)  # as starting a review on the form does
        resource = ReviewResource()
        resource.write([fields for _kind, fields, _causes in creates + updates])
        if len(resource.created_ids) != len(creates):
            raise RuntimeError("review ids were not returned for every new review")
        through = Review.causes.through
        changed = [fields["id"] for _kind, fields, causes in updates if causes is not None]
        if changed:
            through.objects.filter(review_id__in=changed).delete()
        links = [
            through(review_id=pk, povertycause_id=cause)
            for pk, (_kind, _fields, causes) in zip(resource.created_ids, creates, strict=True)
            for cause in sorted(causes)
        ]
        links += [
            through(review_id=fields["id"], povertycause_id=cause)
            for _kind, fields, causes in updates
            if causes
            for cause in sorted(causes)
        ]
        through.objects.bulk_create(links, batch_size=2000)
        recorder.record(Review, "insert", resource.created_ids)
        recorder.record(Review, "update", [fields["id"] for _kind, fields, _causes in updates])

    # Template and summary -------------------------------------------------------------------------------

    def template_choices(self, unit):
        choices = super().template_choices(unit)
        choices["causes"] = list(PovertyCause.objects.order_by("order").values_list("name", flat=True))
        return choices

    def counts_summary(self, stats, *, applied):
        counts = self.counts(stats, "reviews")
        if applied:
            text = _("Imported. Reviews: %(new)s new, %(updated)s changed, %(unchanged)s unchanged.")
        else:
            text = _("Checked. Reviews: %(new)s new, %(updated)s to change, %(unchanged)s unchanged.")
        text %= {"new": counts[NEW], "updated": counts[UPDATED], "unchanged": counts[UNCHANGED]}
        return text
