"""The one-command runner: a busy port is reported in words, not a traceback, and nothing is started."""

import socket

from scripts import stack


def test_busy_port_is_reported(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert stack.cmd_run("127.0.0.1", port, 0) == 2
    err = capsys.readouterr().err
    assert f"Port {port}" in err and "busy" in err
