"""`ofsted-csc serve`: the app under waitress, in one process or several sharing the port.

Every page is rendered in Python, so one process serves on one CPU at a time whatever its
thread count (the interpreter runs one thread at a time). With `workers` above 1 the parent
opens the listening socket, builds the app and its data snapshot and renders the main pages
once (so templates are compiled and today's figures computed), then forks that many workers:
each starts warm, shares the parent's memory until it changes it, and accepts connections
from the same socket, so the kernel spreads clients over them.

What each worker keeps for itself: its data snapshot (rebuilt when the store's data version
changes; a change made through another worker, such as an upload, shows within a second, as
one made by `ofsted-csc ingest` does) and its page cache (keyed by that version). Sessions,
the sign-in rate limit's counts, users and plans are in the store, shared by all: so are they
between several `ofsted-csc serve` on one PostgreSQL database (on several machines behind one
address), which behave as one server.

The parent only waits: stopped (SIGTERM, SIGINT, Ctrl+C), it stops the workers; a worker
that stops by itself stops the rest and the server. Workers stop if the parent disappears.
Without `os.fork` (Windows) the server runs in one process.

Connections (`GuardedServer`, limits in `Settings`): waitress reads and writes sockets in one
loop and hands whole requests to its threads, so an idle connection costs no thread, only one
of `connection_limit` places; when they are all taken the server stops accepting. So that one
client cannot take them all (slowloris: many connections opened and left idle, or fed a byte
at a time), each worker lets one address hold at most `client_connections`: a new connection
beyond that closes the address's longest-idle one (browsers open another when they need it),
or is answered 503 when all of them are in the middle of a request. A connection with nothing
to do is closed after `idle_timeout` seconds, and one whose request headers have not all
arrived `header_timeout` seconds after they began. In production the app runs behind a
reverse proxy with its own limits (README, "Running it for others").
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from ofsted_csc import api
from ofsted_csc.domain.errors import StoreError
from ofsted_csc.web.context import context_of

log = logging.getLogger("ofsted_csc.web.server")

# Pages rendered once before the workers start (any that fail are skipped).
WARM_PATHS = ("/", "/regions", "/councils", "/inspections", "/map")


def default_workers() -> int:
    """Two processes where there are two CPUs or more and processes can be forked."""
    if not hasattr(os, "fork"):
        return 1
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def warm(app: Flask, paths: Sequence[str] = WARM_PATHS) -> None:
    """Build the data snapshot, compile the app's templates and render `paths` (and a
    council's page) once, so that no worker does it while visitors wait."""
    data = context_of(app).snapshot()
    for name in app.jinja_env.list_templates(filter_func=_own_template):
        app.jinja_env.get_template(name)
    council = next((d.council for d in data.documents if d.council is not None), None)
    extra = [f"/councils/{council.la_code}"] if council is not None else []
    client = app.test_client()
    for path in [*paths, *extra]:
        try:
            client.get(path)
        except Exception as exc:  # a page that cannot render now is rendered when asked
            log.debug("warming %s: %s", path, exc)


def retheme(app: Flask) -> int:
    """Store the themes of the documents that have none of the current taxonomy version
    (after an upgrade that changed the taxonomy: one query otherwise), before the data
    snapshot is built, so that no visitor waits for a classification. A store that cannot be
    written is logged and left: the themes pages classify what is not stored."""
    try:
        return api.retheme(context_of(app).store)
    except StoreError as exc:
        log.warning("could not store the documents' themes: %s", exc)
        return 0


def _own_template(name: str) -> bool:
    return name.endswith(".html") and "/" not in name


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """The listening socket (IPv6 when `host` is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(backlog)
    return sock


def serve(
    app: Flask,
    host: str,
    port: int,
    *,
    threads: int,
    workers: int,
    backlog: int = 1024,
    **waitress_options: Any,
) -> None:
    """Serve `app` on host:port with `workers` processes of `threads` threads each, with the
    connection limits of the app's settings (`waitress_options`: waitress's other settings).

    OSError when the address cannot be listened on."""
    sock = listen(host, port, backlog)
    settings = context_of(app).settings
    options: dict[str, Any] = dict(
        threads=threads,
        backlog=backlog,
        connection_limit=settings.connection_limit,
        channel_timeout=settings.idle_timeout,
        cleanup_interval=1,  # timeouts are checked every second
        asyncore_use_poll=hasattr(select, "poll"),  # select() stops at 1024 sockets
        **waitress_options,
    )

    def run() -> None:
        GuardedServer(
            app,
            Adjustments(sockets=[sock], **options),
            client_connections=settings.client_connections,
            header_timeout=settings.header_timeout,
        ).run()

    retheme(app)
    engine = context_of(app).store.engine
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    if workers <= 1 or in_memory or not hasattr(os, "fork"):  # a memory store is one process's
        run()
        return
    warm(app)
    engine.dispose()  # no database connection is shared over the fork
    _prefork(run, workers)


REFUSED = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\nContent-Length: 51\r\n\r\n"
    b"Too many connections from your address: try again.\n"
)


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    """waitress's connection, noting when the request it is reading began."""

    request_began = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_began = time.monotonic()
        return bool(super().received(data))

    def idle(self) -> bool:
        """Between requests: nothing being read, run or written, and not closing."""
        return not (
            self.request is not None
            or self.requests
            or self.total_outbufs_len
            or self.will_close
            or self.close_when_flushed
        )


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """waitress's server on one listening socket (adj.sockets[0]), with a cap on the
    connections one address holds and a deadline for a request's headers."""

    channel_class = GuardedChannel

    def __init__(
        self,
        application: Any,
        adj: Adjustments,
        *,
        client_connections: int,
        header_timeout: float,
    ) -> None:
        self.client_connections = client_connections
        self.header_timeout = header_timeout
        sock = adj.sockets[0]
        super().__init__(
            application,
            _sock=sock,
            adj=adj,
            bind_socket=False,
            sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
        )
        self.threads_ready()

    def threads_ready(self, timeout: float = 5.0) -> bool:
        """Wait until every one of waitress's threads is waiting for work. waitress counts a
        thread busy from its start until it first waits, and warns "Task queue depth" when
        a request comes while none is free: so the first request a worker accepts, on a
        loaded machine, found all its threads still starting. Accepting only once they are
        ready takes a few milliseconds. False if they are not ready within `timeout`."""
        dispatcher = self.task_dispatcher
        deadline = time.monotonic() + timeout
        while True:
            with dispatcher.lock:
                if dispatcher.active_count <= 0:
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)

    def handle_accept(self) -> None:
        try:
            pair = self.accept()
        except OSError:  # the client went before it was accepted
            return
        if pair is None:
            return
        conn, addr = pair
        if self.client_connections and not self._make_room(addr[0]):
            log.warning("refused a connection from %s: it holds too many", addr[0])
            with contextlib.suppress(OSError):
                conn.setblocking(False)
                conn.send(REFUSED)
            conn.close()
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def _make_room(self, host: str) -> bool:
        """Whether `host` may open one more connection: it holds fewer than the cap once
        its longest-idle connection is closed (when it is at the cap)."""
        held = [
            c
            for c in self.active_channels.values()
            if c.addr and c.addr[0] == host and not (c.will_close or c.close_when_flushed)
        ]
        if len(held) < self.client_connections:
            return True
        idle = [c for c in held if isinstance(c, GuardedChannel) and c.idle()]
        if not idle:
            return False
        min(idle, key=lambda c: c.last_activity).will_close = True
        return True

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # closes connections idle for channel_timeout
        cutoff = time.monotonic() - self.header_timeout
        for channel in list(self.active_channels.values()):
            request = getattr(channel, "request", None)
            if (
                request is not None
                and not request.headers_finished
                and not channel.requests
                and getattr(channel, "request_began", cutoff) < cutoff
            ):
                channel.will_close = True


def _prefork(run: Callable[[], object], workers: int) -> None:
    parent = os.getpid()
    children: set[int] = set()
    stopping = failed = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            threading.Thread(target=_orphan_watch, args=(parent,), daemon=True).start()
            code = 0
            try:
                run()
            except KeyboardInterrupt:
                pass
            except BaseException:
                log.exception("worker %d stopped", os.getpid())
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.add(pid)

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            start()
        while children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            children.discard(pid)
            if not stopping:  # a worker stopped by itself: stop the others and the server
                log.error("worker %d stopped; stopping the server", pid)
                failed = True
                stop(signal.SIGTERM, None)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if failed:
        raise SystemExit(1)


def _orphan_watch(parent: int) -> None:
    """Ends the worker when the parent has gone (killed without stopping its workers)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)
