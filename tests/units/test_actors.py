"""units.policy.actors: who may act on a unit (to remind them, or to tell them work waits), as one queryset."""

from django.db.models import QuerySet

from units import policy
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action, Role


def test_the_commune_officer_acts_on_the_commune_and_its_villages(tree, make_user):
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="Thôn Đồng Thanh", parent=song_an)
    officer = make_user(Role.COMMUNE_OFFICER, song_an, last_name="Nguyễn Thị", first_name="Huyền")
    second = make_user(Role.COMMUNE_OFFICER, song_an, last_name="Đặng Văn", first_name="Trường")
    make_user(Role.COMMUNE_LEADER, song_an)  # recognises, does not enter reviews
    make_user(Role.COMMUNE_OFFICER, vu_hoi)  # another commune
    make_user(Role.DISTRICT_OFFICER, song_an.parent)  # follows, does not enter reviews
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    gone = make_user(Role.COMMUNE_OFFICER, song_an, is_active=False)

    actors = policy.actors(Action.EDIT_REGISTRY, song_an)
    assert isinstance(actors, QuerySet)
    assert set(actors) == {officer, second}
    assert set(policy.actors(Action.EDIT_REGISTRY, village)) == {officer, second}
    assert gone not in actors
    assert set(actors.exclude(pk=second.pk)) == {officer}, "a queryset the caller can narrow"


def test_subtree_roles_act_from_an_ancestor_and_province_roles_anywhere_in_the_province(tree, make_user):
    song_an = tree.commune("13249")
    district = song_an.parent
    other_district = Unit.objects.filter(kind=UnitKind.DISTRICT).exclude(pk=district.pk).first()
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    leader = make_user(Role.COMMUNE_LEADER, song_an)
    district_officer = make_user(Role.DISTRICT_OFFICER, district)
    make_user(Role.DISTRICT_OFFICER, other_district)
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    board = make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"))

    assert set(policy.actors(Action.REPORT, song_an)) == {officer, leader, district_officer}
    assert set(policy.actors(Action.VIEW, song_an)) == {officer, leader, district_officer, dolisa, board}
    assert set(policy.actors(Action.COMPILE, song_an)) == {dolisa}
    assert set(policy.actors(Action.RECOGNISE, song_an)) == {leader}
    assert set(policy.actors(Action.REPORT, district)) == {district_officer}


def test_a_superuser_acts_only_through_roles_held(tree, make_user):
    song_an = tree.commune("13249")
    make_user(is_superuser=True, is_staff=True)
    assert not policy.actors(Action.EDIT_REGISTRY, song_an).exists()


def test_actors_agree_with_can(tree, make_user):
    song_an = tree.commune("13249")
    users = [
        make_user(Role.COMMUNE_OFFICER, song_an),
        make_user(Role.COMMUNE_LEADER, song_an),
        make_user(Role.DISTRICT_OFFICER, song_an.parent),
        make_user(Role.UNIT_REPORTER, tree.participant("Sở LĐ-TB&XH")),
        make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")),
        make_user(Role.ADMIN, tree.province),
    ]
    for action in Action:
        expected = {user for user in users if policy.can(user, action, song_an)}
        assert set(policy.actors(action, song_an)) == expected, action


def test_actors_of_many_units_agree_with_actors_of_each(tree, make_user, django_assert_num_queries):
    song_an, vu_hoi = tree.commune("13249"), tree.commune("13255")
    make_user(Role.COMMUNE_OFFICER, song_an)
    make_user(Role.COMMUNE_LEADER, vu_hoi)
    make_user(Role.DISTRICT_OFFICER, song_an.parent)
    make_user(Role.UNIT_REPORTER, tree.participant("Sở LĐ-TB&XH"))
    make_user(Role.UNIT_REPORTER, tree.participant("NHCSXH Thái Bình"))
    make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))
    make_user(Role.COMMUNE_OFFICER, song_an, is_active=False)
    units = [song_an, vu_hoi, song_an.parent, tree.participant("Sở LĐ-TB&XH"), tree.participant("NHCSXH Thái Bình")]
    for action in Action:
        with django_assert_num_queries(1):
            found = policy.actors_of(action, units)
        for unit in units:
            assert set(found.get(unit.pk, [])) == set(policy.actors(action, unit)), (action, unit)
