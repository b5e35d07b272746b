"""Demo accounts (one per role) and demo villages, for `make run`; never used in production."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .choices import UnitKind
from .models import Membership, Unit
from .roles import Role

DEMO_PASSWORD = "ThaiBinh@2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit_kind: UnitKind
    unit_key: str  # GSO code for administrative units, short name for the others
    superuser: bool = False


DEMO_USERS = [
    DemoUser("xa.songan", "Nguyễn Thị Hồng Nhung", Role.COMMUNE_OFFICER, UnitKind.COMMUNE, "13249"),
    DemoUser("lanhdao.songan", "Trần Văn Thắng", Role.COMMUNE_LEADER, UnitKind.COMMUNE, "13249"),
    DemoUser("xa.vuhoi", "Phạm Thị Thu Hương", Role.COMMUNE_OFFICER, UnitKind.COMMUNE, "13255"),
    DemoUser("huyen.vuthu", "Lê Quang Đạo", Role.DISTRICT_OFFICER, UnitKind.DISTRICT, "344"),
    DemoUser("baocao.phunu", "Đỗ Thị Minh Nguyệt", Role.UNIT_REPORTER, UnitKind.MASS_ORG, "Hội LHPN tỉnh"),
    DemoUser("nganhang", "Ngô Thị Thanh Tâm", Role.UNIT_REPORTER, UnitKind.BANK, "NHCSXH Thái Bình"),
    DemoUser("dolisa", "Vũ Đức Hạnh", Role.DOLISA_STAFF, UnitKind.DEPARTMENT, "Sở LĐ-TB&XH"),
    DemoUser("tdkt", "Bùi Thị Ngọc Ánh", Role.EMULATION_BOARD, UnitKind.DEPARTMENT, "Ban TĐKT"),
    DemoUser("quantri", "Hoàng Minh Tuấn", Role.ADMIN, UnitKind.PROVINCE, "34", superuser=True),
]


def _unit(demo):
    units = Unit.objects.filter(kind=demo.unit_kind)
    if demo.unit_kind in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE):
        return units.get(code=demo.unit_key)
    return units.get(short_name=demo.unit_key)


@transaction.atomic
def ensure_demo_users(password=DEMO_PASSWORD):
    """Create the demo accounts once; later runs leave them (and any password change) alone."""
    User = get_user_model()
    accounts = []
    for demo in DEMO_USERS:
        last, _, first = demo.full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": demo.superuser,
                "is_superuser": demo.superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        unit = _unit(demo)
        Membership.objects.get_or_create(user=user, unit=unit, role=demo.role)
        accounts.append((demo, unit))
    return accounts
