"""The mail outbox: every notification's mail is a row, sent by the worker through Django's mail backend, retried
with exponential backoff when the server fails, marked failed after the last attempt, never sent twice; the
administrator sees each message's state and can queue failed ones again."""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from deadlines import rules, services, tasks
from deadlines.models import OutboxMessage
from units.roles import Role

from .conftest import VIETNAM
from .mail_backends import FlakyBackend

T0 = datetime(2025, 11, 19, 7, 0, tzinfo=VIETNAM)
TITLE = "Báo cáo năm 2025 của xã Song An: còn 1 ngày"


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.deadlines.mail_backends.FlakyBackend"
    FlakyBackend.failures = 0
    FlakyBackend.delivered = []
    return FlakyBackend


def at(delta_seconds):
    return time_machine.travel(T0 + timedelta(seconds=delta_seconds), tick=False)


def test_a_failing_server_is_retried_after_1_then_2_minutes_and_the_mail_goes_once(officer, flaky):
    flaky.failures = 2
    with at(0):
        services.notify(recipients=[officer], title=TITLE, body="Còn thiếu: Xã Song An.", url="/")
        assert services.send_outbox() == {"queued": 1}
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts, message.next_attempt_at) == ("queued", 1, T0 + timedelta(minutes=1))
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    with at(59):
        assert services.send_outbox() == {}, "not due yet"
    with at(60):
        assert services.send_outbox() == {"queued": 1}
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, T0 + timedelta(minutes=1 + 2))
    with at(180):
        assert services.send_outbox() == {"sent": 1}
        assert services.send_outbox() == {}
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == ("sent", 3, None)
    assert message.sent_at == T0 + timedelta(minutes=3)
    assert flaky.delivered == [(officer.email, TITLE)]


def test_through_the_worker_a_failed_attempt_is_retried_later(celery_worker, officer, flaky):
    flaky.failures = 1
    with time_machine.travel(T0, tick=True):
        services.notify(recipients=[officer], title=TITLE)
        assert tasks.send_outbox.delay().get(timeout=30) == {"queued": 1}
    assert flaky.delivered == []
    with time_machine.travel(T0 + timedelta(minutes=2), tick=True):
        assert tasks.send_outbox.delay().get(timeout=30) == {"sent": 1}
        assert tasks.send_outbox.delay().get(timeout=30) == {}
    assert flaky.delivered == [(officer.email, TITLE)]
    assert OutboxMessage.objects.get().state == "sent"


def test_a_message_fails_after_the_last_attempt_and_is_not_tried_again_until_queued_again(officer, flaky):
    flaky.failures = 1000
    with at(0):
        services.notify(recipients=[officer], title=TITLE)
    for hour in range(1, 12):
        with at(3600 * hour):
            services.send_outbox()
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts, message.next_attempt_at) == ("failed", rules.MAIL_ATTEMPTS, None)
    assert flaky.failures == 1000 - rules.MAIL_ATTEMPTS
    assert flaky.delivered == []

    flaky.failures = 0
    assert services.requeue(messages=[message]) == 1
    assert services.send_outbox() == {"sent": 1}
    assert flaky.delivered == [(officer.email, TITLE)]


def test_a_user_without_an_address_gets_the_notification_and_no_mail(make_user, song_an, flaky):
    user = make_user(Role.COMMUNE_OFFICER, song_an, email="")
    (notification,) = services.notify(recipients=[user], title=TITLE)
    assert notification.recipient == user
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_senders_running_at_once_send_each_message_once(make_user, tree, settings):
    settings.EMAIL_BACKEND = "tests.deadlines.mail_backends.SlowBackend"
    FlakyBackend.failures = 0
    FlakyBackend.delivered = []
    song_an = tree.commune("13249")
    users = [make_user(Role.COMMUNE_OFFICER, song_an) for _i in range(30)]
    services.notify(recipients=users, title=TITLE)
    barrier = threading.Barrier(3)
    results, errors = [], []

    def sender():
        try:
            barrier.wait(timeout=10)
            results.append(services.send_outbox())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(FlakyBackend.delivered) == sorted((user.email, TITLE) for user in users)
    assert sum(result.get("sent", 0) for result in results) == 30
    assert sum(1 for result in results if result) >= 2, "the senders shared the work"
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_the_administrator_sees_each_message_state_and_queues_failed_ones_again(
    client, officer, tree, make_user, flaky
):
    admin = make_user(Role.ADMIN, tree.province, username="quantri", is_staff=True, is_superuser=True)
    with at(0):
        services.notify(recipients=[officer], title=TITLE)
    flaky.failures = 1000
    for hour in range(12):
        with at(3600 * hour):
            services.send_outbox()
    client.force_login(admin)
    url = reverse("admin:deadlines_outboxmessage_changelist")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert officer.email in page and TITLE in page
    assert "SMTPServerDisconnected" in page
    assert "thất bại" in page.lower()

    flaky.failures = 0
    message = OutboxMessage.objects.get()
    response = client.post(url, {"action": "queue_again", "_selected_action": [message.pk]}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("queued", 0)
