"""Password-setting links: an administrator makes them for accounts in their area (imported ones have no password);
the owner sets their own password once, which also lifts a lockout; nothing else can use them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.conftest import PASSWORD
from units import policy, selectors
from units.roles import Role

User = get_user_model()
NEW_PASSWORD = "Lúa-chiêm-Thái-Bình-2026"


@pytest.fixture
def newcomer(tree, make_user):
    """An imported commune officer: a long Vietnamese name and no usable password."""
    return make_user(
        Role.COMMUNE_OFFICER,
        tree.commune("13249"),
        username="nguyen.thi.phuong.thao",
        last_name="Nguyễn Thị Phương",
        first_name="Thảo",
        password=None,
    )


@pytest.fixture
def province_admin(tree, make_user):
    """An administrator by role (not a superuser) who may use the admin site's user pages."""
    user = make_user(Role.ADMIN, tree.province, username="quantri.tinh", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return user


def run_action(client, users):
    return client.post(
        reverse("admin:units_user_changelist"),
        {"action": "password_links", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def links_in(response):
    return re.findall(r'data-testid="password-link">(http[^<]+)<', response.content.decode())


def test_only_accounts_wholly_inside_the_managers_area_get_links(tree, make_user, newcomer, province_admin):
    superuser = make_user(is_superuser=True, is_staff=True)
    roleless = make_user()
    district = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    everyone = User.objects.all()

    assert set(policy.manageable_users(province_admin, everyone)) == {newcomer, district, province_admin}
    assert set(policy.manageable_users(superuser, everyone)) == set(everyone)
    assert not policy.manageable_users(district, everyone).exists()  # a district officer manages nobody
    assert superuser not in policy.manageable_users(province_admin, everyone)
    assert roleless not in policy.manageable_users(province_admin, everyone)


def test_a_link_is_a_path_to_the_set_password_page_and_writes_nothing(newcomer, province_admin):
    before = User.objects.get(pk=newcomer.pk).password
    [link] = selectors.password_links(province_admin, User.objects.filter(pk=newcomer.pk))
    assert link.user == newcomer
    assert link.path.startswith("/accounts/password/")
    assert User.objects.get(pk=newcomer.pk).password == before


def test_the_admin_action_shows_a_printable_sheet_that_no_cache_keeps(
    client, tree, newcomer, province_admin, make_user
):
    superuser = make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), is_superuser=True, username="sieu.quantri")
    client.force_login(province_admin)
    response = run_action(client, [newcomer, superuser])
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert html.count('data-testid="password-link-card"') == 1
    assert "Nguyễn Thị Phương Thảo" in html and "nguyen.thi.phuong.thao" in html
    assert "Cán bộ xã — Xã Song An" in html
    assert "<svg" in html  # the QR code of the link
    assert "sieu.quantri" not in html  # a superuser's account is not even in his list


def test_nothing_to_link_returns_to_the_user_list_with_the_reason(client, tree, make_user, newcomer):
    """A staff member without the right to manage accounts sees the account but gets no link for it."""
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="chuyenvien.so", is_staff=True)
    dolisa.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(dolisa)
    response = run_action(client, [newcomer])
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:units_user_changelist")
    assert 'data-testid="password-link-card"' not in html
    assert "1 tài khoản bị bỏ qua" in html


def test_the_owner_sets_a_password_once_and_then_signs_in(client, newcomer, province_admin):
    client.force_login(province_admin)
    [url] = links_in(run_action(client, [newcomer]))
    client.logout()

    form_page = client.get(url, follow=True)
    assert 'data-testid="password-set-form"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]

    mismatch = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "Hai trường mật khẩu không giống nhau." in mismatch.content.decode()
    too_short = client.post(set_url, {"new_password1": "Ngắn-1", "new_password2": "Ngắn-1"})
    assert "Mật khẩu quá ngắn" in too_short.content.decode()
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert 'data-testid="password-set-done"' in done.content.decode()
    assert User.objects.get(pk=newcomer.pk).check_password(NEW_PASSWORD)

    again = client.get(url, follow=True)
    assert 'data-testid="password-link-invalid"' in again.content.decode()
    signed_in = client.post(reverse("login"), {"username": newcomer.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_a_new_password_lifts_the_lockout(client, tree, make_user, province_admin):
    officer = make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), username="canbo.quen.matkhau")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": officer.username, "password": "Sai-mật-khẩu"})
    locked = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert locked.status_code == 429

    client.force_login(province_admin)
    [url] = links_in(run_action(client, [officer]))
    client.logout()
    set_url = client.get(url, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    signed_in = client.post(reverse("login"), {"username": officer.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_a_tampered_link_does_not_work(client, newcomer, province_admin):
    client.force_login(province_admin)
    [url] = links_in(run_action(client, [newcomer]))
    client.logout()
    response = client.get(url[:-3] + "xyz/", follow=True)
    assert 'data-testid="password-link-invalid"' in response.content.decode()
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()


def test_the_user_list_finds_the_accounts_that_still_need_a_link(client, newcomer, province_admin):
    client.force_login(province_admin)
    html = client.get(reverse("admin:units_user_changelist"), {"has_password": "no"}).content.decode()
    assert "nguyen.thi.phuong.thao" in html and "quantri.tinh" not in html
    assert "Nguyễn Thị Phương Thảo" in html
    assert "Cán bộ xã — Xã Song An" in html
    everyone = client.get(reverse("admin:units_user_changelist")).content.decode()
    assert "quantri.tinh" in everyone
    assert "Vì người nghèo — Quản trị" in everyone
