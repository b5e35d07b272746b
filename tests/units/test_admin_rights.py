"""The admin site for an administrator who is not a superuser: he administers accounts of his area but grants no
rights to the admin or permissions, never touches a superuser's account, and reads no raw personal data (import
rows, history events); import jobs follow the scope policy."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from imports.models import ImportJob, ImportRowError, Severity
from tests.conftest import PASSWORD
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role

User = get_user_model()
NEW_PASSWORD = "Đồng-Châu-Tiền-Hải-2026"


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.fixture
def staff_admin(tree, make_user):
    """The province's administrator by role, with the stock user-admin permissions, not a superuser."""
    user = make_user(Role.ADMIN, tree.province, username="quantri.tinh", last_name="Đỗ Văn", first_name="Quản")
    user.is_staff = True
    user.save()
    grant(user, "view_user", "change_user", "add_user", "delete_user")
    return user


@pytest.fixture
def superuser(tree, make_user):
    """Like the demo's `quantri`: a superuser who also holds the administrator role in the province."""
    return make_user(Role.ADMIN, tree.province, username="quantri", is_superuser=True, is_staff=True)


def change_form_data(user, **overrides):
    """A complete, valid POST of the user change form (with its memberships inline) as the stock admin sends it."""
    memberships = list(user.memberships.all())
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
    }
    for i, m in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": str(m.pk),
                f"memberships-{i}-user": str(user.pk),
                f"memberships-{i}-role": m.role,
                f"memberships-{i}-unit": str(m.unit_id),
            }
        )
    data.update(overrides)
    return data


def test_a_staff_admin_cannot_make_himself_a_superuser(client, staff_admin):
    client.force_login(staff_admin)
    url = reverse("admin:units_user_change", args=[staff_admin.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert 'name="user_permissions"' not in page and 'name="groups"' not in page

    group = Group.objects.create(name="Toàn quyền")
    group.permissions.set(Permission.objects.all())
    response = client.post(
        url,
        change_form_data(
            staff_admin,
            last_name="Đỗ Văn Quản",
            is_superuser="on",
            is_staff="on",
            groups=[str(group.pk)],
            user_permissions=[str(p.pk) for p in Permission.objects.all()[:5]],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    staff_admin.refresh_from_db()
    assert staff_admin.last_name == "Đỗ Văn Quản"  # his own name he may change
    assert not staff_admin.is_superuser
    assert not staff_admin.groups.exists()
    assert staff_admin.user_permissions.count() == 4


def test_a_staff_admin_cannot_give_another_account_admin_rights(client, tree, make_user, staff_admin):
    officer = make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.songan", last_name="Lê Thị")
    client.force_login(staff_admin)
    response = client.post(
        reverse("admin:units_user_change", args=[officer.pk]),
        change_form_data(officer, is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_staff and not officer.is_superuser


def test_a_staff_admin_cannot_touch_a_superusers_account(client, staff_admin, superuser):
    client.force_login(staff_admin)
    changelist = client.get(reverse("admin:units_user_changelist")).content.decode()
    assert f"/{superuser.pk}/change/" not in changelist

    change = client.get(reverse("admin:units_user_change", args=[superuser.pk]))
    assert change.status_code == 302  # "does not exist" for him
    response = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true", "set-password": "1"},
    )
    assert response.status_code in (403, 404)
    edit = client.post(
        reverse("admin:units_user_change", args=[superuser.pk]), change_form_data(superuser, is_active="")
    )
    assert edit.status_code in (302, 403, 404)

    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert superuser.is_active


def test_a_superuser_still_manages_rights(client, superuser, staff_admin):
    client.force_login(superuser)
    page = client.get(reverse("admin:units_user_change", args=[staff_admin.pk])).content.decode()
    assert 'name="is_superuser"' in page
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_admin.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true", "set-password": "1"},
    )
    assert response.status_code == 302
    staff_admin.refresh_from_db()
    assert staff_admin.check_password(NEW_PASSWORD)


def test_groups_and_their_permissions_are_for_superusers(client, staff_admin, superuser):
    grant(staff_admin, "view_group", "change_group", "add_group")
    client.force_login(staff_admin)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200


@pytest.fixture
def jobs(tree, make_user):
    """An import job of Xã Song An and one of a commune of another district, each with a row error naming a person."""
    song_an = tree.commune("13249")
    elsewhere = (
        Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True)
        .exclude(path__startswith=song_an.parent.path)
        .order_by("code")
        .first()
    )
    made = {}
    for key, commune, cccd in (("here", song_an, "034070011111"), ("there", elsewhere, "034070022222")):
        officer = make_user(Role.COMMUNE_OFFICER, commune)
        job = ImportJob.objects.create(
            kind="households", unit=commune, original_name="danh-sách-hộ-nghèo.xlsx", requested_by=officer
        )
        ImportRowError.objects.create(
            job=job,
            row_number=2,
            column="cccd",
            severity=Severity.ERROR,
            message=f"Số CCCD {cccd} đã có ở dòng 1.",
            raw=["HN-01", "Nguyễn Văn Ân", cccd],
        )
        made[key] = job
    return made


def test_import_jobs_in_the_admin_follow_the_scope_and_row_errors_are_for_superusers(
    client, tree, make_user, jobs, superuser
):
    district_staff = make_user(Role.DISTRICT_OFFICER, tree.commune("13249").parent, is_staff=True)
    grant(district_staff, "view_importjob", "view_importrowerror", "view_events", "view_historyevent")
    client.force_login(district_staff)
    job_list = client.get(reverse("admin:imports_importjob_changelist"))
    assert job_list.status_code == 200
    assert f"/{jobs['here'].pk}/change/" in job_list.content.decode()
    assert f"/{jobs['there'].pk}/change/" not in job_list.content.decode()
    assert client.get(reverse("admin:imports_importjob_change", args=[jobs["there"].pk])).status_code == 302

    for name in ("admin:imports_importrowerror_changelist", "admin:units_historyevent_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
    index = client.get(reverse("admin:index")).content.decode()
    assert "034070011111" not in index and reverse("admin:units_historyevent_changelist") not in index

    client.force_login(superuser)
    errors = client.get(reverse("admin:imports_importrowerror_changelist"))
    assert errors.status_code == 200 and "034070022222" in errors.content.decode()
    assert client.get(reverse("admin:units_historyevent_changelist")).status_code == 200
