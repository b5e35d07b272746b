"""The product's own error pages, in Vietnamese with a way home, and `make run`'s settings: DEBUG off, static
files served without collectstatic, a missing page answered by the product's 404."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

ROOT = Path(__file__).resolve().parent.parent


def test_the_500_page_renders_without_a_request_in_vietnamese():
    # Django renders 500.html with no request: no context processor, no user, no CSRF token.
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="vi">' in html and "Lỗi máy chủ" in html and 'href="/"' in html
    assert 'data-testid="language-switch"' not in html  # without a request it could not post


@pytest.mark.django_db
def test_a_bad_host_gets_the_products_400_page(client):
    response = client.get("/", HTTP_HOST="not-this-site.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="bad-request"' in html and "Yêu cầu không hợp lệ" in html and 'href="/"' in html


@pytest.mark.django_db
def test_a_stale_form_gets_the_products_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "canbo", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="csrf-failure"' in html and "Không gửi được biểu mẫu" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
def test_a_missing_page_gets_the_products_404_page(client):
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def local_site(tmp_path):
    """gunicorn serving config.wsgi under config.settings.local, as `make run` does; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DEBUG", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_make_run_serves_with_debug_off_its_own_404_and_the_static_files(local_site):
    base, log = local_site
    status, html = _get(base + "/khong-co-trang-nay/")
    assert status == 404
    assert 'data-testid="not-found"' in html and "Không tìm thấy" in html  # not Django's technical 404
    assert "Using the URLconf" not in html
    for path in ("/static/css/app.css", "/static/vendor/bootstrap/bootstrap.min.css", "/static/admin/css/base.css"):
        status, _body = _get(base + path)
        assert status == 200, path
    assert "No directory at" not in log.read_text()  # nothing asks for a collectstatic a clean clone lacks


def test_local_settings_turn_debug_off():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("DEBUG", None)
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
