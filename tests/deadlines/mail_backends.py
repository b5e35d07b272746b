"""Mail backends of the outbox tests: one whose server fails a given number of times, one that is slow; both
keep what they delivered (class attributes: the worker thread builds its own backend instance)."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend


class FlakyBackend(BaseEmailBackend):
    failures = 0  # the next sends that fail
    delivered = []
    lock = threading.Lock()

    def send_messages(self, messages):
        with FlakyBackend.lock:
            if FlakyBackend.failures > 0:
                FlakyBackend.failures -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            FlakyBackend.delivered.extend((m.to[0], m.subject) for m in messages)
        return len(messages)


class SlowBackend(FlakyBackend):
    def send_messages(self, messages):
        time.sleep(0.02)  # long enough for concurrent senders to reach the same rows
        return super().send_messages(messages)
