"""The nominees' way from the unit to the Emulation Board's appraisal: every step by the role allowed to take it,
and refused to any other (403), out of scope (404), in the wrong state or without the reason a return needs; the
list's submission with its dossier complete; the nominating unit seeing where each nominee is."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from awards.models import (
    Award,
    AwardMethod,
    Decision,
    Nomination,
    NominationState,
    Nominee,
    NomineeState,
    NomineeTransition,
    Proposal,
    ProposalStage,
)
from awards.nominations import services
from deadlines.models import Notification

from .conftest import family, individual, ready_list

S = NomineeState


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def submitted(people, awards, household, media):
    """Xã Song An's list (an individual and a family) submitted to its district."""
    nomination, nominees = ready_list(
        people.commune, people.song_an, awards, individual(awards), family(awards, household)
    )
    services.submit_nomination(user=people.commune, nomination=nomination)
    return nomination, [Nominee.objects.get(pk=n.pk) for n in nominees]


def step(user, nominee, name, comment="", **kwargs):
    return services.take_step(
        user=user, nominee=Nominee.objects.get(pk=nominee.pk), name=name, comment=comment, **kwargs
    )


def state(nominee):
    return Nominee.objects.get(pk=nominee.pk).state


def test_a_communes_list_goes_to_its_district_and_the_district_is_told(submitted, people):
    nomination, nominees = submitted
    assert [state(n) for n in nominees] == [S.AT_DISTRICT, S.AT_DISTRICT]
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED and nomination.submitted_at
    log = NomineeTransition.objects.filter(nominee=nominees[0]).get()
    assert (log.from_state, log.to_state, log.by) == (S.DRAFT, S.AT_DISTRICT, people.commune)
    told = Notification.objects.filter(recipient=people.district).get()
    assert "Xã Song An" in told.title and told.title.startswith("Đề nghị khen thưởng")
    assert not Notification.objects.filter(recipient=people.other_district).exists()


def test_a_list_of_another_unit_goes_straight_to_dolisa(people, awards, media):
    nomination, [nominee] = ready_list(people.union, people.women, awards, individual(awards, workplace="Hội LHPN"))
    services.submit_nomination(user=people.union, nomination=nomination)
    assert state(nominee) == S.AT_DOLISA
    assert Notification.objects.filter(recipient=people.dolisa).exists()


def test_the_whole_way_to_eligible(submitted, people):
    _nomination, [person, fam] = submitted
    step(people.district, person, "forward")
    assert state(person) == S.AT_DOLISA
    assert Notification.objects.filter(recipient=people.dolisa).exists()
    step(people.dolisa, person, "select")
    assert state(person) == S.SELECTED
    assert Notification.objects.filter(recipient=people.board).exists()
    step(people.board, person, "approve")
    assert state(person) == S.ELIGIBLE
    assert list(NomineeTransition.objects.filter(nominee=person).values_list("to_state", flat=True)) == [
        S.AT_DISTRICT,
        S.AT_DOLISA,
        S.SELECTED,
        S.ELIGIBLE,
    ]
    assert state(fam) == S.AT_DISTRICT  # decided one by one


@pytest.mark.parametrize(
    "setup, name, actor, target",
    [
        ((), "district_return", "district", S.RETURNED),
        (("forward",), "return", "dolisa", S.RETURNED),
        (("forward",), "reject", "dolisa", S.REJECTED),
        (("forward", "select"), "disqualify", "board", S.INELIGIBLE),
        (("forward", "select"), "board_return", "board", S.RETURNED),
    ],
)
def test_steps_that_need_a_reason(submitted, people, setup, name, actor, target):
    _nomination, [person, _fam] = submitted
    actors = {"forward": people.district, "select": people.dolisa}
    for earlier in setup:
        step(actors[earlier], person, earlier)
    with pytest.raises(ValidationError) as refused:
        step(getattr(people, actor), person, name)
    assert "Ghi rõ nội dung cần sửa." in refused.value.messages
    step(getattr(people, actor), person, name, comment="Thiếu bản sao quyết định công nhận thoát nghèo.")
    assert state(person) == target
    log = NomineeTransition.objects.filter(nominee=person).last()
    assert log.comment == "Thiếu bản sao quyết định công nhận thoát nghèo." and log.by == getattr(people, actor)
    told = Notification.objects.filter(recipient=people.commune).last()
    assert "Thiếu bản sao" in told.body


@pytest.mark.parametrize(
    "setup, name, wrong",
    [
        ((), "forward", ("commune", "dolisa", "board")),
        (("forward",), "select", ("commune", "district", "board")),
        (("forward", "select"), "approve", ("commune", "district", "dolisa")),
        ((), "district_return", ("commune", "dolisa", "board")),
        (("forward",), "return", ("commune", "district", "board")),
        (("forward",), "reject", ("commune", "district", "board")),
        (("forward", "select"), "disqualify", ("commune", "district", "dolisa")),
        (("forward", "select"), "board_return", ("commune", "district", "dolisa")),
    ],
)
def test_a_step_by_the_wrong_role_is_forbidden(submitted, people, setup, name, wrong):
    _nomination, [person, _fam] = submitted
    actors = {"forward": people.district, "select": people.dolisa}
    for earlier in setup:
        step(actors[earlier], person, earlier)
    for role in wrong:
        with pytest.raises(PermissionDenied):
            step(getattr(people, role), person, name, comment="Không đúng thẩm quyền.")
    assert state(person) == {(): S.AT_DISTRICT, ("forward",): S.AT_DOLISA, ("forward", "select"): S.SELECTED}[setup]


def test_out_of_scope_is_404(submitted, people):
    _nomination, [person, _fam] = submitted
    for outsider in (people.other_district, people.other_commune):
        with pytest.raises(Http404):
            step(outsider, person, "forward")
    assert state(person) == S.AT_DISTRICT


def test_a_step_in_the_wrong_state_is_refused_with_its_state(submitted, people):
    _nomination, [person, _fam] = submitted
    with pytest.raises(ValidationError) as refused:
        step(people.dolisa, person, "select")
    assert refused.value.messages == ["Hồ sơ đang ở trạng thái “huyện đang xem xét” nên không thể lựa chọn."]
    step(people.district, person, "forward")
    with pytest.raises(ValidationError):
        step(people.district, person, "forward")
    with pytest.raises(ValidationError):
        step(people.board, person, "approve")


def test_propose_and_decide_are_not_steps_of_this_module(submitted, people):
    _nomination, [person, _fam] = submitted
    with pytest.raises(ValidationError):
        step(people.board, person, "propose")


def test_a_returned_nominee_is_corrected_and_only_it_moves_again(submitted, people, awards):
    nomination, [person, fam] = submitted
    step(people.district, person, "forward")
    step(people.district, fam, "forward")
    step(people.dolisa, person, "return", comment="Bổ sung số CCCD đúng.")
    step(people.dolisa, fam, "select")
    services.update_nominee(user=people.commune, nominee=person, data=individual(awards, cccd="034175009999"))
    services.submit_nomination(user=people.commune, nomination=nomination)
    assert (state(person), state(fam)) == (S.AT_DISTRICT, S.SELECTED)
    assert Nominee.objects.get(pk=person.pk).cccd == "034175009999"


def test_a_submitted_nominee_cannot_be_edited_by_anyone(submitted, people, awards):
    _nomination, [person, _fam] = submitted
    with pytest.raises(ValidationError):
        services.update_nominee(user=people.commune, nominee=person, data=individual(awards, position="Khác"))
    with pytest.raises(PermissionDenied):
        services.update_nominee(user=people.district, nominee=person, data=individual(awards, position="Khác"))
    assert Nominee.objects.get(pk=person.pk).position == "Chủ tịch Hội Phụ nữ xã"


def test_the_district_cannot_nominate_for_its_communes(people, awards):
    with pytest.raises(PermissionDenied):
        services.open_nomination(user=people.district, occasion=awards.occasion, unit=people.song_an)
    with pytest.raises(Http404):
        services.open_nomination(user=people.other_commune, occasion=awards.occasion, unit=people.song_an)
    with pytest.raises(PermissionDenied):
        services.open_nomination(user=people.dolisa, occasion=awards.occasion, unit=people.song_an)
    assert not Nomination.objects.exists()


def test_only_the_nominating_unit_submits_its_list(people, awards, household, media):
    nomination, nominees = ready_list(people.commune, people.song_an, awards, individual(awards))
    for user in (people.district, people.dolisa, people.board):
        with pytest.raises(PermissionDenied):
            services.submit_nomination(user=user, nomination=nomination)
    with pytest.raises(Http404):
        services.submit_nomination(user=people.other_commune, nomination=nomination)
    assert state(nominees[0]) == S.DRAFT


def test_the_checks_run_again_at_the_boards_appraisal(submitted, people, awards, tree):
    _nomination, [person, _fam] = submitted
    step(people.district, person, "forward")
    step(people.dolisa, person, "select")
    # Meanwhile the same person was awarded for the occasion on another list's decision.
    proposal = Proposal.objects.create(
        stage=ProposalStage.BOARD,
        occasion=awards.occasion,
        issuer=people.board_unit,
        number=7,
        year=2025,
        issued_on=date(2025, 11, 1),
        created_by=people.board,
    )
    decision = Decision.objects.create(
        occasion=awards.occasion,
        proposal=proposal,
        issuer=tree.province,
        number=99,
        year=2025,
        signed_on=date(2025, 11, 20),
        signer="Nguyễn Văn A",
        signer_title="Chủ tịch",
        created_by=people.board,
    )
    Award.objects.create(
        decision=decision,
        award_type=awards.individual,
        kind="individual",
        method=AwardMethod.THEMATIC,
        occasion=awards.occasion,
        year=2025,
        name="Nguyễn Thị Hằng",
        birth_year=1975,
        cccd="034175001234",
        unit=people.women,
        multiple=1,
        base_salary=2_340_000,
        bonus=2_340_000,
    )
    with pytest.raises(ValidationError) as refused:
        step(people.board, person, "approve")
    assert refused.value.messages == [
        "“Nguyễn Thị Hằng” đã được khen thưởng trong đợt Tổng kết phong trào 2021–2025 (sổ khen thưởng)."
    ]
    assert state(person) == S.SELECTED
    step(people.board, person, "disqualify", comment="Đã được khen thưởng trong đợt này.")
    assert state(person) == S.INELIGIBLE
