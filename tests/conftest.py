"""Shared fixtures: the real Thái Bình tree, users with roles, Chromium from Debian, a real Celery worker."""

import os

import pytest

from tests.factories import UserFactory
from units.choices import UnitKind
from units.models import Unit
from units.services import add_membership, load_unit_tree

# pytest-django's live server runs in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Mật-khẩu-thử-2026"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class Tree:
    """The loaded Thái Bình tree with lookups by GSO code or short name."""

    def __init__(self):
        self.province = Unit.objects.get(kind=UnitKind.PROVINCE)

    def commune(self, code):
        return Unit.objects.get(kind=UnitKind.COMMUNE, code=code)

    def district(self, code):
        return Unit.objects.get(kind=UnitKind.DISTRICT, code=code)

    def participant(self, short_name):
        return Unit.objects.get(short_name=short_name)


@pytest.fixture
def reference_data(db):
    """Standards, indicators, causes and periods (seeded by migration; flushed by transactional tests)."""
    from django.apps import apps

    from households import reference

    reference.seed(apps.get_model)


@pytest.fixture
def tree(db, reference_data):
    load_unit_tree()
    return Tree()


@pytest.fixture
def movement(tree):
    """Plan 119's movement loaded from its data file over the real unit tree."""
    from movement import seed

    return seed.load_movement(seed.read()).movement


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and rendered files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def make_user(db):
    """make_user(role, unit) -> a user holding that role in that unit, with PASSWORD (password=None: none usable,
    as the users import leaves a new account)."""

    def make(role=None, unit=None, password=PASSWORD, **fields):
        user = UserFactory(**fields)
        user.set_password(password)
        user.save()
        if role:
            add_membership(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread consuming from the test Redis database."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker
