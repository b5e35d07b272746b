"""Fixtures for proposals and decisions: the catalogue loaded over Plan 119's movement, the DOLISA and Board users,
and nominees made directly in the state a test needs (appraised on a chosen day)."""

from datetime import datetime

import pytest

from awards.catalogue import seed
from awards.models import (
    AwardType,
    Nomination,
    NominationState,
    Nominee,
    NomineeKind,
    NomineeState,
    NomineeTransition,
    Occasion,
)
from deadlines.rules import VIETNAM
from units.roles import Role

SONG_AN = "13249"  # Xã Song An, huyện Vũ Thư


@pytest.fixture
def awards_catalogue(movement):
    seed.load_awards(seed.read())
    return movement


@pytest.fixture
def final_review(awards_catalogue):
    return Occasion.objects.get(code="tong-ket-2025")


@pytest.fixture
def board_user(make_user, tree):
    return make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"), username="tdkt.test")


@pytest.fixture
def dolisa_user(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), username="sldtbxh.test")


def award_type(kind):
    return AwardType.objects.get(
        code={
            NomineeKind.COLLECTIVE: "bang-khen-chu-tich-tap-the",
            NomineeKind.INDIVIDUAL: "bang-khen-chu-tich-ca-nhan",
            NomineeKind.FAMILY: "bang-khen-chu-tich-ho-gia-dinh",
        }[kind]
    )


@pytest.fixture
def make_nominee(make_user):
    """make_nominee(occasion, unit, kind, state, appraised=datetime|None, **fields): a nominee of `unit`'s list in
    `state`; `appraised` writes the Board's approve step at that moment (Vietnam time)."""
    author = make_user()

    def make(occasion, unit, kind, state, appraised=None, **fields):
        nomination, _ = Nomination.objects.get_or_create(
            occasion=occasion, unit=unit, defaults={"state": NominationState.SUBMITTED, "created_by": author}
        )
        defaults = {"achievements": "Giúp đỡ nhiều hộ nghèo thoát nghèo bền vững."}
        if kind == NomineeKind.COLLECTIVE:
            defaults["unit"] = unit
        nominee = Nominee.objects.create(
            nomination=nomination,
            kind=kind,
            award_type=award_type(kind),
            state=state,
            created_by=author,
            **{**defaults, **fields},
        )
        if appraised is not None:
            step = NomineeTransition.objects.create(
                nominee=nominee, from_state=NomineeState.SELECTED, to_state=NomineeState.ELIGIBLE, by=author
            )
            NomineeTransition.objects.filter(pk=step.pk).update(at=appraised.replace(tzinfo=VIETNAM))
        return nominee

    return make


def vn(*args):
    return datetime(*args, tzinfo=VIETNAM)
