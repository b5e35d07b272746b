"""Proposals and decisions: who issues them, their numbers, the nominees' steps, the award registry rows written at
decision with the bonus of the day it was signed, and every refusal in Vietnamese with nothing saved."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from awards.decisions import services
from awards.models import (
    Award,
    AwardMethod,
    Decision,
    NomineeKind,
    NomineeState,
    NomineeTransition,
    Occasion,
    Proposal,
    ProposalStage,
)
from documents.services import next_number
from households.models import Household, Member
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

from .decisions_fixtures import *  # noqa: F403
from .decisions_fixtures import SONG_AN, vn

pytestmark = pytest.mark.django_db

S = NomineeState


@pytest.fixture
def song_an(tree):
    return tree.commune(SONG_AN)


@pytest.fixture
def proposed(final_review, song_an, make_nominee, board_user, time_machine):
    """Three nominees of Song An appraised on 10 and 12/8/2025 and proposed to the Chairman by the Board on
    12/8/2025 (a later step moves the clock on)."""
    time_machine.move_to(vn(2025, 8, 12, 23, 45))
    nominees = [
        make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.ELIGIBLE, appraised=vn(2025, 8, 10, 9)),
        make_nominee(
            final_review,
            song_an,
            NomineeKind.INDIVIDUAL,
            S.ELIGIBLE,
            appraised=vn(2025, 8, 10, 9),
            full_name="Nguyễn Thị Hồng Nhung",
            birth_year=1980,
            sex="F",
            position="Chủ tịch Hội Liên hiệp Phụ nữ xã",
            cccd="034180001234",
        ),
        make_nominee(
            final_review,
            song_an,
            NomineeKind.FAMILY,
            S.ELIGIBLE,
            appraised=vn(2025, 8, 12, 23, 30),
            full_name="Đặng Văn Thưởng",
            address="Thôn Đông, xã Song An",
        ),
    ]
    proposal = services.propose_to_chairman(
        user=board_user, occasion=final_review, nominee_ids=[n.pk for n in nominees]
    )
    time_machine.move_to(vn(2025, 8, 31, 12))
    return proposal, nominees


def _record(user, proposal, **kwargs):
    arguments = {"signed_on": date(2025, 8, 15), "signer": "Nguyễn Khắc Thận", "signer_title": "Chủ tịch"}
    return services.record_decision(user=user, proposal=proposal, **{**arguments, **kwargs})


def _nothing_saved(nominees):
    assert Decision.objects.count() == 0
    assert Award.objects.count() == 0
    assert all(n.state == S.PROPOSED for n in type(nominees[0]).objects.filter(pk__in=[n.pk for n in nominees]))


def test_dolisa_proposes_selected_nominees_numbered_by_its_register(
    final_review, song_an, make_nominee, dolisa_user, tree
):
    first = make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.SELECTED)
    second = make_nominee(final_review, song_an, NomineeKind.INDIVIDUAL, S.SELECTED, full_name="Lê Văn Dũng")
    one = services.propose_to_board(user=dolisa_user, occasion=final_review, nominee_ids=[first.pk])
    two = services.propose_to_board(user=dolisa_user, occasion=final_review, nominee_ids=[second.pk])
    assert (one.stage, one.issuer, one.number, two.number) == (
        ProposalStage.DOLISA,
        tree.participant("Sở LĐ-TB&XH"),
        1,
        2,
    )
    assert list(one.nominees.all()) == [first]
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        services.propose_to_board(user=dolisa_user, occasion=final_review, nominee_ids=[first.pk])
    assert caught.value.messages == [f"{song_an.name} đã có trong một tờ trình khác của Sở LĐ-TB&XH."]
    assert Proposal.objects.count() == 2


def test_dolisa_lists_only_selected_nominees(final_review, song_an, make_nominee, dolisa_user):
    waiting = make_nominee(final_review, song_an, NomineeKind.INDIVIDUAL, S.AT_DOLISA, full_name="Trần Văn An")
    with pytest.raises(ValidationError):
        services.propose_to_board(user=dolisa_user, occasion=final_review, nominee_ids=[waiting.pk])
    assert Proposal.objects.count() == 0


def test_a_commune_cannot_propose(final_review, song_an, make_nominee, make_user):
    nominee = make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.SELECTED)
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    with pytest.raises((Http404, PermissionDenied)):
        services.propose_to_board(user=officer, occasion=final_review, nominee_ids=[nominee.pk])


def test_the_board_proposes_eligible_nominees_to_the_chairman(proposed, board_user, tree):
    proposal, _ = proposed
    assert proposal.stage == ProposalStage.BOARD
    assert proposal.issuer == tree.participant("Ban TĐKT")
    assert proposal.issuer.kind == UnitKind.DEPARTMENT
    assert proposal.number == 1
    assert set(proposal.nominees.values_list("state", flat=True)) == {S.PROPOSED}
    assert NomineeTransition.objects.filter(to_state=S.PROPOSED, by=board_user).count() == 3


def test_the_board_cannot_propose_a_nominee_not_found_eligible(final_review, song_an, make_nominee, board_user):
    eligible = make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.ELIGIBLE)
    selected = make_nominee(final_review, song_an, NomineeKind.INDIVIDUAL, S.SELECTED, full_name="Phạm Thị Lan")
    with pytest.raises(ValidationError):
        services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[eligible.pk, selected.pk])
    eligible.refresh_from_db()
    assert eligible.state == S.ELIGIBLE
    assert Proposal.objects.count() == 0


def test_decision_writes_the_award_registry_with_the_bonus_of_its_date(proposed, board_user, tree):
    proposal, _ = proposed
    decision = _record(board_user, proposal)
    assert (decision.number, decision.year, decision.issuer) == (1, 2025, tree.province)
    awards = {a.kind: a for a in Award.objects.filter(decision=decision)}
    assert {k: (a.multiple, a.base_salary, a.bonus) for k, a in awards.items()} == {
        NomineeKind.COLLECTIVE: (Decimal("3.000"), 2_340_000, 7_020_000),
        NomineeKind.INDIVIDUAL: (Decimal("1.500"), 2_340_000, 3_510_000),
        NomineeKind.FAMILY: (Decimal("2.250"), 2_340_000, 5_270_000),
    }
    person = awards[NomineeKind.INDIVIDUAL]
    assert (person.name, person.birth_year, person.cccd, person.sex) == (
        "Nguyễn Thị Hồng Nhung",
        1980,
        "034180001234",
        "F",
    )
    assert awards[NomineeKind.COLLECTIVE].name == tree.commune(SONG_AN).name
    assert {a.method for a in awards.values()} == {AwardMethod.THEMATIC}
    assert {a.district for a in awards.values()} == {tree.district("344")}
    assert {a.unit for a in awards.values()} == {tree.commune(SONG_AN)}
    assert {a.year for a in awards.values()} == {2025}
    assert set(proposal.nominees.values_list("state", flat=True)) == {S.DECIDED}


def test_a_declined_nominee_is_rejected_with_its_reason(proposed, board_user):
    proposal, nominees = proposed
    family = nominees[2]
    _record(board_user, proposal, declined={family.pk: "Hồ sơ chưa đủ minh chứng đóng góp."})
    family.refresh_from_db()
    assert family.state == S.REJECTED
    assert family.transitions.latest("pk").comment == "Hồ sơ chưa đủ minh chứng đóng góp."
    assert Award.objects.count() == 2


def test_a_decline_without_reason_saves_nothing(proposed, board_user):
    proposal, nominees = proposed
    with pytest.raises(ValidationError):
        _record(board_user, proposal, declined={nominees[0].pk: ""})
    _nothing_saved(nominees)


def test_a_decision_number_already_used_is_refused_in_vietnamese(
    proposed, board_user, final_review, song_an, make_nominee
):
    proposal, nominees = proposed
    first = _record(board_user, proposal, declined={nominees[2].pk: "Chưa đủ điều kiện."}, number=7)
    assert first.number == 7
    other = make_nominee(
        final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name="Vũ Minh Đức"
    )
    second = services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[other.pk])
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _record(board_user, second, number=7, signed_on=date(2025, 8, 31))
    assert caught.value.message_dict["number"] == ["Số quyết định 7/QĐ-UBND năm 2025 đã được dùng."]
    assert Decision.objects.count() == 1
    # The register moves past a number typed by hand.
    for _ in range(6):
        next_number(issuer=first.issuer, type_code="QĐ", year=2025)
    assert _record(board_user, second, signed_on=date(2025, 8, 31)).number == 8


def test_a_decision_before_the_appraisal_is_refused(proposed, board_user):
    proposal, nominees = proposed
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _record(board_user, proposal, signed_on=date(2025, 8, 11))
    assert caught.value.message_dict["signed_on"] == [
        "Ngày ký quyết định không được trước ngày thẩm định hồ sơ (lần thẩm định sau cùng: 12/08/2025)."
    ]
    _nothing_saved(nominees)
    assert _record(board_user, proposal, signed_on=date(2025, 8, 12)).signed_on == date(2025, 8, 12)


def test_a_decision_before_its_proposal_is_refused(final_review, song_an, make_nominee, board_user, time_machine):
    nominee = make_nominee(
        final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 9, 1), full_name="Lý Thị Mai"
    )
    time_machine.move_to(vn(2025, 9, 5, 8))
    proposal = services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[nominee.pk])
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _record(board_user, proposal, signed_on=date(2025, 9, 4))
    assert caught.value.message_dict["signed_on"] == [
        "Ngày ký quyết định không được trước ngày ban hành tờ trình (05/09/2025)."
    ]
    _nothing_saved([nominee])


def test_a_decision_in_the_future_is_refused(proposed, board_user, time_machine):
    proposal, nominees = proposed
    time_machine.move_to(vn(2025, 8, 20, 10))
    with pytest.raises(ValidationError) as caught:
        _record(board_user, proposal, signed_on=date(2025, 8, 21))
    assert "signed_on" in caught.value.message_dict
    _nothing_saved(nominees)


def test_a_decision_in_the_decree_98_period_waits_for_the_multiple(
    final_review, song_an, make_nominee, board_user, time_machine
):
    time_machine.move_to(vn(2025, 3, 2, 8))
    nominee = make_nominee(
        final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 3, 1), full_name="Ngô Thị Huế"
    )
    proposal = services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[nominee.pk])
    time_machine.move_to(vn(2025, 7, 10, 8))
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _record(board_user, proposal, signed_on=date(2025, 6, 30))
    assert caught.value.messages == [
        "Hệ số tiền thưởng của “Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (cá nhân)” từ ngày 01/01/2024 đến ngày "
        "30/06/2025 (Nghị định 98/2023/NĐ-CP (mức chưa xác định, quản trị viên nhập)) chưa được xác định: quản trị "
        "viên phải nhập hệ số trước khi ban hành quyết định trong thời kỳ này."
    ]
    _nothing_saved([nominee])


def test_method_follows_the_occasion(awards_catalogue, song_an, make_nominee, board_user, time_machine):
    time_machine.move_to(vn(2025, 9, 2, 8))
    for code, method in (("nam-2025", AwardMethod.REGULAR), ("dot-xuat-2025", AwardMethod.AD_HOC)):
        occasion = Occasion.objects.get(code=code)
        nominee = make_nominee(
            occasion,
            song_an,
            NomineeKind.INDIVIDUAL,
            S.ELIGIBLE,
            appraised=vn(2025, 9, 1),
            full_name=f"Hoàng Văn {code}",
        )
        proposal = services.propose_to_chairman(user=board_user, occasion=occasion, nominee_ids=[nominee.pk])
        decision = _record(board_user, proposal, signed_on=date(2025, 9, 2))
        assert decision.awards.get().method == method


def test_a_commune_cannot_record_a_decision(proposed, make_user, song_an):
    proposal, nominees = proposed
    with pytest.raises((Http404, PermissionDenied)):
        _record(make_user(Role.COMMUNE_LEADER, song_an), proposal)
    _nothing_saved(nominees)


def test_a_decision_costs_the_same_queries_for_one_nominee_or_many(
    proposed, board_user, final_review, song_an, make_nominee
):
    proposal, _ = proposed
    with CaptureQueriesContext(connection) as many:
        _record(board_user, proposal, signed_on=date(2025, 8, 31))
    one = make_nominee(
        final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name="Mai Văn Tú"
    )
    single = services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[one.pk])
    with CaptureQueriesContext(connection) as few:
        _record(board_user, single, signed_on=date(2025, 8, 31))
    assert len(many) == len(few)


def test_the_signer_is_stored_composed_and_hostile_text_is_refused(proposed, board_user):
    proposal, nominees = proposed
    with pytest.raises(ValidationError) as caught:
        _record(board_user, proposal, signer="Nguyễn\u202eKhắc Thận")
    assert "signer" in caught.value.message_dict
    _nothing_saved(nominees)
    decision = _record(board_user, proposal, signer=unicodedata.normalize("NFD", "  Nguyễn Khắc Thận "))
    assert decision.signer == "Nguyễn Khắc Thận"


def test_a_registry_family_is_awarded_under_its_heads_name(
    final_review, song_an, make_nominee, board_user, time_machine
):
    village = Unit.objects.create(
        kind=UnitKind.VILLAGE, category=UnitCategory.VILLAGE_RURAL, name="Thôn Hữu Lộc Đoài", parent=song_an
    )
    household = Household.objects.create(province=song_an.parent.parent, village=village, code="13249-00007")
    Member.objects.create(
        household=household, full_name="Lương Thị Xuyến", birth_date=date(1966, 2, 3), sex="F", relation="head"
    )
    nominee = make_nominee(
        final_review, song_an, NomineeKind.FAMILY, S.ELIGIBLE, appraised=vn(2025, 9, 1), household=household
    )
    time_machine.move_to(vn(2025, 9, 2, 8))
    proposal = services.propose_to_chairman(user=board_user, occasion=final_review, nominee_ids=[nominee.pk])
    award = _record(board_user, proposal, signed_on=date(2025, 9, 2)).awards.get()
    assert (award.name, award.household, award.kind, award.bonus) == (
        "Lương Thị Xuyến",
        household,
        NomineeKind.FAMILY,
        5_270_000,
    )
