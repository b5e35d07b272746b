"""The inbox: the bell's unread count on every page (loaded with the user), the list, opening a notification (read,
then its link), marking one or all as read; nobody reaches another person's notifications."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines import services
from deadlines.models import Notification


@pytest.fixture
def inbox(officer, vu_hoi_officer):
    services.notify(
        recipients=[officer],
        title="Rà soát 2025 của hộ 13249-00042 bị trả lại để sửa",
        body="Trần Văn Phúc viết: Kiểm tra lại chỉ số nhà ở",
        url="/households/42/reviews/2025/",
    )
    services.notify(recipients=[officer], title="Báo cáo năm 2025: hạn chót ngày 20/11/2025", url="/")
    services.notify(recipients=[vu_hoi_officer], title="Thông báo của xã Vũ Hội", url="/")
    return list(Notification.objects.filter(recipient=officer).order_by("pk"))


def signed_in(client, user):
    client.force_login(user)
    return client


def bell_count(html):
    found = re.search(r'data-testid="bell-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_bell_counts_unread_notifications_without_a_query_of_its_own(client, inbox, officer):
    signed_in(client, officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:home"))
    assert bell_count(response.content.decode()) == 2
    (counted,) = [q["sql"] for q in queries if "deadlines_notification" in q["sql"]]
    assert counted.startswith('SELECT "units_user"."id"'), "counted in the query that loads the signed-in user"
    Notification.objects.filter(pk=inbox[0].pk).update(read_at="2025-10-15T09:00+07:00")
    assert bell_count(client.get(reverse("households:progress")).content.decode()) == 1


def test_the_list_shows_only_ones_own_notifications_newest_first(client, inbox, officer):
    html = signed_in(client, officer).get(reverse("deadlines:inbox")).content.decode()
    assert html.index("Báo cáo năm 2025") < html.index("Rà soát 2025 của hộ 13249-00042")
    assert "Kiểm tra lại chỉ số nhà ở" in html
    assert "Vũ Hội" not in html


def test_opening_marks_read_and_follows_the_link(client, inbox, officer):
    response = signed_in(client, officer).get(reverse("deadlines:open", args=[inbox[0].pk]))
    assert response.status_code == 302
    assert response["Location"] == "/households/42/reviews/2025/"
    inbox[0].refresh_from_db()
    assert inbox[0].is_read
    inbox[1].refresh_from_db()
    assert not inbox[1].is_read


def test_a_link_out_of_the_site_is_not_followed(client, officer):
    (notification,) = services.notify(recipients=[officer], title="Liên kết lạ", url="https://example.com/lừa-đảo")
    response = signed_in(client, officer).get(reverse("deadlines:open", args=[notification.pk]))
    assert response["Location"] == reverse("deadlines:inbox")


def test_mark_one_and_mark_all_read(client, inbox, officer, vu_hoi_officer):
    signed_in(client, officer)
    assert client.get(reverse("deadlines:read", args=[inbox[1].pk])).status_code == 405
    client.post(reverse("deadlines:read", args=[inbox[1].pk]))
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 1
    client.post(reverse("deadlines:read_all"))
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=vu_hoi_officer, read_at__isnull=True).count() == 1


def test_another_persons_notification_answers_404(client, inbox, vu_hoi_officer):
    signed_in(client, vu_hoi_officer)
    assert client.get(reverse("deadlines:open", args=[inbox[0].pk])).status_code == 404
    assert client.post(reverse("deadlines:read", args=[inbox[0].pk])).status_code == 404
    assert not Notification.objects.filter(pk=inbox[0].pk, read_at__isnull=False).exists()


def test_signed_out_visitors_are_sent_to_the_login(client, inbox):
    response = client.get(reverse("deadlines:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
