"""The one-command runner: a busy port is reported in words, not a traceback, and nothing is started; a requested
stop is a clean exit; the web server is not starved by a browser's idle connections."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from scripts import stack

# `make run` with its steps and services replaced by sleeping processes: main() → cmd_run → waiting, as served.
FAKE_RUN = """
import subprocess, sys
from scripts import stack

stack.Stack.call = lambda self, args: 0
sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
stack.Stack.spawn = lambda self, args, **kwargs: (self.children.append(subprocess.Popen(sleeper)), self.children[-1])[1]
sys.exit(stack.main(["run", "--port", sys.argv[1], "--households", "0"]))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid):
    completed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in completed.stdout.split()]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split(")")[-1].split()[0] != "Z"


def test_busy_port_is_reported(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert stack.cmd_run("127.0.0.1", port, 0) == 2
    err = capsys.readouterr().err
    assert f"Port {port}" in err and "busy" in err


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_requested_stop_exits_cleanly_and_stops_every_child(stop):
    """make prints "Error 143" when the run command exits 143: a stop asked for is no error."""
    env = {**os.environ, "DATABASE_URL": "postgresql://unused/vnn", "REDIS_URL": "redis://unused:6379/0"}
    process = subprocess.Popen(
        [sys.executable, "-c", FAKE_RUN, str(_free_port())],
        cwd=stack.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stdout:
            if "The site is at" in line:
                break
        children = _children(process.pid)
        assert len(children) == 3  # worker, beat, web
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Stopping" in out
    assert not [pid for pid in children if _alive(pid)]


def test_the_web_server_answers_while_browsers_hold_idle_connections():
    """A browser opens connections ahead of need and may leave them idle (or hold one for a download): with
    `make run`'s two sync workers two such connections stopped the site for gunicorn's 30-second timeout."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        stack.gunicorn_command("127.0.0.1", port),
        cwd=stack.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    idle = []
    try:

        def favicon(timeout):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            try:
                connection.request("GET", "/static/favicon.svg")
                return connection.getresponse().status
            finally:
                connection.close()

        deadline = time.monotonic() + 120
        while True:  # the workers have booted once the site answers
            try:
                assert favicon(timeout=60) == 200
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        idle = [socket.create_connection(("127.0.0.1", port)) for _n in range(3)]
        assert favicon(timeout=20) == 200
    finally:
        for sock in idle:
            sock.close()
        server.terminate()
        server.wait(timeout=30)
