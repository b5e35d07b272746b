"""Registration (đăng ký thi đua) and unit plans: commitments with parsed amounts, a PDF checked by its content,
the plan milestone delivered on time or late (23:59:59 Vietnam time), history kept, and another unit's pages 404."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from deadlines import services as deadline_services
from deadlines.models import Fulfilment, Reopening
from movement.models import Registration, UnitPlan
from movement.selectors import participation as selectors
from movement.services import participation as services
from units.roles import Role

from .part_files import JPEG, PNG, docx_bytes, pdf_bytes, upload, vn


@pytest.fixture
def song_an(tree):
    return tree.commune("13249")


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an, first_name="Hằng", last_name="Nguyễn Thị")


def _plan_deadline(movement):
    return selectors.plan_milestone(movement).deadline


def _file(movement, unit, user, at, content=None, number="45/KH-UBND"):
    return services.file_plan(
        user=user,
        movement=movement,
        unit=unit,
        number=number,
        signed_on=date(2022, 9, 20),
        signer="Trần Văn Thắng",
        file=upload(content or pdf_bytes()),
        now=at,
    )


def _stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


# Registration --------------------------------------------------------------------------------------------------


def test_a_commune_registers_with_its_commitments_through_the_page(client, movement, song_an, officer):
    client.force_login(officer)
    url = reverse("movement:registration", args=[movement.pk, song_an.pk])
    with time_machine.travel(vn(2022, 9, 15), tick=False):
        response = client.post(
            url,
            {
                "commitments": "Giúp 12 hộ nghèo thoát nghèo;\nxây dựng 2 mô hình chăn nuôi bò sinh sản.",
                "households_to_lift": "12",
                "support_pledged": "150.000.000",
                "models_planned": "2",
            },
        )
    assert response.status_code == 302
    registration = Registration.objects.get(movement=movement, unit=song_an)
    assert (registration.households_to_lift, registration.support_pledged, registration.models_planned) == (
        12,
        150_000_000,
        2,
    )
    assert registration.commitments.endswith("\nxây dựng 2 mô hình chăn nuôi bò sinh sản.")
    assert registration.registered_by == officer and registration.registered_at == vn(2022, 9, 15)

    with time_machine.travel(vn(2022, 9, 15, 10), tick=False):
        page = client.get(reverse("movement:participation_unit", args=[movement.pk, song_an.pk])).content.decode()
    assert "150.000.000" in page and "Giúp 12 hộ nghèo thoát nghèo;<br>" in page
    assert "Nguyễn Thị Hằng" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("support_pledged", "1,5", "Không đọc được “1,5” thành số tiền"),
        ("support_pledged", "-5.000.000", "Nhập số nguyên, bằng 0 hoặc lớn hơn."),
        ("households_to_lift", "-3", "Nhập số nguyên, bằng 0 hoặc lớn hơn."),
        ("households_to_lift", "mười", "Nhập số nguyên, bằng 0 hoặc lớn hơn."),
        ("models_planned", "100001", "Tối đa 100.000."),
        ("commitments", "   ", "Trường này là bắt buộc."),
        ("commitments", "Giúp\u202ehộ nghèo", "ký tự ẩn hoặc ký tự điều khiển"),
    ],
)
def test_bad_registrations_are_refused_in_vietnamese_and_nothing_is_saved(
    client, movement, song_an, officer, field, value, message
):
    client.force_login(officer)
    data = {"commitments": "Giúp hộ nghèo", "households_to_lift": "1", "support_pledged": "0", "models_planned": "0"}
    data[field] = value
    response = client.post(reverse("movement:registration", args=[movement.pk, song_an.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_registration_is_editable_until_the_plan_due_day_then_locked_unless_reopened(
    movement, song_an, officer, make_user
):
    services.register(user=officer, movement=movement, unit=song_an, commitments="Lần đầu", now=vn(2022, 9, 10))
    services.register(
        user=officer, movement=movement, unit=song_an, commitments="Sửa lần hai", now=vn(2022, 9, 30, 23, 59, 59)
    )
    with pytest.raises(ValidationError) as refused:
        services.register(
            user=officer, movement=movement, unit=song_an, commitments="Quá hạn", now=vn(2022, 10, 1, 0, 0, 0)
        )
    assert "30/09/2022" in refused.value.messages[0]
    registration = Registration.objects.get()
    assert registration.commitments == "Sửa lần hai" and registration.registered_at == vn(2022, 9, 10)
    assert registration.updated_at == vn(2022, 9, 30, 23, 59, 59)
    assert [e.commitments for e in registration.events.order_by("pgh_id")] == ["Lần đầu", "Sửa lần hai"]

    admin = make_user(Role.ADMIN, movement.province)
    Reopening.objects.create(
        deadline=_plan_deadline(movement), unit=song_an, until=date(2022, 10, 15), reason="Đổi chủ tịch", by=admin
    )
    services.register(user=officer, movement=movement, unit=song_an, commitments="Sau mở lại", now=vn(2022, 10, 5))
    assert Registration.objects.get().commitments == "Sau mở lại"


def test_a_late_unit_may_still_register_once(movement, song_an, officer):
    services.register(user=officer, movement=movement, unit=song_an, commitments="Muộn", now=vn(2022, 11, 2))
    assert Registration.objects.filter(unit=song_an).count() == 1


# Unit plan -----------------------------------------------------------------------------------------------------


def test_filing_the_plan_delivers_the_milestone_and_a_replacement_keeps_history(
    client, media, movement, song_an, officer
):
    plan = _file(movement, song_an, officer, vn(2022, 9, 28))
    delivery = Fulfilment.objects.get(deadline=_plan_deadline(movement), unit=song_an)
    assert delivery.at == vn(2022, 9, 28) and delivery.on_time
    assert plan.file.read().startswith(b"%PDF-")

    _file(movement, song_an, officer, vn(2022, 10, 20), content=pdf_bytes(pages=2), number="52/KH-UBND")
    plan.refresh_from_db()
    assert plan.number == "52/KH-UBND" and plan.filed_at == vn(2022, 10, 20)
    # The first filing stays the delivery: replacing the file later does not make the plan late.
    assert Fulfilment.objects.get(deadline=_plan_deadline(movement), unit=song_an).at == vn(2022, 9, 28)
    versions = list(selectors.plan_versions(plan))
    assert [v.number for v in versions] == ["52/KH-UBND", "45/KH-UBND"]
    assert versions[1].file.name != versions[0].file.name
    assert len(_stored_files(media)) == 2
    client.force_login(officer)
    earlier = client.get(reverse("movement:plan_version_file", args=[movement.pk, song_an.pk, versions[1].pgh_id]))
    assert len(PdfReader(io.BytesIO(b"".join(earlier.streaming_content))).pages) == 1  # the current one has two
    assert client.get(reverse("movement:plan_version_file", args=[movement.pk, song_an.pk, 999999])).status_code == 404


def test_the_due_day_ends_at_235959_vietnam_time(media, movement, song_an, tree, make_user):
    vu_hoi = tree.commune("13255")
    _file(movement, song_an, make_user(Role.COMMUNE_OFFICER, song_an), vn(2022, 9, 30, 23, 59, 59))
    _file(movement, vu_hoi, make_user(Role.COMMUNE_OFFICER, vu_hoi), vn(2022, 10, 1, 0, 0, 0))
    deadline = _plan_deadline(movement)
    assert Fulfilment.objects.get(deadline=deadline, unit=song_an).on_time
    assert not Fulfilment.objects.get(deadline=deadline, unit=vu_hoi).on_time
    # The SQL count agrees with the rule (23:59:59 on time, 00:00:00 the next day late).
    communes = selectors.completeness(movement, tree.district("344")).levels
    counts = next(level.counts for level in communes if level.level.key == "communes")
    assert (counts.on_time, counts.late) == (1, 1)


def test_deliver_is_idempotent(movement, song_an):
    deadline = _plan_deadline(movement)
    first = deadline_services.deliver(deadline=deadline, unit=song_an, at=vn(2022, 9, 1))
    again = deadline_services.deliver(deadline=deadline, unit=song_an, at=vn(2022, 12, 1))
    assert first.pk == again.pk and Fulfilment.objects.get().at == vn(2022, 9, 1)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (docx_bytes(), "ke-hoach.pdf", "Tệp này không phải PDF"),
        (PNG, "ke-hoach.pdf", "Tệp này không phải PDF"),
        (JPEG, "scan.pdf", "Tệp này không phải PDF"),
        (b"%PDF-1.7\nkhong phai pdf that", "ke-hoach.pdf", "Không mở được tệp PDF này"),
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "lon.pdf", "tối đa 10 MB"),
    ],
)
def test_a_plan_that_is_not_a_pdf_or_too_large_is_refused_and_nothing_is_saved(
    client, media, movement, song_an, officer, content, name, message
):
    client.force_login(officer)
    response = client.post(
        reverse("movement:unit_plan", args=[movement.pk, song_an.pk]),
        {"number": "45/KH-UBND", "signed_on": "20/09/2022", "signer": "Trần Văn Thắng", "file": upload(content, name)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not UnitPlan.objects.exists() and not Fulfilment.objects.exists()
    assert _stored_files(media) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "", "Trường này là bắt buộc."),
        ("signed_on", "31/02/2022", "Nhập một ngày hợp lệ."),
        ("signed_on", "01/01/2020", "trước khi Phong trào bắt đầu"),
        ("signed_on", "01/01/2099", "không thể là một ngày trong tương lai"),
        ("signer", "Trần\u200bVăn", "ký tự ẩn hoặc ký tự điều khiển"),
    ],
)
def test_a_plan_with_bad_fields_is_refused(client, media, movement, song_an, officer, field, value, message):
    client.force_login(officer)
    data = {"number": "45/KH-UBND", "signed_on": "20/09/2022", "signer": "Trần Văn Thắng"}
    data[field] = value
    response = client.post(
        reverse("movement:unit_plan", args=[movement.pk, song_an.pk]), {**data, "file": upload(pdf_bytes())}
    )
    assert message in response.content.decode()
    assert not UnitPlan.objects.exists() and _stored_files(media) == []


# Scope ---------------------------------------------------------------------------------------------------------


def test_another_units_registration_plan_and_assessment_answer_404(client, media, movement, song_an, officer, tree):
    _file(movement, song_an, officer, vn(2022, 9, 28))
    services.register(user=officer, movement=movement, unit=song_an, commitments="Cam kết", now=vn(2022, 9, 10))
    others = {
        "another commune": (Role.COMMUNE_OFFICER, tree.commune("13255")),
        "a bank": (Role.UNIT_REPORTER, tree.participant("NHCSXH Thái Bình")),
    }
    pages = [
        reverse("movement:participation_unit", args=[movement.pk, song_an.pk]),
        reverse("movement:registration", args=[movement.pk, song_an.pk]),
        reverse("movement:unit_plan", args=[movement.pk, song_an.pk]),
        reverse("movement:plan_file", args=[movement.pk, song_an.pk]),
        reverse("movement:assessment", args=[movement.pk, song_an.pk, 2022]),
    ]
    for role, unit in others.values():
        client.force_login(_user(role, unit))
        for url in pages:
            assert client.get(url).status_code == 404, url
        response = client.post(pages[1], {"commitments": "Chiếm chỗ", "households_to_lift": "1"})
        assert response.status_code == 404
    assert Registration.objects.get().commitments == "Cam kết"


def _user(role, unit):
    from tests.factories import UserFactory
    from units.services import add_membership

    user = UserFactory()
    add_membership(user=user, unit=unit, role=role)
    return user


def test_dolisa_and_the_board_open_a_plan_but_cannot_file_for_it(client, media, movement, song_an, officer, tree):
    _file(movement, song_an, officer, vn(2022, 9, 28))
    dolisa = tree.participant("Sở LĐ-TB&XH")
    for role in (Role.DOLISA_STAFF, Role.EMULATION_BOARD):
        client.force_login(_user(role, dolisa))
        response = client.get(reverse("movement:plan_file", args=[movement.pk, song_an.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert client.get(reverse("movement:unit_plan", args=[movement.pk, song_an.pk])).status_code == 404


def test_the_participation_entry_leads_a_one_unit_officer_to_their_unit(client, movement, song_an, officer):
    client.force_login(officer)
    with time_machine.travel(vn(2022, 10, 5), tick=False):
        response = client.get(reverse("movement:participation"))
        menu = client.get(reverse("reports:home")).content.decode()
    assert response.url == reverse("movement:participation_unit", args=[movement.pk, song_an.pk])
    assert 'data-testid="nav-participation"' in menu and 'data-testid="nav-milestones"' not in menu


def test_the_service_stores_nfc_text_and_refuses_empty_commitments(movement, song_an, officer):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Hỗ trợ xây nhà đại đoàn kết")
    registration = services.register(user=officer, movement=movement, unit=song_an, commitments=decomposed)
    assert registration.commitments == unicodedata.normalize("NFC", decomposed) != decomposed
    registration.delete()
    with pytest.raises(ValidationError) as refused:
        services.register(user=officer, movement=movement, unit=song_an, commitments="\n  \n", support_pledged=-1)
    assert set(refused.value.message_dict) == {"commitments", "support_pledged"}
    assert not Registration.objects.exists()
