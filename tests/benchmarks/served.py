"""The served site under concurrent clients (issue: trial by real users): `make run`'s web server, the demo's
3,000 households, eight clients at once.

The benchmark creates its own database (`vnn_bench_served` unless told otherwise) on the server of
DATABASE_URL, migrates it and runs `seed_demo --households 3000` as `make run` does (a database already holding
that many households is reused), then starts gunicorn with `make run`'s command line
(scripts.stack.gunicorn_command) and settings (config.settings.local, DEBUG as `make run` has it) on a free
loopback port. It signs in as the demo commune officer and the demo DOLISA user and, page after page in the same
run, drives CLIENTS threads (each with its own keep-alive connection to 127.0.0.1, sending one request after the
other) for a few warm-up seconds and then SECONDS measured seconds against:

- the household page of the first household of the officer's list (the reference: a page that already served
  68 requests/s in the trial),
- the household list of the commune officer (this year, page 1),
- the same list searched by name ("nguyen van"),
- the province-wide household list of DOLISA (this year, page 1).

For each it prints requests/s (responses completed in the measured window ÷ its length), the median and the
95th percentile of the response times, and the ratios to the targets (≥ 60 requests/s, p95 ≤ 250 ms) and to the
household page of the same run: the machine may be shared, and that ratio moves less with the load than the
absolute figures. Nothing is asserted.
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin

from .common import ROOT, ensure_database, fmt_seconds

DATABASE = "vnn_bench_served"
HOUSEHOLDS = 3000
CLIENTS = 8
SECONDS = 20.0
WARMUP = 3.0
TARGET_RATE = 60.0  # requests/s
TARGET_P95 = 0.250  # s
OFFICER, DOLISA = "xa.songan", "dolisa"  # units/demo.py

INTRO = """## Served site (trial by real users)

`python -m tests.benchmarks --only served` serves the demo as `make run` does — its gunicorn command line
(`scripts.stack.gunicorn_command`), `config.settings.local`, `seed_demo --households 3000` in its own database
`vnn_bench_served` — and drives 8 concurrent clients (threads, each with a keep-alive connection to 127.0.0.1)
for 20 s per page after 3 s of warm-up: the household page of the demo commune officer (the reference), the
officer's household list (this year, page 1), the same list searched by name ("nguyen van"), and the
province-wide household list of the DOLISA account. Figures: requests/s over the measured window, the median
(p50) and 95th percentile (p95) of response times. Targets for the lists: ≥ 60 requests/s (the last-but-two
column is measured ÷ target: ≥ 1 meets it) and p95 ≤ 250 ms (measured ÷ target: ≤ 1 meets it). The load
generator runs on the same 2 cores as the server and PostgreSQL, and other work may share the machine: compare
each list with the household page of the same run (given as "÷ household page").

The trial by real users found the officer's list at 16.5 requests/s (p95 621 ms) beside the household page's
68. The two runs of 2026-11-30 in the table are before and after the work on it (threaded gunicorn workers; the
list's rows as dicts with subqueries evaluated for the page only; drop-downs without a template per option and a
province's villages offered a commune at a time; rows unlocalised, with relative links): the officer's list went
from 0.32 to 0.79 of the household page's rate, DOLISA's province-wide list from 0.03 to 0.77. Both runs shared
the machine with other work (the household page itself served 31 and 62 requests/s); a shorter check (8 s a page)
at a quieter moment, load average 1.5, gave the household page 98 requests/s, the officer's list 86 (p95
168 ms), the name search 72 (p95 160 ms) and DOLISA's list 71 (p95 201 ms).

"""


# Preparing the database and the server ----------------------------------------------------------------------


def _households(url):
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('households_household') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM households_household")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _manage(env, *args):
    completed = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise RuntimeError(f"manage.py {' '.join(args)} failed (exit status {completed.returncode})")
    return completed.stdout


def prepare(url, *, database, households):
    """The database seeded as `make run` seeds it; returns (the environment to serve it with, the demo
    accounts' password as seed_demo prints it)."""
    bench_url = ensure_database(url, database)
    present = _households(bench_url)
    if present not in (0, households):
        print(f"· {present:,} households present in {database}, {households:,} wanted: loading again", flush=True)
        bench_url = ensure_database(url, database, drop=True)
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "ALLOWED_HOSTS")}
    env.update(DATABASE_URL=bench_url, DJANGO_SETTINGS_MODULE="config.settings.local", TZ="Asia/Ho_Chi_Minh")
    print(f"· migrating {database} and seeding {households:,} households as `make run` does…", flush=True)
    _manage(env, "migrate", "--no-input")
    seeded = _manage(env, "seed_demo", "--households", str(households))
    password = re.search(r"password for all: (\S+)", seeded)
    if password is None:
        raise RuntimeError("seed_demo did not print the demo accounts' password")
    return env, password.group(1)


class Server:
    """gunicorn as `make run` starts it, on a free loopback port; stopped on exit."""

    def __init__(self, env):
        from scripts.stack import _free_port, gunicorn_command

        self.port = _free_port()
        self.command = gunicorn_command("127.0.0.1", self.port)
        self.env = env
        self.log = Path(tempfile.gettempdir()) / f"vnn-bench-served-{self.port}.log"
        self.process = None

    def __enter__(self):
        with self.log.open("wb") as log:  # gunicorn keeps writing its errors there
            self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self._stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def _stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __exit__(self, *exc):
        self._stop()
        self.log.unlink()
        return False


# Clients -------------------------------------------------------------------------------------------------------


class Browser:
    """One keep-alive connection to the served site with its cookies (enough for Django's login and CSRF)."""

    def __init__(self, port, cookies=None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()  # the server closed an idle keep-alive connection: open another one
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), content

    def close(self):
        self.connection.close()


def sign_in(port, username, password):
    """The cookies of a signed-in session."""
    browser = Browser(port)
    try:
        status, _location, content = browser.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or token is None:
            raise RuntimeError(f"the login page answered {status}")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
        status, location, _content = browser.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in browser.cookies:
            raise RuntimeError(f"{username} could not sign in (answer {status} {location})")
        return browser.cookies
    finally:
        browser.close()


def first_household(port, cookies, list_path):
    status, _location, content = Browser(port, cookies).request("GET", list_path)
    found = re.search(rb'href="([^"]+)" data-testid="household-link"', content)
    if status != 200 or found is None:
        raise RuntimeError(f"{list_path} answered {status} without a household")
    return urljoin(list_path, found.group(1).decode())


@dataclass
class Result:
    name: str
    path: str
    seconds: float
    times: list = field(default_factory=list)
    errors: int = 0

    @property
    def rate(self):
        return len(self.times) / self.seconds

    def percentile(self, fraction):
        if not self.times:
            return None
        if len(self.times) == 1:
            return self.times[0]
        return statistics.quantiles(self.times, n=100, method="inclusive")[round(fraction * 100) - 1]


def drive(port, cookies, name, path, *, clients, seconds, warmup):
    """CLIENTS threads GET `path` one request after the other; the responses completed in the measured window
    (after the warm-up) count."""
    result = Result(name, path, seconds)
    lock = threading.Lock()
    started = time.perf_counter()
    window = (started + warmup, started + warmup + seconds)

    def client():
        browser = Browser(port, cookies)
        times, errors = [], 0
        try:
            while True:
                begun = time.perf_counter()
                if begun >= window[1]:
                    break
                status, _location, _content = browser.request("GET", path)
                done = time.perf_counter()
                if begun >= window[0] and done <= window[1]:
                    if status == 200:
                        times.append(done - begun)
                    else:
                        errors += 1
        finally:
            browser.close()
        with lock:
            result.times += times
            result.errors += errors

    threads = [threading.Thread(target=client, name=f"bench-client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


# The run ------------------------------------------------------------------------------------------------------


def run(url, *, database=DATABASE, households=HOUSEHOLDS, clients=CLIENTS, seconds=SECONDS, when, where):
    """Serve, drive, print; returns (rows of the results table, context line)."""
    env, password = prepare(url, database=database, households=households)
    load_average = os.getloadavg()
    with Server(env) as server:
        print(f"· serving on 127.0.0.1:{server.port}: {' '.join(server.command[1:])}", flush=True)
        officer = sign_in(server.port, OFFICER, password)
        dolisa = sign_in(server.port, DOLISA, password)
        pages = [
            ("household page — commune officer", officer, first_household(server.port, officer, "/households/")),
            ("household list — commune officer", officer, "/households/"),
            ("household list, name search — commune officer", officer, "/households/?q=nguyen+van"),
            ("household list — DOLISA, whole province", dolisa, "/households/"),
        ]
        results = []
        for name, cookies, path in pages:
            print(f"· {name}: {clients} clients, {seconds:g} s after {WARMUP:g} s of warm-up…", flush=True)
            results.append(drive(server.port, cookies, name, path, clients=clients, seconds=seconds, warmup=WARMUP))
    reference = results[0]
    print(f"\nServed site, {clients} clients, {seconds:g} s a page; load average at start {load_average[0]:.2f}")
    print(f"{'page':<48} {'req/s':>7} {'p50':>9} {'p95':>9} {'÷ 60/s':>7} {'p95÷250':>8} {'÷ page':>7}  errors")
    table = []
    for result in results:
        p50, p95 = result.percentile(0.50), result.percentile(0.95)
        is_list = result is not reference
        versus = f"{result.rate / reference.rate:.2f}" if reference.rate else "—"
        print(
            f"{result.name:<48} {result.rate:7.1f} {fmt_seconds(p50):>9} {fmt_seconds(p95):>9} "
            f"{result.rate / TARGET_RATE:7.2f} {(p95 or 0) / TARGET_P95:8.2f} {versus if is_list else '':>7}  "
            f"{result.errors}"
        )
        remark = f"{result.path}; p50 {fmt_seconds(p50)}; {len(result.times):,} responses, {result.errors} errors" + (
            f"; ÷ household page {versus}" if is_list else ""
        )
        label = f"served, {clients} clients: {result.name}<br>{remark}"
        rate_target = f"{TARGET_RATE:g} req/s" if is_list else "—"
        rate_ratio = f"{result.rate / TARGET_RATE:.2f}" if is_list else "—"
        table.append(f"| {when} | {where} | {label} | {result.rate:.1f} req/s | {rate_target} | {rate_ratio} | — | — |")
        table.append(
            f"| {when} | {where} | served, {clients} clients: {result.name}, p95 | {fmt_seconds(p95)} "
            f"| {fmt_seconds(TARGET_P95) if is_list else '—'} "
            f"| {f'{p95 / TARGET_P95:.2f}' if is_list and p95 else '—'} | — | — |"
        )
    context = (
        f"Served: load average {load_average[0]:.2f} at its start; database {database} with {households:,} "
        f"households; `{' '.join(server.command[2:])}`."
    )
    return table, context
