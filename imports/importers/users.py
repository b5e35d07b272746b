"""User accounts with their role in a unit: one row per user, for the whole province.

Key: the username. A new username creates an account with no usable password — nobody can sign in with it until
its owner opens a password-setting link an administrator makes for it in the administration site
(units.selectors.password_links), so no password ever travels in a file or a job summary. An existing username
gets its name (and e-mail, when given) updated and the row's role added if it lacks it; roles are never removed by
an import.

Only administrators may run it (MANAGE on the province, checked on upload, on confirmation and again before
writing), and an account that also acts outside their area, or a superuser, is not changed.
"""

import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units import policy
from units.choices import UnitKind
from units.models import Membership, Unit
from units.roles import ROLE_RULES, Action, Role, role_fit_problem

from .. import normalise
from ..resources import MembershipResource, UserNameResource, UserResource
from .base import NEW, UNCHANGED, UPDATED, Column, Importer, Stats, choice_parser, labels

User = get_user_model()

ROLE_SYNONYMS = {
    "Cán bộ LĐ-TB&XH xã": "commune_officer",
    "Công chức LĐ-TB&XH xã": "commune_officer",
    "Công chức xã": "commune_officer",
    "Cán bộ cấp xã": "commune_officer",
    "Chủ tịch UBND xã": "commune_leader",
    "Phó Chủ tịch UBND xã": "commune_leader",
    "Lãnh đạo UBND xã": "commune_leader",
    "Lãnh đạo cấp xã": "commune_leader",
    "Cán bộ Phòng LĐ-TB&XH": "district_officer",
    "Cán bộ cấp huyện": "district_officer",
    "Cán bộ báo cáo": "unit_reporter",
    "Báo cáo viên": "unit_reporter",
    "Cán bộ Sở": "dolisa_staff",
    "Chuyên viên Sở LĐ-TB&XH": "dolisa_staff",
    "Ban Thi đua": "emulation_board",
    "Hội đồng Thi đua - Khen thưởng": "emulation_board",
    "Quản trị": "admin",
    "Quản trị hệ thống": "admin",
    "Admin": "admin",
}


def parse_username(value):
    username = normalise.text(value)
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise normalise.Invalid(" ".join(exc.messages)) from None
    return username, None


def parse_email(value):
    email = normalise.text(value).replace(" ", "")
    try:
        validate_email(email)
    except ValidationError:
        raise normalise.Invalid(_("“%(value)s” is not an e-mail address.") % {"value": email}) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}", None


def unit_names(unit):
    """Participants by short name, administrative units as "Xã Hòa Bình (12345)": several communes share a name."""
    units = Unit.objects.current().filter(path__startswith=unit.path).exclude(kind=UnitKind.VILLAGE)
    return [u.short_name or (f"{u.name} ({u.code})" if u.code else u.name) for u in units.order_by("path")]


_WITH_CODE = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>\d{2,5})\)$")


def split_name(full_name):
    """Vietnamese names read family name first: "Hoàng Minh Tuấn" -> ("Hoàng Minh", "Tuấn")."""
    words = full_name.split()
    return " ".join(words[:-1]), words[-1] if words else ""


COLUMNS = (
    Column(
        "username",
        gettext_lazy("Username"),
        help=gettext_lazy("The sign-in name: letters, digits and @ . + - _ only, no spaces. One row per user."),
        example="nguyenvana.songan",
        required=True,
        aliases=("Tên đăng nhập", "Tài khoản", "Tên tài khoản", "User", "Login"),
        parse=parse_username,
        max_length=150,
        width=22,
    ),
    Column(
        "full_name",
        gettext_lazy("Full name"),
        help=gettext_lazy("Family name first; the last word is the given name."),
        example="Nguyễn Thị Hồng Nhung",
        required=True,
        aliases=("Họ và tên", "Họ tên", "Tên cán bộ", "Họ và tên cán bộ", "Name"),
        max_length=300,
        width=28,
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        help=gettext_lazy("Optional. Empty keeps the address already recorded."),
        example="nhung.songan@thaibinh.gov.vn",
        aliases=("Email", "Thư điện tử", "Địa chỉ email", "Địa chỉ thư điện tử"),
        parse=parse_email,
        max_length=254,
        width=30,
    ),
    Column(
        "unit",
        gettext_lazy("Unit"),
        help=gettext_lazy(
            "The unit where the user holds the role: its GSO code, its name (with or without Xã, Huyện…) or, for a "
            "provincial participant, its short name (e.g. Sở LĐ-TB&XH)."
        ),
        example="Xã Song An",
        required=True,
        aliases=("Đơn vị", "Đơn vị công tác", "Tên đơn vị", "Mã đơn vị", "Nơi công tác"),
        choices=unit_names,
        strict_choices=False,
        width=30,
    ),
    Column(
        "role",
        gettext_lazy("Role"),
        help=gettext_lazy("One of the list. The role must fit the kind of unit (a commune officer in a commune…)."),
        example=str(Role.COMMUNE_OFFICER.label),
        required=True,
        aliases=("Vai trò", "Quyền", "Chức năng", "Vai trò sử dụng"),
        parse=choice_parser(Role, ROLE_SYNONYMS),
        choices=labels(Role),
        width=26,
    ),
)


class Context:
    def __init__(self, job, applying):
        self.job = job
        self.applying = applying
        self.user = job.requested_by
        self.target = job.unit
        self.today = timezone.localdate()
        self.stats = Stats()
        self.seen = {}  # lower-case username -> row number
        self.manage = policy.scope_paths(self.user, Action.MANAGE)  # None: everything (superuser)
        units = list(
            Unit.objects.active_on(self.today).filter(path__startswith=self.target.path).exclude(kind=UnitKind.VILLAGE)
        )
        self.units = {u.pk: u for u in units}
        self.by_code = defaultdict(list)
        self.by_name = defaultdict(list)
        self.by_short = defaultdict(list)
        for unit in units:
            if unit.code:
                self.by_code[unit.code].append(unit)
            self.by_name[normalise.unit_key(unit.name)].append(unit)
            if unit.short_name:
                self.by_short[normalise.folded(unit.short_name)].append(unit)

    def may_manage(self, path):
        return self.manage is None or any(path.startswith(prefix) for prefix in self.manage)

    def unit(self, value, role):
        """The unit named by `value` (code, short name or name); the role's kinds settle a shared name."""
        named = _WITH_CODE.match(normalise.text(value))
        raw = named.group("code") if named else normalise.code(value)
        candidates = []
        if raw.isdigit():
            for width in (len(raw), 2, 3, 5):
                candidates = self.by_code.get(raw.zfill(width), [])
                if candidates:
                    break
        if not candidates:
            candidates = self.by_short.get(normalise.folded(value), []) or self.by_name.get(
                normalise.unit_key(value), []
            )
        if len(candidates) > 1:  # "Huyện Vũ Thư" is the district, not "Thị trấn Vũ Thư": the full name first
            candidates = [u for u in candidates if normalise.folded(u.name) == normalise.folded(value)] or candidates
        if len(candidates) > 1 and role:
            fitting = [u for u in candidates if u.kind in ROLE_RULES[role].unit_kinds]
            candidates = fitting or candidates
        if len(candidates) > 1:
            raise normalise.Invalid(
                _("Several units are called “%(value)s”; give the GSO code instead.") % {"value": normalise.text(value)}
            )
        if not candidates:
            raise normalise.Invalid(
                _("Unknown unit “%(value)s”: give its GSO code, its name or its short name as in the list of units.")
                % {"value": normalise.text(value)}
            )
        return candidates[0]


class UsersImporter(Importer):
    kind = "users"
    label = gettext_lazy("Users and their roles")
    description = gettext_lazy("One row per user: username, full name, e-mail, unit and role. Administrators only.")
    columns = COLUMNS
    target_kinds = (UnitKind.PROVINCE,)
    action = Action.MANAGE
    lock_group = "users"
    notes = (
        gettext_lazy(
            "One row per user. A new username creates an account without a password: nobody can sign in with it "
            "until its owner opens a password-setting link. In the administration site, select the new users and "
            "choose “Make password-setting links for the selected users”, then hand each link to its owner."
        ),
        gettext_lazy(
            "An existing username keeps its password and roles: its name (and e-mail, when given) is updated and "
            "the role of the row is added if it does not hold it yet. To give a second role, import a second file."
        ),
    )

    def prepare(self, job, *, applying=False):
        if applying and not policy.can(job.requested_by, Action.MANAGE, job.unit):
            from ..pipeline import Conflict

            raise Conflict(
                _("%(user)s may no longer manage users in %(unit)s; nothing was written.")
                % {"user": job.requested_by, "unit": job.unit}
            )
        return Context(job, applying)

    def plan(self, ctx, rows):
        names = {r.values["username"].lower() for r in rows if r.values.get("username")}
        existing = defaultdict(list)
        for user in User.objects.annotate(lower=Lower("username")).filter(lower__in=names):
            existing[user.lower].append(user)
        held = defaultdict(set)
        outside = set()
        ids = [user.pk for users in existing.values() for user in users]
        for user_id, unit_id, role, path in Membership.objects.filter(user_id__in=ids).values_list(
            "user_id", "unit_id", "role", "unit__path"
        ):
            held[user_id].add((unit_id, role))
            if not ctx.may_manage(path):
                outside.add(user_id)
        for row in rows:
            self._check(ctx, row, existing, held, outside)

    def _check(self, ctx, row, existing, held, outside):
        values = row.values
        username = values.get("username")
        if not username or "full_name" not in values:
            return
        first = ctx.seen.setdefault(username.lower(), row.number)
        if first != row.number:
            row.error(
                "username",
                _(
                    "The username %(username)s is already on row %(row)s: one row per user (import a second file "
                    "to give a second role)."
                )
                % {"username": username, "row": first},
            )
            return
        role = values.get("role")
        unit = None
        if "unit" in values:
            try:
                unit = ctx.unit(values["unit"], role)
            except normalise.Invalid as exc:
                row.error("unit", str(exc))
        if unit is None or not role:
            return
        problem = role_fit_problem(role, unit.kind)
        if problem:
            row.error("role", f"{problem} ({unit.get_kind_display()}: {unit.name})")
            return
        if not ctx.may_manage(unit.path):
            row.error("unit", _("%(unit)s is outside your area.") % {"unit": unit.name})
            return
        if row.has_errors:  # a cell that could not be read (the e-mail): the row is reported, not compared
            return
        last_name, first_name = split_name(values["full_name"])
        longest = max(len(last_name), len(first_name))
        if longest > 150:
            row.error("full_name", _("At most %(n)s characters (this one has %(len)s).") % {"n": 150, "len": longest})
            return
        matches = existing.get(username.lower(), [])
        user = next((u for u in matches if u.username == username), None)
        if user is None and matches:
            row.error(
                "username",
                _("The username %(username)s is already taken (as %(other)s); write it exactly as it is.")
                % {"username": username, "other": matches[0].username},
            )
            return
        if user is None:
            row.action = (
                "create",
                {
                    "id": None,
                    "username": username,
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": values.get("email", ""),
                    "password": make_password(None),
                },
                (unit.pk, role),
                None,
            )
            row.status = NEW
            ctx.stats.add("users", NEW)
            ctx.stats.add("memberships", NEW)
            return
        if user.is_superuser or user.pk in outside:
            row.error(
                "username",
                _(
                    "%(username)s also works outside your area or is a superuser; change this account in the "
                    "administration site."
                )
                % {"username": username},
            )
            return
        wanted = {
            "id": user.pk,
            "first_name": first_name,
            "last_name": last_name,
            "email": values.get("email", user.email),
        }
        renamed = any(wanted[name] != getattr(user, name) for name in ("first_name", "last_name", "email"))
        missing = (unit.pk, role) not in held[user.pk]
        if renamed or missing:
            row.action = ("update", wanted if renamed else None, (unit.pk, role) if missing else None, user.pk)
            row.status = UPDATED
        else:
            row.status = UNCHANGED
        ctx.stats.add("users", UPDATED if renamed else UNCHANGED)
        if missing:
            ctx.stats.add("memberships", NEW)

    def persist(self, ctx, rows, recorder):
        actions = [row.action for row in rows if row.action]
        creates = [action for action in actions if action[0] == "create"]
        updates = [action for action in actions if action[0] == "update"]
        users = UserResource()
        users.write([fields for _kind, fields, _membership, _pk in creates])
        if len(users.created_ids) != len(creates):
            raise RuntimeError("user ids were not returned for every new user")
        UserNameResource().write([fields for _kind, fields, _membership, _pk in updates if fields])
        memberships = [
            {"id": None, "user_id": pk, "unit_id": unit_id, "role": role}
            for pk, (_kind, _fields, (unit_id, role), _none) in zip(users.created_ids, creates, strict=True)
        ]
        memberships += [
            {"id": None, "user_id": pk, "unit_id": membership[0], "role": membership[1]}
            for _kind, _fields, membership, pk in updates
            if membership
        ]
        resource = MembershipResource()
        resource.write(memberships)
        recorder.record(Membership, "insert", resource.created_ids)

    def counts_summary(self, stats, *, applied):
        users = self.counts(stats, "users")
        roles = self.counts(stats, "memberships")
        if applied:
            text = _(
                "Imported. Users: %(new)s new, %(updated)s changed, %(unchanged)s unchanged; %(roles)s role(s) "
                "added. New accounts have no password yet: in the administration site, select them and make "
                "password-setting links for their owners."
            )
        else:
            text = _(
                "Checked. Users: %(new)s new, %(updated)s to change, %(unchanged)s unchanged; %(roles)s role(s) to add."
            )
        text %= {"new": users[NEW], "updated": users[UPDATED], "unchanged": users[UNCHANGED], "roles": roles[NEW]}
        return text
