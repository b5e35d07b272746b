"""The nomination pages: a unit's lists and one list, a nominee's dossier, the inboxes of the district, DOLISA and
the Board with per-nominee buttons; another unit's data answers 404, a step by the wrong role 403; the inboxes
take a fixed number of queries whatever the number of nominees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Nomination, Nominee, NomineeState
from awards.nominations import services
from units.roles import Role

from .conftest import escaped_household, family, individual, ready_list

S = NomineeState


@pytest.fixture(autouse=True)
def files(media):
    return media


def vi(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "vi"
    return client


@pytest.fixture
def submitted(people, awards, household):
    nomination, nominees = ready_list(
        people.commune, people.song_an, awards, individual(awards), family(awards, household)
    )
    services.submit_nomination(user=people.commune, nomination=nomination)
    return nomination, nominees


def test_the_menu_shows_awards_to_those_who_nominate_select_or_appraise(client, people, make_user, tree):
    for user in (people.commune, people.district, people.dolisa, people.board):
        page = vi(client, user).get("/")
        assert b'data-testid="nav-awards"' in page.content
    admin = make_user(Role.ADMIN, tree.province)
    assert b'data-testid="nav-awards"' not in vi(client, admin).get("/").content
    assert vi(client, admin).get(reverse("awards:index")).status_code == 404


def test_a_commune_opens_a_list_and_adds_a_nominee_through_the_pages(client, people, awards):
    vi(client, people.commune)
    page = client.get(reverse("awards:index"))
    assert page.status_code == 200 and "Lập danh sách đề nghị khen thưởng" in page.content.decode()
    opened = client.post(reverse("awards:index"), {"occasion": awards.occasion.pk, "unit": people.song_an.pk})
    nomination = Nomination.objects.get()
    assert opened.url == nomination.get_absolute_url()
    answer = client.post(
        nomination.get_absolute_url(),
        {
            "nominee-kind": "individual",
            "nominee-award_type": awards.individual.pk,
            "nominee-full_name": "Phạm Thị Lụa",
            "nominee-birth_year": "1968",
            "nominee-sex": "F",
            "nominee-cccd": "12345",
            "nominee-achievements": "Giúp 3 hộ.",
        },
    )
    assert answer.status_code == 200
    assert "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số." in answer.content.decode()
    assert not Nominee.objects.exists()
    answer = client.post(
        nomination.get_absolute_url(),
        {
            "nominee-kind": "individual",
            "nominee-award_type": awards.individual.pk,
            "nominee-full_name": "Phạm Thị Lụa",
            "nominee-birth_year": "1968",
            "nominee-sex": "F",
            "nominee-achievements": "Giúp 3 hộ.",
        },
    )
    nominee = Nominee.objects.get()
    assert answer.url == nominee.get_absolute_url()
    page = client.get(nominee.get_absolute_url())
    assert "Phạm Thị Lụa" in page.content.decode() and b'data-testid="claim-form"' in page.content


def test_another_units_list_and_nominee_answer_404(client, people, submitted):
    nomination, [person, _fam] = submitted
    vi(client, people.other_commune)
    assert client.get(nomination.get_absolute_url()).status_code == 404
    assert client.get(person.get_absolute_url()).status_code == 404
    vi(client, people.other_district)
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.post(reverse("awards:nominee_step", args=[person.pk, "forward"])).status_code == 404
    assert Nominee.objects.get(pk=person.pk).state == S.AT_DISTRICT


def test_a_step_by_the_wrong_role_answers_403_and_a_missing_reason_a_message(client, people, submitted):
    _nomination, [person, _fam] = submitted
    assert (
        vi(client, people.dolisa).post(reverse("awards:nominee_step", args=[person.pk, "forward"])).status_code == 403
    )
    assert (
        vi(client, people.commune).post(reverse("awards:nominee_step", args=[person.pk, "forward"])).status_code == 403
    )
    vi(client, people.district)
    answer = client.post(reverse("awards:nominee_step", args=[person.pk, "district_return"]), follow=True)
    assert "Ghi rõ nội dung cần sửa." in answer.content.decode()
    assert Nominee.objects.get(pk=person.pk).state == S.AT_DISTRICT
    assert client.post(reverse("awards:nominee_step", args=[person.pk, "propose"])).status_code == 404


def test_each_inbox_shows_its_nominees_with_their_buttons(client, people, submitted):
    _nomination, [person, _fam] = submitted
    page = vi(client, people.district).get(reverse("awards:inbox", args=["district"])).content.decode()
    assert (
        "Nguyễn Thị Hằng" in page
        and 'data-testid="step-forward"' in page
        and 'data-testid="step-district_return"' in page
    )
    assert "Diễn biến phân loại của hộ 13249-00001:</strong> 2024: Hộ nghèo → 2025: Hộ cận nghèo" in page
    assert (
        vi(client, people.other_district)
        .get(reverse("awards:inbox", args=["district"]))
        .content.decode()
        .count('data-testid="inbox-row"')
        == 0
    )
    assert vi(client, people.commune).get(reverse("awards:inbox", args=["district"])).status_code == 404
    answer = vi(client, people.district).post(
        reverse("awards:nominee_step", args=[person.pk, "forward"]),
        {"next": reverse("awards:inbox", args=["district"])},
    )
    assert answer.url == reverse("awards:inbox", args=["district"])
    page = vi(client, people.dolisa).get(reverse("awards:inbox", args=["dolisa"])).content.decode()
    assert 'data-testid="step-select"' in page and 'data-testid="step-reject"' in page and "Nguyễn Thị Hằng" in page
    assert vi(client, people.board).get(reverse("awards:inbox", args=["board"])).status_code == 200
    assert vi(client, people.board).get(reverse("awards:inbox", args=["dolisa"])).status_code == 404


def test_the_nominating_unit_sees_where_each_nominee_is_with_the_comment(client, people, submitted):
    nomination, [person, _fam] = submitted
    services.take_step(
        user=people.district, nominee=person, name="district_return", comment="Bổ sung ảnh chụp bằng khen cũ."
    )
    page = vi(client, people.commune).get(nomination.get_absolute_url()).content.decode()
    assert "trả lại để hoàn thiện" in page.lower()
    assert "Bổ sung ảnh chụp bằng khen cũ." in page
    page = client.get(person.get_absolute_url()).content.decode()
    assert page.count('data-testid="history-row"') == 2 and "Phạm Văn" in page


def inbox_queries(client, user, stage):
    vi(client, user)
    client.get(reverse("awards:inbox", args=[stage]))  # warm the session and the memberships
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("awards:inbox", args=[stage]))
    assert answer.status_code == 200
    return len(queries), answer.content.decode().count('data-testid="inbox-row"')


def test_the_inboxes_take_a_fixed_number_of_queries(client, people, awards, submitted):
    small = {
        stage: inbox_queries(client, user, stage)
        for stage, user in (("district", people.district), ("dolisa", people.dolisa), ("board", people.board))
    }
    nomination, _more = ready_list(
        people.other_commune,
        people.vu_hoi,
        awards,
        individual(awards, full_name="Lê Văn Nam", birth_year=1970, cccd=""),
        individual(awards, full_name="Vũ Thị Mai", birth_year=1985, cccd=""),
        family(awards, escaped_household(people.vu_hoi, code="13255-00007")),
    )
    services.submit_nomination(user=people.other_commune, nomination=nomination)
    big = {
        stage: inbox_queries(client, user, stage)
        for stage, user in (("district", people.district), ("dolisa", people.dolisa), ("board", people.board))
    }
    assert small["district"][1] == 2 and big["district"][1] == 5
    assert {stage: count for stage, (count, _rows) in big.items()} == {
        stage: count for stage, (count, _rows) in small.items()
    }
    assert small["district"][0] == 7
