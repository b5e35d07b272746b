"""The one access policy: which units each role sees and what it may do there."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from units import policy
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action, Role


@pytest.fixture
def song_an_officer(tree, make_user):
    return make_user(Role.COMMUNE_OFFICER, tree.commune("13249"))


def test_commune_officer_sees_only_their_commune_and_below(tree, song_an_officer):
    commune = tree.commune("13249")
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Đồng Thanh", parent=commune)
    visible = set(policy.visible_units(song_an_officer))
    assert visible == {commune, village}
    assert policy.can(song_an_officer, Action.EDIT_REGISTRY, village)
    assert not policy.can(song_an_officer, Action.VIEW, tree.commune("13255"))
    assert not policy.can(song_an_officer, Action.VIEW, tree.district("344"))


@pytest.mark.parametrize(
    "role, short_name",
    [
        (Role.DOLISA_STAFF, "Sở LĐ-TB&XH"),
        (Role.EMULATION_BOARD, "Ban TĐKT"),
    ],
)
def test_provincial_roles_see_the_whole_province(tree, make_user, role, short_name):
    user = make_user(role, tree.participant(short_name))
    assert policy.visible_units(user).count() == Unit.objects.count()


def test_district_officer_sees_their_district(tree, make_user):
    user = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    visible = policy.visible_units(user)
    assert visible.filter(kind=UnitKind.COMMUNE).count() == 30
    assert not visible.filter(pk=tree.district("343").pk).exists()


def test_user_without_membership_sees_nothing(tree, make_user):
    assert not policy.visible_units(make_user()).exists()


def test_superuser_sees_everything(tree, make_user):
    admin = make_user(is_superuser=True)
    assert policy.visible_units(admin).count() == Unit.objects.count()


def test_actions_follow_roles(tree, make_user):
    commune = tree.commune("13249")
    leader = make_user(Role.COMMUNE_LEADER, commune)
    assert policy.can(leader, Action.RECOGNISE, commune)
    assert not policy.can(leader, Action.EDIT_REGISTRY, commune)
    with pytest.raises(PermissionDenied):
        policy.require(leader, Action.EDIT_REGISTRY, commune)
    with pytest.raises(Http404):
        policy.require(leader, Action.RECOGNISE, tree.commune("13255"))


def test_role_must_fit_the_unit_kind(tree, make_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_user(Role.COMMUNE_OFFICER, tree.district("344"))


def test_restrict_follows_a_path_through_a_relation(tree, song_an_officer, make_user):
    from units.models import Membership

    make_user(Role.COMMUNE_OFFICER, tree.commune("13255"))
    mine = policy.restrict(song_an_officer, Membership.objects.all(), path_field="unit__path")
    assert [m.user for m in mine] == [song_an_officer]
