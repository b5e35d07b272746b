"""In the browser: a long document is requested from a unit's page, the job page polls the worker through the
shared poller, and the PDF is downloaded once ready."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_context_args, login, page  # noqa: F401 - the e2e fixtures
from units.roles import Role


@pytest.mark.e2e
def test_a_roster_is_rendered_by_the_worker_while_its_page_polls(
    page,  # noqa: F811
    login,  # noqa: F811
    celery_worker,
    tree,
    make_user,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    district = tree.district("342")
    make_user(Role.DISTRICT_OFFICER, district, username="canbo.tienhai", last_name="Vũ Văn", first_name="Hải")
    login(page, "canbo.tienhai")
    page.goto(f"{district.get_absolute_url()}?as_of=2023-06-01")
    page.get_by_test_id("roster-request").click()
    expect(page.get_by_test_id("document-ready")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    assert download.value.suggested_filename.endswith("-20230601.pdf")
    page.get_by_test_id("nav-documents").click()
    expect(page.get_by_test_id("documents")).to_contain_text("Danh sách đơn vị hành chính")
