"""Every object URL answers 404 to a user of another commune (and the page itself to its owner)."""

import pytest
from django.urls import reverse

from reports.models import DocumentStatus, GeneratedDocument
from units.roles import Role


@pytest.fixture
def setting(tree, make_user):
    """Two communes; an officer in each; objects belonging to the first."""
    song_an = tree.commune("13249")
    owner = make_user(Role.COMMUNE_OFFICER, song_an)
    stranger = make_user(Role.COMMUNE_OFFICER, tree.commune("13255"))
    document = GeneratedDocument.objects.create(
        kind="unit_roster", unit=song_an, as_of="2025-01-01", requested_by=owner, status=DocumentStatus.DONE
    )
    return {"owner": owner, "stranger": stranger, "unit": song_an, "document": document}


# Each case: (url name, method, the object in `setting` whose pk goes in the URL).
OBJECT_URLS = [
    ("units:detail", "get", "unit"),
    ("reports:unit_summary_pdf", "get", "unit"),
    ("reports:document_request", "post", "unit"),
    ("reports:document", "get", "document"),
    ("reports:document_status", "get", "document"),
    ("reports:document_download", "get", "document"),
]


@pytest.mark.parametrize("name, method, key", OBJECT_URLS)
def test_another_communes_officer_gets_404(client, setting, name, method, key):
    client.force_login(setting["stranger"])
    response = getattr(client, method)(reverse(name, args=[setting[key].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name, method, key", [u for u in OBJECT_URLS if u[0] != "reports:document_download"])
def test_the_owner_reaches_the_same_urls(client, setting, name, method, key, django_capture_on_commit_callbacks):
    client.force_login(setting["owner"])
    with django_capture_on_commit_callbacks(execute=False):
        response = getattr(client, method)(reverse(name, args=[setting[key].pk]))
    assert response.status_code in (200, 302)


def test_the_url_list_covers_every_object_url():
    """A new URL taking an object id must be added to OBJECT_URLS above."""
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, f"{prefix}{p.namespace + ':' if p.namespace else ''}")
            elif "<int:pk>" in str(p.pattern):
                yield f"{prefix}{p.name}"

    project_names = {n for n in walk(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert project_names == {name for name, _, _ in OBJECT_URLS}
