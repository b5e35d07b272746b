"""What every benchmark of `make bench` shares: its own databases on the server of DATABASE_URL, the clock, the
machine's description and the results table of docs/benchmarks.md."""

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
HEADER = [
    "| Date | Machine | Figure | Measured | Target | Measured / target | × count(*) | Queries |",
    "|---|---|---|---:|---:|---:|---:|---:|",
]
KEEP_EARLIER = 80  # rows of earlier runs kept under this run's


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url):
    return urlsplit(url).path.strip("/")


def admin_connection(url):
    import psycopg2

    connection = psycopg2.connect(with_database(url, "postgres"))
    connection.autocommit = True
    return connection


def ensure_database(url, name, *, drop=False):
    """Create a benchmark database (dropping it first if asked); returns its URL. Never the "vnn" database."""
    if name in ("vnn", "postgres", "template0", "template1"):
        raise ValueError(f"refusing to use the database {name!r} for a benchmark")
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"· created database {name}", flush=True)
    admin.close()
    return with_database(url, name)


def now():
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")


def machine(url):
    """'2 × CPU model, memory, PostgreSQL version' of this machine and the server of `url`."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    admin.close()
    return f"{os.cpu_count()} × {cpu}, {memory:.0f} GB, PostgreSQL {version.split()[0]}"


def fmt_seconds(seconds):
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.1f} s"


def write_doc(rows, *, intro):
    """Put this run's rows on top of the results table of docs/benchmarks.md, keeping earlier runs."""
    earlier = []
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            table = text.split(START, 1)[1].split(END, 1)[0].strip().splitlines()
            earlier = [line for line in table[2:] if line.startswith("|")]
    lines = HEADER + rows + earlier[:KEEP_EARLIER]
    DOC.write_text(intro + f"{START}\n" + "\n".join(lines) + f"\n{END}\n", encoding="utf-8")


def run_apart(url, database, module, *, label, **env_extra):
    """Run `python -m <module> --out FILE` in a process of its own on its own database (created when missing) and
    return (its JSON result, the load average at its start). `env_extra` are further environment variables."""
    import json
    import subprocess
    import sys
    import tempfile

    load_average = os.getloadavg()[0]
    env = {
        **os.environ,
        "DATABASE_URL": ensure_database(url, database),
        "DEBUG": "False",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        **env_extra,
    }
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        completed = subprocess.run([sys.executable, "-m", module, "--out", out], env=env, cwd=ROOT, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"the {label} benchmark failed (exit status {completed.returncode})")
        return json.loads(Path(out).read_text(encoding="utf-8")), load_average
    finally:
        os.unlink(out)
