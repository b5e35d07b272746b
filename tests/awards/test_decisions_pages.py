"""The pages of proposals and decisions: the Board proposes eligible nominees and records the decision, DOLISA
proposes selected ones, each requests its document; bad input is shown in Vietnamese with nothing saved; a commune
sees none of them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from awards.models import Award, Decision, NomineeKind, NomineeState, Proposal, ProposalStage
from documents.models import Document
from tests.awards import registry_fixtures
from units.roles import Role

from .decisions_fixtures import *  # noqa: F403
from .decisions_fixtures import SONG_AN, vn

pytestmark = pytest.mark.django_db

S = NomineeState


@pytest.fixture
def eligible(final_review, tree, make_nominee, time_machine):
    time_machine.move_to(vn(2025, 8, 14, 9))
    song_an = tree.commune(SONG_AN)
    return [
        make_nominee(
            final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name="Bùi Thị Hà"
        ),
        make_nominee(
            final_review, song_an, NomineeKind.FAMILY, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name="Đinh Văn Khải"
        ),
    ]


def _propose(client, final_review, nominees):
    url = reverse("awards:proposal_new", args=["board"]) + f"?occasion={final_review.pk}"
    page = client.get(url)
    assert page.status_code == 200
    for nominee in nominees:
        assert nominee.full_name in page.content.decode()
    response = client.post(url, {"nominees": [n.pk for n in nominees]})
    assert response.status_code == 302
    return Proposal.objects.get(pk=resolve(response["Location"]).kwargs["pk"])


def test_the_board_proposes_records_the_decision_and_requests_its_document(
    client, board_user, final_review, eligible, time_machine, media, django_capture_on_commit_callbacks
):
    client.force_login(board_user)
    assert client.get(reverse("awards:proposals")).status_code == 200
    proposal = _propose(client, final_review, eligible)
    assert proposal.stage == ProposalStage.BOARD
    time_machine.move_to(vn(2025, 8, 20, 9))
    client.force_login(board_user)  # the session of six days ago has expired
    page = client.get(proposal.get_absolute_url())
    assert 'data-testid="decision-form"' in page.content.decode()
    response = client.post(
        proposal.get_absolute_url(),
        {"number": "", "signed_on": "2025-08-15", "signer": "Nguyễn Khắc Thận", "signer_title": "Chủ tịch"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Bùi Thị Hà" in page and "Đinh Văn Khải" in page
    assert "8.780.000" in page  # 3,510,000 + 5,270,000
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("awards:decision_document", args=[decision.pk, "award_decision"]))
    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert (document.kind, document.subject, document.number, document.as_of) == (
        "award_decision",
        decision.pk,
        decision.number,
        date(2025, 8, 15),
    )


def test_a_used_number_is_shown_in_vietnamese_and_nothing_is_saved(
    client, board_user, final_review, eligible, time_machine
):
    client.force_login(board_user)
    first = _propose(client, final_review, eligible[:1])
    second = _propose(client, final_review, eligible[1:])
    time_machine.move_to(vn(2025, 8, 20, 9))
    client.force_login(board_user)  # the session of six days ago has expired
    data = {"number": "45", "signed_on": "2025-08-15", "signer": "Nguyễn Khắc Thận", "signer_title": "Chủ tịch"}
    assert client.post(first.get_absolute_url(), data).status_code == 302
    response = client.post(second.get_absolute_url(), data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số quyết định 45/QĐ-UBND năm 2025 đã được dùng." in page
    assert 'value="2025-08-15"' in page  # what was typed stays, in the form the date input reads
    assert Decision.objects.count() == 1 and Award.objects.count() == 1
    eligible[1].refresh_from_db()
    assert eligible[1].state == S.PROPOSED


def test_dolisa_proposes_and_requests_its_proposal(
    client, dolisa_user, final_review, tree, make_nominee, media, django_capture_on_commit_callbacks
):
    nominee = make_nominee(final_review, tree.commune(SONG_AN), NomineeKind.COLLECTIVE, S.SELECTED)
    client.force_login(dolisa_user)
    url = reverse("awards:proposal_new", args=["dolisa"]) + f"?occasion={final_review.pk}"
    response = client.post(url, {"nominees": [nominee.pk]})
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.stage == ProposalStage.DOLISA
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("awards:proposal_document", args=[proposal.pk]))
    assert Document.objects.get().kind == "award_proposal"
    # DOLISA does not propose to the Chairman.
    assert client.get(reverse("awards:proposal_new", args=["board"])).status_code == 404


def test_a_commune_sees_no_proposal_or_decision(client, make_user, tree, board_user, final_review, eligible):
    client.force_login(board_user)
    proposal = _propose(client, final_review, eligible)
    client.force_login(make_user(Role.COMMUNE_OFFICER, tree.commune(SONG_AN)))
    assert client.get(reverse("awards:proposals")).status_code == 404
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.post(proposal.get_absolute_url(), {}).status_code == 404


def test_the_decision_page_reads_a_fixed_number_of_queries(
    client, tree, board_user, final_review, eligible, time_machine
):
    client.force_login(board_user)
    proposal = _propose(client, final_review, eligible)
    time_machine.move_to(vn(2025, 8, 20, 9))
    client.force_login(board_user)  # the session of six days ago has expired
    client.post(
        proposal.get_absolute_url(),
        {"signed_on": "2025-08-15", "signer": "Nguyễn Khắc Thận", "signer_title": "Chủ tịch"},
    )
    decision = Decision.objects.get()
    with CaptureQueriesContext(connection) as two:
        assert client.get(decision.get_absolute_url()).status_code == 200
    assert len(two) <= 12
    song_an = tree.commune(SONG_AN)
    Award.objects.bulk_create(
        registry_fixtures.award(decision, name=f"Nguyễn Thị Hồng {n}", unit=song_an) for n in range(20)
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get(decision.get_absolute_url()).status_code == 200
    assert len(many) == len(two)  # no query per award
