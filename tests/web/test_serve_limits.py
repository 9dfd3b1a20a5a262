"""`ofsted-csc serve` under a slowloris: one address opening a hundred connections and holding
them idle, or feeding its headers a byte at a time, cannot stop the server answering others.
The server runs as users start it (`python -m ofsted_csc serve`, one worker) with small limits;
the attacker connects from 127.0.0.2 and the other client from 127.0.0.1 (all of 127/8 is
the loopback)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

ATTACKER = "127.0.0.2"
LIMITS = {
    "--connection-limit": "60",
    "--client-connections": "10",
    "--idle-timeout": "3",
    "--header-timeout": "2",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str = "/about", timeout: float = 2.0) -> bytes:
    """The first bytes of a plain GET's answer, from 127.0.0.1; fails if none come within
    `timeout` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        return s.recv(64)


def _hold(port: int) -> socket.socket:
    """A connection from the attacker's address, opened and left idle."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((ATTACKER, 0))
    s.settimeout(2.0)
    s.connect(("127.0.0.1", port))
    return s


def _closed(s: socket.socket) -> bool:
    """Whether the server has closed (or refused) this connection."""
    s.settimeout(0.0)
    try:
        data = s.recv(256)
    except BlockingIOError:
        return False  # still open, nothing said
    except OSError:
        return True  # reset
    return data == b"" or data.startswith(b"HTTP/1.1 503")


@contextlib.contextmanager
def _serve(db_url: str, folder: Path, *options: str) -> Iterator[int]:
    """`python -m ofsted_csc serve` with `options` on a free port, until the block ends."""
    port = _free_port()
    env = dict(os.environ, OFSTED_CSC_DB=db_url, OFSTED_CSC_SECRET_KEY="test")
    args = [sys.executable, "-m", "ofsted_csc", "serve", "--port", str(port), "--workers", "1"]
    logged = folder / f"serve-{port}.log"
    with logged.open("w") as log:
        proc = subprocess.Popen([*args, *options], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(port, proc, logged)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_for(port: int, proc: subprocess.Popen[bytes], logged: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError):
            if _get(port).startswith(b"HTTP/1.1 200"):
                return
        assert proc.poll() is None, logged.read_text()
        assert time.monotonic() < deadline, f"nothing answered on {port}"
        time.sleep(0.2)


@pytest.fixture
def server(db_copy: str, tmp_path: Path) -> Iterator[int]:
    options = [x for pair in LIMITS.items() for x in pair]
    with _serve(db_copy, tmp_path, *options) as port:
        yield port


def test_a_hundred_idle_connections_from_one_address_do_not_stop_the_server(server: int) -> None:
    held = []
    try:
        for _ in range(100):  # more than the server's whole connection limit (60)
            with contextlib.suppress(OSError):
                held.append(_hold(server))
        started = time.monotonic()
        assert _get(server).startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 2.0
        time.sleep(0.5)
        still_open = [s for s in held if not _closed(s)]
        # the address keeps at most its cap of connections; the rest were closed or refused
        assert 0 < len(still_open) <= 10
        # and those are closed after the idle timeout (3 s)
        time.sleep(5)
        assert all(_closed(s) for s in still_open)
    finally:
        for s in held:
            s.close()


def test_headers_fed_a_byte_at_a_time_are_cut_off(server: int) -> None:
    slow = [_hold(server) for _ in range(5)]
    try:
        request = b"GET /about HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 100
        started = time.monotonic()
        cut = None
        for i, byte in enumerate(request):  # a byte every 0.2 s: never idle for 3 s
            for s in slow:
                with contextlib.suppress(OSError):
                    s.send(bytes([byte]))
            time.sleep(0.2)
            if all(_closed(s) for s in slow):
                cut = time.monotonic() - started
                break
            assert i < 40, "the trickled headers were still read after 8 s"
        # the header timeout is 2 s, checked every second
        assert cut is not None and cut < 5.0
        assert _get(server).startswith(b"HTTP/1.1 200")
    finally:
        for s in slow:
            s.close()


def test_a_busy_client_within_its_cap_is_served(server: int) -> None:
    """Connections the address uses one after another (a browser's) are all answered: closing
    idle ones to make room never refuses a client that is only reusing its places."""
    answers, kept = [], []
    try:
        for _ in range(30):  # each left open (keep-alive) after its answer
            s = _hold(server)
            kept.append(s)
            s.sendall(b"GET /about HTTP/1.1\r\nHost: localhost\r\n\r\n")
            answers.append(s.recv(12))
    finally:
        for s in kept:
            s.close()
    assert answers == [b"HTTP/1.1 200"] * 30


NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    limit_conn_zone $binary_remote_addr zone=per_client:1m;
    upstream ofsted_csc {{ server 127.0.0.1:{app}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        client_header_timeout 2s;
        client_body_timeout 2s;
        keepalive_timeout 3s;
        limit_conn per_client 20;
        location / {{
            proxy_pass http://ofsted_csc;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_connect_timeout 5s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


@pytest.mark.skipif(not Path(NGINX).exists(), reason="no nginx (apt-get install nginx)")
def test_behind_nginx_idle_connections_are_the_proxys_problem(db_copy: str, tmp_path: Path) -> None:
    """The production set-up of the README: the app with its own cap off behind nginx with its
    limits. A hundred idle connections to nginx from one address: another client is answered
    at once, and nginx drops the idle ones after its header timeout."""
    with _serve(db_copy, tmp_path, "--client-connections", "0") as app:
        port = _free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=tmp_path, app=app, port=port))
        logged = tmp_path / "nginx.log"
        with logged.open("w") as log:
            proc = subprocess.Popen(
                [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            held: list[socket.socket] = []
            try:
                _wait_for(port, proc, logged)
                for _ in range(100):
                    held.append(_hold(port))
                started = time.monotonic()
                assert _get(port).startswith(b"HTTP/1.1 200")
                assert time.monotonic() - started < 2.0
                time.sleep(4)  # nginx's client_header_timeout is 2 s
                assert all(_closed(s) for s in held)
            finally:
                for s in held:
                    s.close()
                proc.terminate()
                proc.wait(timeout=20)


def test_a_worker_accepts_only_once_its_threads_are_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """waitress counts a thread busy until it first waits for work; a request accepted
    before then is queued with a "Task queue depth" warning (seen on every start under
    load). The server is built only once all its threads wait: here they are slow to start,
    as on a loaded machine."""
    from flask import Flask
    from waitress.adjustments import Adjustments
    from waitress.task import ThreadedTaskDispatcher

    start = ThreadedTaskDispatcher.start_new_thread

    def slow_start(self: ThreadedTaskDispatcher, target: Any, thread_no: int) -> None:
        def late() -> None:
            time.sleep(0.2)
            target(thread_no)

        start(self, lambda _no: late(), thread_no)

    monkeypatch.setattr(ThreadedTaskDispatcher, "start_new_thread", slow_start)

    from ofsted_csc.web.server import GuardedServer, listen

    sock = listen("127.0.0.1", 0, 16)
    server = GuardedServer(
        Flask(__name__),
        Adjustments(sockets=[sock], threads=64),
        client_connections=10,
        header_timeout=2.0,
    )
    try:
        dispatcher = server.task_dispatcher
        with dispatcher.lock:
            busy, threads = dispatcher.active_count, len(dispatcher.threads)
        assert threads == 64
        assert busy == 0
    finally:
        server.task_dispatcher.shutdown()
        server.close()
