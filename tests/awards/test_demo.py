"""The demo nominations (`load_awards --demo`) over the real unit tree, Plan 119's movement and two registry
families of Xã Song An that escaped poverty: the states each demo login finds, and that a rerun writes nothing."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards.models import (
    Award,
    Decision,
    Nomination,
    NominationState,
    Nominee,
    NomineeFile,
    NomineeKind,
    NomineeState,
    NomineeTransition,
    Occasion,
    Proposal,
)
from households.models import Household
from units.models import User

from .conftest import escaped_household

pytestmark = pytest.mark.django_db

MODELS = (Occasion, Nomination, Nominee, NomineeFile, NomineeTransition, Proposal, Decision, Award, User, Household)
S = NomineeState


def _counts():
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["closes_on"] = list(Occasion.objects.order_by("pk").values_list("closes_on", flat=True))
    return counts


@pytest.fixture
def loaded(tree, movement, media):
    families = [
        escaped_household(tree.commune("13249"), code=code, village=village)
        for code, village in (("13249-00007", "Thôn Đông Hồ"), ("13249-00012", "Thôn Nam Hưng"))
    ]
    first = io.StringIO()
    call_command("load_awards", demo=True, stdout=first)
    after_first = _counts()
    second = io.StringIO()
    call_command("load_awards", demo=True, stdout=second)
    return {"families": families, "first": first.getvalue(), "second": second.getvalue(), "after_first": after_first}


def _states(unit_name):
    return sorted(
        Nominee.objects.filter(nomination__occasion__code="tong-ket-2025", nomination__unit__name=unit_name)
        .order_by("pk")
        .values_list("kind", "state")
    )


def test_a_rerun_writes_nothing(loaded):
    assert "3 lists, 5 nominees, 1 decision written" in loaded["first"]
    assert _counts() == loaded["after_first"]
    assert "0 occasion reopened, 0 lists, 0 nominees, 0 decision written" in loaded["second"]


def test_the_final_review_is_open_today(loaded):
    occasion = Occasion.objects.get(code="tong-ket-2025")
    assert occasion.closes_on >= timezone.localdate()
    assert Occasion.objects.get(code="so-ket-2023").closes_on == date(2023, 10, 31)


def test_song_an_submitted_forwarded_returned_and_awarded(loaded):
    song_an = Nomination.objects.get(occasion__code="tong-ket-2025", unit__code="13249")
    assert song_an.state == NominationState.SUBMITTED and song_an.minutes
    nominees = {n.household.code if n.household else n.full_name: n for n in song_an.nominees.all()}
    waiting, awarded, person = nominees["13249-00007"], nominees["13249-00012"], nominees["Đặng Thị Thu Hà"]
    assert (waiting.state, awarded.state, person.state) == (S.AT_DOLISA, S.DECIDED, S.RETURNED)
    for nominee in (waiting, awarded, person):
        assert nominee.transitions.filter(to_state=S.AT_DOLISA, by__username="huyen.vuthu").exists()
        assert nominee.files.exists() and nominee.claims.exists()
    returned = person.transitions.get(to_state=S.RETURNED)
    assert returned.by.username == "dolisa" and "bổ sung" in returned.comment
    award = Award.objects.get()
    assert award.household == loaded["families"][1] and award.kind == NomineeKind.FAMILY
    assert award.bonus > 0 and award.decision.signed_on == timezone.localdate()
    assert award.decision.proposal.nominees.get() == awarded


def test_vu_hoi_in_draft_and_the_womens_union_eligible(loaded):
    assert _states("Xã Vũ Hội") == [(NomineeKind.INDIVIDUAL, S.DRAFT)]
    assert Nomination.objects.get(unit__name="Xã Vũ Hội").state == NominationState.DRAFT
    women = Nominee.objects.get(nomination__unit__short_name="Hội LHPN tỉnh")
    assert women.state == S.ELIGIBLE
    assert list(women.transitions.order_by("pk").values_list("by__username", flat=True)) == [
        "baocao.phunu",
        "dolisa",
        "tdkt",
    ]
