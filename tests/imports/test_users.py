"""Importing user accounts with their roles: administrators only, no password in any file, roles fit their units."""

import io
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from imports import pipeline, selectors, services
from imports.models import ImportMode, JobState
from units.models import Membership, MembershipEvent
from units.roles import Role
from units.services import add_membership

from .conftest import family, problems, upload_file, workbook

User = get_user_model()
HEADER = ["Tên đăng nhập", "Họ và tên", "Email", "Đơn vị", "Vai trò"]


def users_file(*rows):
    return workbook(
        [dict(zip(HEADER, row, strict=True)) for row in rows], header=HEADER, title_rows=["DANH SÁCH CÁN BỘ"]
    )


@pytest.fixture
def admin(make_user, tree):
    return make_user(Role.ADMIN, tree.province, last_name="Đỗ Văn", first_name="Quản")


@pytest.fixture
def province(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tree.province


ROWS = [
    ("nhung.songan", "Nguyễn Thị Hồng Nhung", "Nhung.SongAn@ThaiBinh.gov.vn", "13249", "Cán bộ xã"),
    ("tuan.songan", "Hoàng Minh Tuấn", None, "Xã Song An", "commune_leader"),
    ("huong.vuthu", "Phạm Thị Thu Hương", "huong@thaibinh.gov.vn", "Huyện Vũ Thư", "Cán bộ huyện"),
    ("hanh.so", "Vũ Đức Hạnh", None, "Sở LĐ-TB&XH", "Cán bộ Sở LĐ-TB&XH"),
]


def roles_of(username):
    return sorted(Membership.objects.filter(user__username=username).values_list("unit__name", "role"))


def test_users_are_created_without_a_password_with_their_roles(start, confirm, admin, province):
    job = start(admin, province, users_file(*ROWS), kind="users")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert job.summary == "Đã kiểm tra. Người dùng: 4 mới, 0 sẽ thay đổi, 0 không đổi; 4 vai trò sẽ được thêm."
    assert not User.objects.filter(username="nhung.songan").exists()
    job = confirm(job, admin)
    assert job.state == JobState.DONE, job.error
    assert "Tài khoản mới chưa có mật khẩu" in job.summary
    nhung = User.objects.get(username="nhung.songan")
    assert (nhung.last_name, nhung.first_name, nhung.email) == (
        "Nguyễn Thị Hồng",
        "Nhung",
        "Nhung.SongAn@thaibinh.gov.vn",
    )
    assert not nhung.has_usable_password() and nhung.is_active and not nhung.is_staff and not nhung.is_superuser
    assert roles_of("nhung.songan") == [("Xã Song An", "commune_officer")]
    assert roles_of("tuan.songan") == [("Xã Song An", "commune_leader")]
    assert roles_of("huong.vuthu") == [("Huyện Vũ Thư", "district_officer")]
    assert roles_of("hanh.so") == [("Sở Lao động - Thương binh và Xã hội", "dolisa_staff")]
    passwords = set(User.objects.filter(username__in=[r[0] for r in ROWS]).values_list("password", flat=True))
    assert len(passwords) == 4, "each unusable password is its own random string"
    events = MembershipEvent.objects.filter(pgh_label="insert", user__username__in=[r[0] for r in ROWS])
    assert events.count() == 4 and {e.pgh_context.metadata["user"] for e in events} == {admin.pk}


def test_the_same_file_again_changes_nothing(start, confirm, admin, province):
    confirm(start(admin, province, users_file(*ROWS), kind="users"), admin)
    again = start(admin, province, users_file(*ROWS), kind="users")
    assert again.state == JobState.DONE and again.unchanged_rows == 4


def test_an_existing_username_gets_its_name_and_a_missing_role(start, confirm, admin, province, make_user, tree):
    make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), username="nhung.songan", last_name="Nguyen", first_name="X")
    job = start(admin, province, users_file(("nhung.songan", "Nguyễn Thị Hồng Nhung", None, "13255", "Cán bộ xã")),
                kind="users")  # fmt: skip
    assert (job.updated_rows, job.new_rows) == (1, 0), problems(job)
    confirm(job, admin)
    user = User.objects.get(username="nhung.songan")
    assert (user.last_name, user.first_name) == ("Nguyễn Thị Hồng", "Nhung")
    assert user.has_usable_password(), "an existing account keeps its password"
    assert roles_of("nhung.songan") == [("Xã Song An", "commune_officer"), ("Xã Vũ Hội", "commune_officer")]


def test_bad_rows_are_reported(start, admin, province, make_user, tree):
    nfd = unicodedata.normalize("NFD", "Lê Thị Thanh Thủy")
    content = users_file(
        ("lan.a", "Lê Thị Lan", None, "Xã Song An", "Thủ quỹ"),
        ("lan.b", "Lê Thị Lan", None, "Huyện Vũ Thư", "Cán bộ xã"),
        ("lan.c", "Lê Thị Lan", None, "Xã Không Có", "Cán bộ xã"),
        ("lan.d", "Lê Thị Lan", None, "13249", "Cán bộ xã"),
        ("LAN.D", "Lê Thị Lan", None, "13249", "Cán bộ xã"),
        ("lan e", "Lê Thị Lan", None, "13249", "Cán bộ xã"),
        ("lan.f", "Lê Thị Lan", "lan@", "13249", "Cán bộ xã"),
        ("thuy.g", nfd, None, "Xã Hòa Bình", "Cán bộ xã"),
        ("thuy.h", nfd, None, "Xã Vũ Hội (13255)", "Cán bộ xã"),  # as the template's list writes it
    )
    job = start(admin, province, content, kind="users", mode=ImportMode.VALID_ONLY)
    found = problems(job)
    assert (4, "Vai trò", "“Thủ quỹ” không có trong danh mục; hãy chọn trong danh sách.") in found
    assert (5, "Vai trò", "Vai trò “Cán bộ xã” không áp dụng cho loại đơn vị này. (Huyện: Huyện Vũ Thư)") in found
    assert (6, "Đơn vị", "Không tìm thấy đơn vị “Xã Không Có”: hãy ghi mã đơn vị hành chính, tên hoặc tên viết tắt "
            "đúng như danh mục đơn vị.") in found  # fmt: skip
    assert (8, "Tên đăng nhập", "Tên đăng nhập LAN.D đã có ở dòng 7: mỗi người dùng chỉ một dòng (muốn cấp vai trò "
            "thứ hai, hãy nhập một tệp khác).") in found  # fmt: skip
    assert any(row == 9 and column == "Tên đăng nhập" for row, column, _m in found)
    assert (10, "Email", "“lan@” không phải là địa chỉ thư điện tử.") in found
    assert (11, "Đơn vị", "Có nhiều đơn vị tên “Xã Hòa Bình”; hãy ghi mã đơn vị hành chính.") in found
    assert job.new_rows == 2  # lan.d, thuy.h
    assert job.summary.startswith("Đã kiểm tra. Người dùng: 2 mới,")


def test_nfd_names_are_stored_composed(start, confirm, admin, province):
    nfd = unicodedata.normalize("NFD", "Lê Thị Thanh Thủy")
    confirm(start(admin, province, users_file(("thuy", nfd, None, "13249", "Cán bộ xã")), kind="users"), admin)
    assert User.objects.get(username="thuy").get_full_name() == "Lê Thị Thanh Thủy"
    assert User.objects.filter(first_name="Thủy").exists()


def test_superusers_and_accounts_of_another_area_are_not_changed(start, admin, province, make_user, tree):
    User.objects.create_superuser("root", "root@example.com", "x")
    make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), username="shared")
    job = start(admin, province, users_file(("root", "Người Lạ", None, "13249", "Cán bộ xã")), kind="users")
    assert job.state == JobState.INVALID
    assert problems(job)[0][1:] == ("Tên đăng nhập", "root còn làm việc ngoài địa bàn của bạn hoặc là siêu quản trị; "
                                    "hãy sửa tài khoản này trong trang quản trị.")  # fmt: skip


def test_only_administrators_may_import_users(admin, province, dolisa, district_officer, client):
    content = users_file(ROWS[0])
    for user in (dolisa, district_officer):
        with pytest.raises((PermissionDenied, Exception)):
            services.create_job(user=user, kind="users", unit=province, upload=upload_file(content))
    job = services.create_job(user=admin, kind="users", unit=province, upload=upload_file(content))
    assert job in selectors.jobs_for(admin)
    assert job not in selectors.jobs_for(dolisa), "DOLISA staff may import into the province but not manage users"
    client.force_login(dolisa)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert 'value="users"' not in client.get(reverse("imports:upload")).content.decode()
    assert client.get(reverse("imports:template"), {"kind": "users"}).status_code == 403


def test_an_administrator_who_lost_the_right_writes_nothing(start, admin, province, tree):
    job = start(admin, province, users_file(*ROWS), kind="users")
    services.confirm_job(user=admin, job=job)
    # Moved to DOLISA before the worker ran: may still import into the province, may not manage users.
    add_membership(user=admin, unit=tree.participant("Sở LĐ-TB&XH"), role=Role.DOLISA_STAFF)
    Membership.objects.filter(user=admin, role=Role.ADMIN).delete()
    pipeline.apply(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "không còn quyền quản lý người dùng" in job.error
    assert not User.objects.filter(username="nhung.songan").exists()


def test_a_users_import_does_not_hold_up_the_communes_imports(start, admin, province, district_officer, song_an):
    users_job = start(admin, province, users_file(*ROWS), kind="users")
    assert users_job.state == JobState.VALIDATED  # waiting for confirmation: it holds the province for users only
    households_job = start(district_officer, song_an, workbook(family()))
    assert households_job.state == JobState.VALIDATED


def test_the_template_lists_roles_and_units(client, admin, province):
    client.force_login(admin)
    response = client.get(reverse("imports:template"), {"kind": "users", "unit": province.pk})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book["Dữ liệu"][1]] == [
        "Tên đăng nhập (*)",
        "Họ và tên (*)",
        "Thư điện tử",
        "Đơn vị (*)",
        "Vai trò (*)",
    ]
    lists = {column[0]: [v for v in column[1:] if v] for column in book["Danh mục"].iter_cols(values_only=True)}
    assert lists["Vai trò"][:2] == ["Cán bộ xã", "Lãnh đạo xã"]
    assert "Sở LĐ-TB&XH" in lists["Đơn vị"] and "Xã Song An (13249)" in lists["Đơn vị"]
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "chưa có mật khẩu" in guide
