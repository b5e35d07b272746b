"""The checks on a nominee: the same person (same CCCD, or the same name whatever its accents, case or Unicode
form, with the same year of birth), unit or household nominated twice for an occasion or already awarded for it;
the quotas on submission and on DOLISA's selection; a claim the registry contradicts."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards import checks
from awards.models import (
    Award,
    AwardMethod,
    Decision,
    Nominee,
    NomineeKind,
    NomineeState,
    Proposal,
    ProposalStage,
    Quota,
)
from awards.nominations import services
from common.text import nfc
from households.models import ReviewState

from .conftest import escaped_household, family, individual, ready_list

S = NomineeState


@pytest.fixture(autouse=True)
def vietnamese(media):
    with translation.override("vi"):
        yield


def listed(people, awards, user=None, unit=None):
    return services.open_nomination(user=user or people.commune, occasion=awards.occasion, unit=unit or people.song_an)


@pytest.mark.parametrize(
    "typed",
    [
        "nguyen thi hang",
        "NGUYỄN THỊ HẰNG",
        unicodedata.normalize("NFD", "Nguyễn Thị Hằng"),
        "  Nguyễn   Thị Hằng ",
    ],
)
def test_the_same_person_in_another_unit_is_caught_whatever_the_accents(people, awards, typed):
    services.add_nominee(user=people.commune, nomination=listed(people, awards), data=individual(awards))
    other = listed(people, awards, user=people.other_commune, unit=people.vu_hoi)
    with pytest.raises(ValidationError) as refused:
        services.add_nominee(
            user=people.other_commune, nomination=other, data=individual(awards, full_name=typed, cccd="")
        )
    assert refused.value.messages == [
        f"“{nfc(typed)}” đã được Xã Song An đề nghị khen thưởng trong đợt Tổng kết phong trào 2021–2025."
    ]
    assert not other.nominees.exists()


def test_the_same_name_born_another_year_is_another_person(people, awards):
    services.add_nominee(user=people.commune, nomination=listed(people, awards), data=individual(awards))
    other = listed(people, awards, user=people.other_commune, unit=people.vu_hoi)
    nominee = services.add_nominee(
        user=people.other_commune, nomination=other, data=individual(awards, birth_year=1980, cccd="")
    )
    assert nominee.flags == []


def test_the_same_cccd_under_another_name_is_caught(people, awards):
    services.add_nominee(user=people.commune, nomination=listed(people, awards), data=individual(awards))
    other = listed(people, awards, user=people.other_commune, unit=people.vu_hoi)
    with pytest.raises(ValidationError) as refused:
        services.add_nominee(
            user=people.other_commune,
            nomination=other,
            data=individual(awards, full_name="Nguyễn Thị Hương", birth_year=1976),
        )
    assert "đã được Xã Song An đề nghị" in refused.value.messages[0]
    assert not other.nominees.exists()


def test_the_same_household_and_the_same_collective_are_caught(people, awards, household):
    nomination = listed(people, awards)
    services.add_nominee(user=people.commune, nomination=nomination, data=family(awards, household))
    with pytest.raises(ValidationError):
        services.add_nominee(user=people.commune, nomination=nomination, data=family(awards, household))
    collective = {
        "kind": NomineeKind.COLLECTIVE,
        "award_type": awards.collective,
        "unit": people.song_an,
        "achievements": "Giảm 12 hộ nghèo.",
    }
    services.add_nominee(user=people.commune, nomination=nomination, data=collective)
    with pytest.raises(ValidationError):
        services.add_nominee(user=people.commune, nomination=nomination, data=collective)
    assert nomination.nominees.count() == 2


def test_a_rejected_nominee_may_be_nominated_again(people, awards, household):
    nomination = listed(people, awards)
    first = services.add_nominee(user=people.commune, nomination=nomination, data=individual(awards))
    Nominee.objects.filter(pk=first.pk).update(state=S.REJECTED)
    other = listed(people, awards, user=people.other_commune, unit=people.vu_hoi)
    services.add_nominee(user=people.other_commune, nomination=other, data=individual(awards))
    assert other.nominees.count() == 1


def test_someone_already_in_the_award_registry_for_the_occasion_is_caught(people, awards, tree):
    proposal = Proposal.objects.create(
        stage=ProposalStage.BOARD,
        occasion=awards.occasion,
        issuer=people.board_unit,
        number=1,
        year=2025,
        issued_on=date(2025, 11, 1),
        created_by=people.board,
    )
    decision = Decision.objects.create(
        occasion=awards.occasion,
        proposal=proposal,
        issuer=tree.province,
        number=123,
        year=2025,
        signed_on=date(2025, 11, 20),
        signer="Nguyễn Văn A",
        signer_title="Chủ tịch",
        created_by=people.board,
    )
    Award.objects.create(
        decision=decision,
        award_type=awards.individual,
        kind=NomineeKind.INDIVIDUAL,
        method=AwardMethod.THEMATIC,
        occasion=awards.occasion,
        year=2025,
        name="Nguyễn Thị Hằng",
        birth_year=1975,
        unit=people.vu_hoi,
        multiple=1,
        base_salary=2_340_000,
        bonus=2_340_000,
    )
    with pytest.raises(ValidationError) as refused:
        services.add_nominee(
            user=people.commune,
            nomination=listed(people, awards),
            data=individual(awards, full_name="nguyen thi hang", cccd=""),
        )
    assert refused.value.messages == [
        "“nguyen thi hang” đã được khen thưởng trong đợt Tổng kết phong trào 2021–2025 (sổ khen thưởng)."
    ]
    assert not Nominee.objects.exists()


# Quotas -----------------------------------------------------------------------------------------------------------


def two_individuals(people, awards):
    return ready_list(
        people.commune,
        people.song_an,
        awards,
        individual(awards),
        individual(awards, full_name="Trần Văn Bình", birth_year=1980, cccd="034180005678"),
    )


def test_past_the_unit_quota_the_submission_is_refused(people, awards):
    Quota.objects.create(occasion=awards.occasion, unit=None, award_type=awards.individual, limit=5)
    Quota.objects.create(occasion=awards.occasion, unit=people.song_an, award_type=awards.individual, limit=1)
    nomination, [_first, _second] = two_individuals(people, awards)
    with pytest.raises(ValidationError) as refused:
        services.submit_nomination(user=people.commune, nomination=nomination)
    assert refused.value.messages == [
        "“Trần Văn Bình”: Xã Song An được phân bổ 1 suất “Bằng khen của Chủ tịch UBND tỉnh (cá nhân)”: đề nghị này "
        "vượt chỉ tiêu. Cần ghi rõ lý do vượt chỉ tiêu để tiếp tục."
    ]
    assert set(Nominee.objects.values_list("state", flat=True)) == {S.DRAFT}


def test_the_quota_for_every_unit_applies_without_a_units_own(people, awards):
    Quota.objects.create(occasion=awards.occasion, unit=None, award_type=awards.individual, limit=1)
    nomination, _ = two_individuals(people, awards)
    with pytest.raises(ValidationError):
        services.submit_nomination(user=people.commune, nomination=nomination)


def test_past_the_quota_with_a_justification_it_goes_on_and_is_shown(people, awards):
    Quota.objects.create(occasion=awards.occasion, unit=people.song_an, award_type=awards.individual, limit=1)
    nomination, [_first, second] = two_individuals(people, awards)
    services.update_nominee(
        user=people.commune,
        nominee=second,
        data=individual(
            awards,
            full_name="Trần Văn Bình",
            birth_year=1980,
            cccd="034180005678",
            justification="Có thành tích đột xuất trong cứu trợ bão số 3.",
        ),
    )
    services.submit_nomination(user=people.commune, nomination=nomination)
    second.refresh_from_db()
    assert second.state == S.AT_DISTRICT
    assert [f["severity"] for f in second.flags] == ["warn"]
    assert "cứu trợ bão số 3" in second.flags[0]["message"]


def test_returned_and_rejected_nominees_do_not_count_against_the_quota(people, awards):
    Quota.objects.create(occasion=awards.occasion, unit=people.song_an, award_type=awards.individual, limit=1)
    nomination, [first, second] = two_individuals(people, awards)
    Nominee.objects.filter(pk=first.pk).update(state=S.REJECTED)
    services.submit_nomination(user=people.commune, nomination=nomination)
    assert Nominee.objects.get(pk=second.pk).state == S.AT_DISTRICT


def test_dolisa_selection_checks_the_quota_again_and_takes_a_justification(people, awards):
    nomination, [first, second] = two_individuals(people, awards)
    services.submit_nomination(user=people.commune, nomination=nomination)
    for nominee in (first, second):
        services.take_step(user=people.district, nominee=nominee, name="forward")
    # The quota was set after the submission: DOLISA's selection is where it is enforced.
    Quota.objects.create(occasion=awards.occasion, unit=people.song_an, award_type=awards.individual, limit=1)
    services.take_step(user=people.dolisa, nominee=first, name="select")
    with pytest.raises(ValidationError) as refused:
        services.take_step(user=people.dolisa, nominee=second, name="select")
    assert "vượt chỉ tiêu" in refused.value.messages[0]
    assert Nominee.objects.get(pk=second.pk).state == S.AT_DOLISA
    assert Nominee.objects.get(pk=second.pk).justification == ""
    services.take_step(user=people.dolisa, nominee=second, name="select", justification="Điển hình tiên tiến của tỉnh.")
    second.refresh_from_db()
    assert second.state == S.SELECTED and second.justification == "Điển hình tiên tiến của tỉnh."


# Evidence ---------------------------------------------------------------------------------------------------------


def test_a_commune_claiming_a_reduction_its_registry_does_not_show_is_flagged(people, awards, household):
    nomination = listed(people, awards)
    collective = services.add_nominee(
        user=people.commune,
        nomination=nomination,
        data={
            "kind": NomineeKind.COLLECTIVE,
            "award_type": awards.collective,
            "unit": people.song_an,
            "achievements": "Giảm 12 hộ nghèo trong năm 2025.",
        },
    )
    claim = services.add_claim(
        user=people.commune,
        nominee=collective,
        criterion=awards.poor_reduction,
        statement="Giảm 12 hộ nghèo.",
        claimed_value=12,
    )
    assert claim.contradicted
    assert claim.evidence == {"measure": "poor_reduction", "unit": "Xã Song An", "year": 2025, "figure": 1}
    collective.refresh_from_db()
    assert [(f["code"], f["severity"]) for f in collective.flags] == [("contradicted", "warn")]
    assert "chỉ ghi nhận 1" in collective.flags[0]["message"]


def test_a_claim_the_registry_bears_out_is_not_flagged(people, awards, household):
    nomination = listed(people, awards)
    collective = services.add_nominee(
        user=people.commune,
        nomination=nomination,
        data={
            "kind": NomineeKind.COLLECTIVE,
            "award_type": awards.collective,
            "unit": people.song_an,
            "achievements": "Giảm 1 hộ nghèo.",
        },
    )
    claim = services.add_claim(
        user=people.commune,
        nominee=collective,
        criterion=awards.poor_reduction,
        statement="Giảm 1 hộ nghèo.",
        claimed_value=1,
    )
    assert not claim.contradicted
    collective.refresh_from_db()
    assert collective.flags == []


def test_a_family_of_the_registry_is_picked_by_code_within_the_unit(people, awards, household):
    nominee = services.add_nominee(
        user=people.commune, nomination=listed(people, awards), data=family(awards, household)
    )
    assert nominee.household == household
    elsewhere = escaped_household(people.vu_hoi, code="13255-00001")
    with pytest.raises(ValidationError) as refused:
        services.add_nominee(user=people.commune, nomination=listed(people, awards), data=family(awards, elsewhere))
    assert refused.value.messages == ["Không có hộ nào mang mã 13255-00001 trong sổ theo dõi trên địa bàn của đơn vị."]


def test_a_registry_family_carries_its_class_history_and_one_still_poor_is_flagged(people, awards, household):
    nomination = listed(people, awards)
    nominee = services.add_nominee(user=people.commune, nomination=nomination, data=family(awards, household))
    claim = services.add_claim(
        user=people.commune, nominee=nominee, criterion=awards.criterion, statement="Vươn lên thoát nghèo."
    )
    assert claim.evidence == {"classes": [{"year": 2024, "class": "poor"}, {"year": 2025, "class": "near_poor"}]}
    nominee.refresh_from_db()
    assert nominee.flags == []
    household.reviews.filter(year=2024).update(state=ReviewState.LOCKED)  # a closed year's results still count
    assert checks.family_history(nominee, nomination.occasion)[0] == claim.evidence["classes"]
    still_poor = escaped_household(people.song_an, code="13249-00002", village="Thôn Tây")
    still_poor.reviews.filter(year=2025).update(recognised_class="poor")
    other = services.add_nominee(user=people.commune, nomination=nomination, data=family(awards, still_poor))
    assert [(f["code"], f["severity"], f["message"]) for f in other.flags] == [
        ("still_poor", "warn", "Sổ theo dõi vẫn ghi hộ 13249-00002 là hộ nghèo năm 2025.")
    ]
