"""Households with their members: one row per member, grouped by household code.

Keys: a household is (province, code); a member is its CCCD when it has one, else (household, name without
accents or case, date of birth). Exactly one member per household is the head. Households and members missing
from the file are never deleted; an empty optional cell keeps what the registry holds.
"""

import functools
from collections import defaultdict

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households import codes, rules
from households import services as household_services
from households.models import (
    MEMBER_RECORD_FIELDS,
    Household,
    Member,
    Relation,
    Review,
    Schooling,
    Sex,
    WorkingCapacity,
)
from units.choices import UnitKind

from .. import bulk, normalise
from ..resources import MEMBER_FIELDS, HouseholdResource, MemberResource
from .base import (
    COMMUNE_ALIASES,
    HOUSEHOLD_CODE_ALIASES,
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Stats,
    choice_parser,
    commune_names,
    labels,
    parse_cccd,
    parse_date,
    parse_household_code,
    parse_yes_no,
    village_names,
    yes_no_labels,
)
from .lookup import UnitLookup

HEAD = Relation.HEAD.value

RELATION_SYNONYMS = {
    "Vợ": "spouse",
    "Chồng": "spouse",
    "Vợ/Chồng": "spouse",
    "Con trai": "child",
    "Con gái": "child",
    "Con đẻ": "child",
    "Con nuôi": "child",
    "Bố": "parent",
    "Mẹ": "parent",
    "Cha": "parent",
    "Cha/Mẹ": "parent",
    "Bố đẻ": "parent",
    "Mẹ đẻ": "parent",
    "Ông": "grandparent",
    "Bà": "grandparent",
    "Ông nội": "grandparent",
    "Bà nội": "grandparent",
    "Ông ngoại": "grandparent",
    "Bà ngoại": "grandparent",
    "Cháu nội": "grandchild",
    "Cháu ngoại": "grandchild",
    "Anh": "sibling",
    "Chị": "sibling",
    "Em": "sibling",
    "Anh trai": "sibling",
    "Chị gái": "sibling",
    "Em trai": "sibling",
    "Em gái": "sibling",
    "Con dâu": "other",
    "Con rể": "other",
    "Chủ hộ": "head",
    "CH": "head",
}
SEX_SYNONYMS = {"Nam giới": "M", "Nữ giới": "F", "Trai": "M", "Gái": "F"}
CAPACITY_SYNONYMS = {
    "Có": "full",
    "Có khả năng": "full",
    "Bình thường": "full",
    "Hạn chế": "limited",
    "Suy giảm khả năng lao động": "limited",
    "Không": "none",
    "Không có khả năng": "none",
    "Mất khả năng lao động": "none",
}
SCHOOLING_SYNONYMS = {
    "Mẫu giáo": "preschool",
    "Nhà trẻ": "preschool",
    "Cấp 1": "primary",
    "Cấp 2": "lower_secondary",
    "THCS": "lower_secondary",
    "Cấp 3": "upper_secondary",
    "THPT": "upper_secondary",
    "Trung cấp": "higher",
    "Cao đẳng": "higher",
    "Đại học": "higher",
    "Học nghề": "higher",
    "Bỏ học": "out_of_school",
    "Không đi học": "out_of_school",
    "Không trong độ tuổi": "na",
    "Ngoài độ tuổi đi học": "na",
}


def parse_ethnicity(value):
    """The official name of the ethnic group, from any common spelling (households.rules.ethnicity_name)."""
    return _ethnicity(normalise.text(value))


@functools.lru_cache(maxsize=1024)
def _ethnicity(raw):  # a few spellings fill a whole column
    name = rules.ethnicity_name(raw)
    if name is None:
        raise normalise.Invalid(rules.ethnicity_problem(raw))
    return name, None


def ethnic_names(unit):
    return list(rules.ETHNIC_NAMES)


COLUMNS = (
    Column(
        "household_code",
        gettext_lazy("Registry code"),
        help=gettext_lazy(
            "The household's registry code, unique in the province. Every member of the household has the same "
            "code, on consecutive rows."
        ),
        example="13249-00017",
        required=True,
        aliases=HOUSEHOLD_CODE_ALIASES,
        parse=parse_household_code,
        max_length=30,
        number_format="@",
        width=16,
    ),
    Column(
        "commune",
        gettext_lazy("Commune, ward or township"),
        help=gettext_lazy(
            "GSO code or name of the commune, with or without “Xã”, “Phường”, “Thị trấn”. May be left empty when "
            "the import is for one commune."
        ),
        example="Xã Song An",
        aliases=COMMUNE_ALIASES,
        choices=commune_names,
        strict_choices=False,
        width=22,
    ),
    Column(
        "village",
        gettext_lazy("Village or residential group"),
        help=gettext_lazy(
            "The village (thôn) or residential group (tổ dân phố) of the commune, by name with or without “Thôn”, "
            "“Tổ dân phố”, or by code. On the first row of the household at least."
        ),
        example="Thôn 1",
        required=True,
        blank_ok=True,
        aliases=(
            "Thôn/Tổ dân phố",
            "Thôn",
            "Tổ dân phố",
            "Thôn/Xóm",
            "Thôn/Tổ",
            "Thôn/TDP",
            "Xóm",
            "Tên thôn",
            "Thôn, tổ",
            "Village",
        ),
        choices=village_names,
        strict_choices=False,
        width=20,
    ),
    Column(
        "address",
        gettext_lazy("Address"),
        help=gettext_lazy("House number, lane or hamlet. One address per household; other rows may leave it empty."),
        example="Số 12, ngõ 3",
        aliases=("Địa chỉ", "Địa chỉ hộ", "Số nhà", "Nơi ở"),
        max_length=255,
        width=26,
    ),
    Column(
        "full_name",
        gettext_lazy("Full name"),
        help=gettext_lazy("The member's full name, family name first."),
        example="Nguyễn Thị Hồng Nhung",
        required=True,
        aliases=(
            "Họ và tên",
            "Họ tên",
            "Họ và tên thành viên",
            "Họ tên thành viên",
            "Tên thành viên",
            "Họ và tên nhân khẩu",
        ),
        max_length=150,
        width=28,
    ),
    Column(
        "relation",
        gettext_lazy("Relation to the head"),
        help=gettext_lazy("“Chủ hộ” for the head (exactly one per household), else the relation to the head."),
        example="Chủ hộ",
        required=True,
        aliases=("Quan hệ", "Quan hệ với chủ hộ", "QH với chủ hộ", "Quan hệ chủ hộ", "Relation"),
        parse=choice_parser(Relation, RELATION_SYNONYMS),
        choices=labels(Relation),
        width=18,
    ),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        help=gettext_lazy("dd/mm/yyyy, or an Excel date. If only the year is known, write the year."),
        example="05/09/1978",
        required=True,
        aliases=("Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "Năm sinh", "NTNS"),
        parse=parse_date,
        kind="date",
        number_format="dd/mm/yyyy",
        width=14,
    ),
    Column(
        "sex",
        gettext_lazy("Sex"),
        help=gettext_lazy("Nam or Nữ."),
        example="Nữ",
        required=True,
        aliases=("Giới tính", "Giới", "Nam/Nữ", "Gender"),
        parse=choice_parser(Sex, SEX_SYNONYMS),
        choices=labels(Sex),
        width=10,
    ),
    Column(
        "cccd",
        gettext_lazy("Citizen ID (CCCD)"),
        help=gettext_lazy(
            "12 digits, typed as text. A number that lost its leading zero in Excel (11 digits) is restored, with a "
            "warning. Leave empty if the member has none."
        ),
        example="034185001234",
        aliases=(
            "CCCD",
            "Số CCCD",
            "Số căn cước công dân",
            "Căn cước công dân",
            "Số CCCD/CMND",
            "CCCD/CMND",
            "Số định danh",
            "Số định danh cá nhân",
            "Mã định danh",
            "Căn cước",
        ),
        parse=parse_cccd,
        number_format="@",
        width=16,
    ),
    Column(
        "ethnicity",
        gettext_lazy("Ethnicity"),
        help=gettext_lazy(
            "One of the 54 ethnic groups of Vietnam (sheet “Danh mục”), with or without accents. Empty means Kinh "
            "for a new member."
        ),
        example="Kinh",
        aliases=("Dân tộc",),
        parse=parse_ethnicity,
        choices=ethnic_names,
        strict_choices=False,
        width=12,
    ),
    Column(
        "has_health_insurance",
        gettext_lazy("Health insurance card"),
        help=gettext_lazy("Có or Không (1 or 0). Empty means Có for a new member."),
        example="Có",
        aliases=("BHYT", "Có BHYT", "Thẻ BHYT", "Có thẻ BHYT", "Bảo hiểm y tế"),
        parse=parse_yes_no,
        kind="bool",
        choices=yes_no_labels,
        width=12,
    ),
    Column(
        "has_disability",
        gettext_lazy("Disability"),
        help=gettext_lazy("Có or Không (1 or 0). Empty means Không for a new member."),
        example="Không",
        aliases=("Khuyết tật", "Người khuyết tật", "Có khuyết tật"),
        parse=parse_yes_no,
        kind="bool",
        choices=yes_no_labels,
        width=12,
    ),
    Column(
        "working_capacity",
        gettext_lazy("Working capacity"),
        help=gettext_lazy(
            "One of the list. Empty means, for a new member, what the date of birth suggests: no working capacity "
            "under 15, able to work from 15 to 59, limited from 60, none from 80."
        ),
        example=str(WorkingCapacity.FULL.label),
        aliases=("Khả năng lao động", "KNLĐ"),
        parse=choice_parser(WorkingCapacity, CAPACITY_SYNONYMS),
        choices=labels(WorkingCapacity),
        width=24,
    ),
    Column(
        "schooling",
        gettext_lazy("Schooling"),
        help=gettext_lazy(
            "One of the list. Empty means, for a new member, the school level of their age (pre-school from 3, "
            "primary from 6, lower secondary from 11, upper secondary from 15), else not of school age."
        ),
        example=str(Schooling.NOT_APPLICABLE.label),
        aliases=("Tình trạng đi học", "Đi học", "Tình trạng học tập"),
        parse=choice_parser(Schooling, SCHOOLING_SYNONYMS),
        choices=labels(Schooling),
        width=26,
    ),
)

OPTIONAL_MEMBER_FIELDS = ("ethnicity", "has_health_insurance", "has_disability", "working_capacity", "schooling")
MEMBER_DEFAULTS = {name: Member._meta.get_field(name).default for name in OPTIONAL_MEMBER_FIELDS}
DB_MEMBER = ("id", *MEMBER_FIELDS)
HOUSEHOLDS_SQL = (
    f"SELECT id, code, village_id, address, archived_at FROM {Household._meta.db_table} "
    "WHERE province_id = %s AND code = ANY(%s::varchar[])"
)
MEMBERS_SQL = (
    f"SELECT {', '.join(Member._meta.get_field(name).column for name in DB_MEMBER)} FROM {Member._meta.db_table} "
    "WHERE household_id = ANY(%s::bigint[]) ORDER BY household_id, birth_date, id"  # Member.Meta.ordering's order
)
TAKEN_SQL = (
    f"SELECT m.cccd, m.household_id, h.code, h.village_id FROM {Member._meta.db_table} m "
    f"JOIN {Household._meta.db_table} h ON h.id = m.household_id WHERE m.cccd = ANY(%s::varchar[])"
)


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.units = UnitLookup(job)
        self.province = self.units.province
        self.today = timezone.localdate()
        self.seen_cccd = {}
        self.stats = Stats()
        self.places = {}  # (commune, village) as written -> (None, village id) or (column, message)


def _identity(values):
    """A member's name without accents or case, with the date of birth: computed once per row."""
    identity = values.get("_identity")
    if identity is None:
        identity = values["_identity"] = (normalise.folded(values["full_name"]), values["birth_date"])
    return identity


def _alike(values, member):
    """A row and a registered member that may be one person with a corrected name or date of birth."""
    if member["cccd"] and values.get("cccd"):
        return False  # two different CCCDs: two people
    if member["sex"] != values["sex"]:
        return False
    born, other = member["birth_date"], values["birth_date"]
    if born == other:
        return True  # the name was corrected
    # The date was corrected: one part of it (the year, or the day and month) still agrees.
    same_name = normalise.folded(member["full_name"]) == normalise.folded(values["full_name"])
    return same_name and (born.year == other.year or (born.month, born.day) == (other.month, other.day))


class HouseholdsImporter(Importer):
    kind = "households"
    label = gettext_lazy("Households and members")
    description = gettext_lazy("One row per member, grouped by household code.")
    columns = COLUMNS
    target_kinds = (UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.PROVINCE)
    group_by = "household_code"
    notes = (
        gettext_lazy(
            "One row per member. The rows of one household follow each other and share its registry code; the "
            "member whose relation is “Chủ hộ” is the head, exactly one per household."
        ),
        gettext_lazy(
            "A member is recognised by their citizen ID, or else by name and date of birth within the household: "
            "correcting a name, a date or a village updates the record instead of adding a new one."
        ),
    )

    def prepare(self, job, *, applying=False):
        return Context(job, applying)

    def group_label(self, key):
        return _("household %(code)s") % {"code": key}

    # Checks ------------------------------------------------------------------------------------------------

    def plan(self, ctx, rows):
        groups = defaultdict(list)
        for row in rows:
            self._resolve_units(ctx, row)
            self._check_member(ctx, row)
            if row.group:
                groups[row.group].append(row)
        for code, members in groups.items():
            self._check_group(ctx, code, members)
        existing, db_members, taken = self._load(ctx, groups)
        for code, members in groups.items():
            if not any(r.has_errors for r in members):
                self._decide(ctx, code, members, existing.get(code), db_members, taken)

    def _resolve_units(self, ctx, row):
        values = row.values
        if "village" not in values:
            return
        # A roster names a few hundred villages over and over: look each spelling up once per job.
        place = (values.get("commune"), values["village"])
        found = ctx.places.get(place)
        if found is None:
            found = ctx.places[place] = self._find_village(ctx, *place)
        column, result = found
        if column is None:
            values["village_id"] = result
        else:
            row.error(column, result)

    def _find_village(self, ctx, commune, village):
        """(None, village id), or (the column at fault, the message)."""
        try:
            commune = ctx.units.commune(commune)
        except normalise.Invalid as exc:
            return "commune", str(exc)
        try:
            return None, ctx.units.village(commune, village).pk
        except normalise.Invalid as exc:
            return "village", str(exc)

    def _check_member(self, ctx, row):
        values = row.values
        born = values.get("birth_date")
        problem = born and rules.birth_date_problem(born, today=ctx.today)
        if problem:
            row.error("birth_date", problem)
        elif not row.has_errors:  # what the member page warns about once a member is saved
            for warning in rules.cccd_problems(values.get("cccd"), birth_date=born, sex=values.get("sex")):
                row.warn("cccd", warning)
            for field in ("working_capacity", "schooling"):
                for warning in rules.profile_problems(birth_date=born, today=ctx.today, **{field: values.get(field)}):
                    row.warn(field, warning)
        cccd = values.get("cccd")
        if cccd:
            first = ctx.seen_cccd.setdefault(int(cccd), row.number)  # an int key: half the memory of the text
            if first != row.number:
                row.error("cccd", _("Citizen ID %(cccd)s is already on row %(row)s.") % {"cccd": cccd, "row": first})

    def _check_group(self, ctx, code, members):
        first_village = first_address = None
        for row in members:
            village_id = row.values.get("village_id")
            if village_id:
                if first_village is None:
                    first_village = row
                elif village_id != first_village.values["village_id"]:
                    row.error(
                        "village",
                        _("Household %(code)s is in %(first)s on row %(row)s but in %(this)s here.")
                        % {
                            "code": code,
                            "first": ctx.units.villages[first_village.values["village_id"]].name,
                            "row": first_village.number,
                            "this": ctx.units.villages[village_id].name,
                        },
                    )
            address = row.values.get("address")
            if address:
                if first_address is None:
                    first_address = row
                elif normalise.folded(address) != normalise.folded(first_address.values["address"]):
                    row.error(
                        "address",
                        _("Household %(code)s has the address “%(address)s” on row %(row)s; give one address.")
                        % {"code": code, "address": first_address.values["address"], "row": first_address.number},
                    )
        if first_village is None and not any(r.has_errors for r in members):
            members[0].error("village", _("“%(column)s” is required.") % {"column": self.column("village").header})
        heads = [r for r in members if r.values.get("relation") == HEAD]
        if not heads and all("relation" in r.values for r in members):
            members[0].error(
                "relation",
                _("Household %(code)s has no head: one member must be “%(head)s”.")
                % {"code": code, "head": Relation.HEAD.label},
            )
        for extra in heads[1:]:
            extra.error(
                "relation",
                _("Household %(code)s already has a head on row %(row)s.") % {"code": code, "row": heads[0].number},
            )
        seen = {}
        for row in members:
            values = row.values
            if "full_name" not in values or "birth_date" not in values:
                continue
            identity = _identity(values)
            other = seen.get(identity)
            if other is None:
                seen[identity] = row
            elif not (values.get("cccd") and other.values.get("cccd") and values["cccd"] != other.values["cccd"]):
                row.error(
                    "full_name",
                    _("The same person as on row %(row)s (same name and date of birth).") % {"row": other.number},
                )

    def _load(self, ctx, groups):
        """The households of these codes, all their members, and which household holds each CCCD of the rows."""
        # Plain SQL with one array parameter each: the ORM's `__in` builds and binds a thousand placeholders per
        # query, which cost more than the queries themselves (a third of the check's own time on a new roster).
        codes = [code for code in groups if code]
        cccds = [r.values["cccd"] for members in groups.values() for r in members if r.values.get("cccd")]
        db_members = defaultdict(list)
        with connection.cursor() as cursor:
            cursor.execute(HOUSEHOLDS_SQL, [ctx.province.pk, codes])
            existing = {row[1]: row for row in cursor.fetchall()}
            if existing:
                cursor.execute(MEMBERS_SQL, [[row[0] for row in existing.values()]])
                for values in cursor.fetchall():
                    db_members[values[1]].append(dict(zip(DB_MEMBER, values, strict=True)))
            taken = {}
            if cccds:
                cursor.execute(TAKEN_SQL, [cccds])
                taken = {cccd: (holder, code, village) for cccd, holder, code, village in cursor.fetchall()}
        return existing, db_members, taken

    def _decide(self, ctx, code, members, household, db_members, taken):
        first = members[0]
        village_id = next(r.values["village_id"] for r in members if r.values.get("village_id"))
        address = next((r.values["address"] for r in members if r.values.get("address")), None)
        if household is None:
            household_status = NEW
            self._check_numbering(ctx, code, village_id, first)
            first.group_action = (
                "create",
                {
                    "id": None,
                    "province_id": ctx.province.pk,
                    "village_id": village_id,
                    "code": code,
                    "address": address or "",
                },
            )
            current = []
            household_id = archived_at = None
        else:
            household_id, _code, current_village, current_address, archived_at = household
            if not ctx.units.village_in_scope(current_village):
                seen = ctx.units.visible_village(current_village)
                place = f"{seen.name}, {seen.parent.name}" if seen else None
                first.error("household_code", rules.code_taken_problem(code, place=place))
                return
            new_address = address if address is not None else current_address
            changed = current_village != village_id or new_address != current_address
            household_status = UPDATED if changed else UNCHANGED
            if changed:
                first.group_action = (
                    "update",
                    {
                        "id": household_id,
                        "province_id": ctx.province.pk,
                        "village_id": village_id,
                        "code": code,
                        "address": new_address,
                        "version": F("version") + 1,  # an edit form opened before the import will not save over it
                    },
                )
            current = db_members.get(household_id, [])
        matches = self._match_members(ctx, members, current, household_id, taken)
        matched = {match["id"]: row.number for row, match in matches.items() if match is not None}
        statuses = []
        for row in members:
            if row.has_errors:
                continue
            match = matches.get(row)
            wanted = self._member_fields(row.values, match, ctx.today)
            wanted["household_id"] = household_id  # None for a new household: persist() fills it in
            if match is None:
                row.action = ("create", wanted)
                statuses.append((row, NEW))
            elif any(wanted[name] != match[name] for name in MEMBER_RECORD_FIELDS):
                wanted["id"] = match["id"]
                wanted["version"] = F("version") + 1
                demotes = match["relation"] == HEAD and wanted["relation"] != HEAD
                row.action = ("demote" if demotes else "update", wanted)
                statuses.append((row, UPDATED))
            else:
                statuses.append((row, UNCHANGED))
        head = next((m for m in current if m["relation"] == HEAD), None)
        if head is not None and head["id"] not in matched:
            new_head = next(r for r in members if r.values.get("relation") == HEAD)
            new_head.error(
                "relation",
                _(
                    "%(name)s is the head of household %(code)s in the registry; list them in the file with their "
                    "new relation, or keep them as the head."
                )
                % {"name": head["full_name"], "code": code},
            )
        archived = household is not None and archived_at is not None
        if archived and (household_status != UNCHANGED or any(status != UNCHANGED for _row, status in statuses)):
            # An archived household is left as it is; its unchanged rows (an export re-imported) are fine.
            first.error(
                "household_code",
                _("Household %(code)s is archived; it cannot be changed by an import.") % {"code": code},
            )
        if any(r.has_errors for r in members):
            for row in members:
                row.action = row.group_action = None
            return
        ctx.stats.add("households", household_status)
        for row, status in statuses:
            ctx.stats.add("members", status)
            row.status = NEW if household_status == NEW else status
        if household_status == UPDATED and first.status == UNCHANGED:
            first.status = UPDATED

    def _check_numbering(self, ctx, code, village_id, row):
        """A new household's code: a roster from an earlier registry keeps its numbering, but a code without a
        number, or in another commune's numbering, is refused (households.codes.import_problem)."""
        commune = ctx.units.communes[ctx.units.villages[village_id].parent_id]
        code_format = codes.CodeFormat.of(commune.code)
        if code_format and code_format.matches(code):
            return
        owner = ctx.units.commune_by_code.get(codes.numbering_of(code))
        other = owner.name if owner is not None and owner.pk != commune.pk else None
        problem = codes.import_problem(code, code_format, commune=commune.name, other_commune=other)
        if problem:
            row.error("household_code", problem)

    def _match_members(self, ctx, members, current, household_id, taken):
        """Which registered member each row is: by CCCD, else by name and date of birth; then, for the rows and
        members left over, by the name alone or the date of birth alone when exactly one member fits — so a
        corrected name or date of birth updates the member instead of adding a second one."""
        by_cccd = {m["cccd"]: m for m in current if m["cccd"]}
        by_identity = {}
        for m in current:
            by_identity.setdefault((normalise.folded(m["full_name"]), m["birth_date"]), m)
        matches, used = {}, {}
        for row in members:
            values = row.values
            cccd = values.get("cccd")
            holder = taken.get(cccd) if cccd else None
            if holder and holder[0] != household_id:
                seen = ctx.units.visible_village(holder[2])
                row.error("cccd", rules.cccd_taken_problem(cccd, household_code=holder[1] if seen else None))
                continue
            match = by_cccd.get(cccd) if cccd else None
            if match is None:
                match = by_identity.get(_identity(values))
            if match is not None and match["id"] in used:
                row.error(
                    "full_name",
                    _("The same person as on row %(row)s (same name and date of birth).") % {"row": used[match["id"]]},
                )
                continue
            matches[row] = match
            if match is not None:
                used[match["id"]] = row.number
        # Second pass: a row and a member both left over, alike in sex and in name or date of birth, and each the
        # only fit of the other, are the same person whose name or date was corrected.
        left = [m for m in current if m["id"] not in used]
        unmatched = [row for row, match in matches.items() if match is None]
        for row in unmatched:
            fits = [m for m in left if _alike(row.values, m)]
            if len(fits) == 1 and sum(1 for other in unmatched if _alike(other.values, fits[0])) == 1:
                matches[row] = fits[0]
                used[fits[0]["id"]] = row.number
                left.remove(fits[0])
        return matches

    def _member_fields(self, values, current, today):
        wanted = {
            "id": None,
            "household_id": current["household_id"] if current else None,
            "full_name": values["full_name"],
            "birth_date": values["birth_date"],
            "sex": values["sex"],
            "relation": values["relation"],
            "cccd": values.get("cccd") or (current["cccd"] if current else None),
        }
        derived = None if current else rules.member_defaults(values["birth_date"], today=today)
        for name in OPTIONAL_MEMBER_FIELDS:
            if name in values:
                wanted[name] = values[name]
            elif current:
                wanted[name] = current[name]
            else:
                wanted[name] = derived.get(name, MEMBER_DEFAULTS[name])
        return wanted

    # Writes -------------------------------------------------------------------------------------------------

    def persist(self, ctx, rows, recorder):
        """New households and members by COPY (imports.bulk: the resource would add nothing but its cost to a
        planned insert); changed ones through the import-export resources' bulk updates."""
        creates, updates = [], []
        for row in rows:
            if row.group_action:
                kind, fields = row.group_action
                (creates if kind == "create" else updates).append(fields)
        created_households = bulk.insert_rows(Household, creates)
        HouseholdResource().write(updates)
        followed = household_services.follow_household(household_ids=[fields["id"] for fields in updates])
        new_ids = {fields["code"]: pk for fields, pk in zip(creates, created_households, strict=True)}
        recorder.record(Household, "insert", created_households)
        recorder.record(Household, "update", [fields["id"] for fields in updates])
        recorder.record(Review, "update", followed)

        demotions, changes, additions = [], [], []
        for row in rows:
            if not row.action:
                continue
            kind, fields = row.action
            if fields["household_id"] is None:
                fields["household_id"] = new_ids[row.group]
            {"demote": demotions, "update": changes, "create": additions}[kind].append(fields)
        # A head who becomes a spouse or a child steps down before the new head is written; new members go in
        # before the changed ones (as import-export's bulk mode does: creates, then updates).
        MemberResource().write(demotions)
        created = bulk.insert_rows(Member, additions)
        MemberResource().write(changes)
        recorder.record(Member, "insert", created)
        recorder.record(Member, "update", [fields["id"] for fields in demotions + changes])

    # Template and summary -------------------------------------------------------------------------------

    def counts_summary(self, stats, *, applied):
        households = self.counts(stats, "households")
        members = self.counts(stats, "members")
        if applied:
            text = _(
                "Imported. Households: %(h_new)s new, %(h_updated)s changed, %(h_unchanged)s unchanged. "
                "Members: %(m_new)s new, %(m_updated)s changed, %(m_unchanged)s unchanged."
            )
        else:
            text = _(
                "Checked. Households: %(h_new)s new, %(h_updated)s to change, %(h_unchanged)s unchanged. "
                "Members: %(m_new)s new, %(m_updated)s to change, %(m_unchanged)s unchanged."
            )
        text %= {
            "h_new": households[NEW],
            "h_updated": households[UPDATED],
            "h_unchanged": households[UNCHANGED],
            "m_new": members[NEW],
            "m_updated": members[UPDATED],
            "m_unchanged": members[UNCHANGED],
        }
        return text
