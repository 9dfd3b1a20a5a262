"""Reading untrusted PDFs within bounds: the one place a PDF is read for ingest, sync, the web
upload and accepting official values (services/ingest.py comes here).

Each PDF is read in a worker process that cannot take more than the memory limit (its
address space is capped with setrlimit) and is given the time limit; before pdfium sees the
file, what its content inflates to is measured (parsing/streams.py, called by
parsing/pdf.read_pdf). A decompression bomb is refused with `PdfTooComplex`; a file whose
reading passes the memory limit (pdfium aborts, or Python runs out of memory) or the time
limit stops only its worker, and is refused with `ReadLimitExceeded`. The calling process (the CLI, the web server) and the other files are
not affected; a stopped worker is replaced.

Workers are fresh interpreters (never forks of the caller, which may be a threaded web
server, and never running the caller's main module again, as multiprocessing would). They
live on between calls (a web server keeps them for its life; ingest's files go through the
same ones), so a file costs no process start:

    for result in read_all([(path, data), (other, None)], workers=2):  # None: worker reads
        ...  # ParseResult, or the DocumentError that refused the file, in order
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ofsted_csc import config
from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.domain.errors import DocumentError, FileTooLarge, ReadLimitExceeded
from ofsted_csc.domain.limits import (
    MAX_BYTES,
    ReadLimits,
    document_too_large,
    read_beyond_memory,
    read_beyond_time,
)
from ofsted_csc.domain.records import ParseResult
from ofsted_csc.parsing.document import parse_document

__all__ = ["Job", "Outcome", "read_all", "read_bytes", "read_one"]

Job = tuple[Path, bytes | None]  # a file, and its bytes (None: the worker reads the file)
Outcome = ParseResult | DocumentError

_IDLE_KEPT = 4  # idle workers kept for the next call


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing one over the size limit before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror})") from exc
    if size > MAX_BYTES:
        raise FileTooLarge(path.name, document_too_large(size))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(path.name, f"cannot be read ({exc.strerror})") from exc


def read_one(
    path: Path, data: bytes | None, limits: ReadLimits, registry: CouncilRegistry | None = None
) -> Outcome:
    """Read one file here, in this process (a worker's work); a refusal comes back as its
    error. Only the memory limit is not applied here: it is the worker's."""
    try:
        if data is None:
            data = read_bytes(path)
        return parse_document(data, path.name, registry or load_registry(), limits.inflated_bytes)
    except DocumentError as exc:
        return exc
    except MemoryError:
        return ReadLimitExceeded(
            path.name, read_beyond_memory(limits.memory_bytes, "it ran out of memory")
        )
    except Exception as exc:  # a parser bug must not stop the other files
        return _our_error(path, exc)


def _our_error(path: Path, exc: BaseException) -> DocumentError:
    return DocumentError(
        path.name,
        f"could not be read because of an error in ofsted-csc ({type(exc).__name__}: "
        f"{exc}); please report it with the file",
    )


# -- the worker process --


def _bound(memory_bytes: int) -> None:
    """Cap this process's address space, and write no core file when it aborts."""
    for limit, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CORE, 0)):
        _soft, hard = resource.getrlimit(limit)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, value))


def _serve(conn: Connection, limits: ReadLimits) -> None:
    """A worker: read the files sent until told to stop (None) or the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _bound(limits.memory_bytes)
    registry = load_registry()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, MemoryError):  # the parent went, or a file past the limit
            return
        if job is None:
            return
        path, data = job
        result = read_one(path, data, limits, registry)
        del data, job
        try:
            conn.send(result)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result that cannot be sent (pickling)
            conn.send(_our_error(path, exc))


def serve_fd(fd: str, inflated_bytes: str, memory_bytes: str, seconds: str) -> None:
    """A worker process's start (`python -c`, see _Worker): serve on the socket `fd`."""
    limits = ReadLimits(int(inflated_bytes), int(memory_bytes), float(seconds))
    _serve(Connection(int(fd)), limits)


# -- the parent's side --

_START = "import sys; from ofsted_csc.services.reader import serve_fd; serve_fd(*sys.argv[1:])"


class _Worker:
    """A worker: a fresh interpreter (not a fork of the caller, which may be a threaded web
    server, and not running the caller's main module again), on a socket pair."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        mine, theirs = socket.socketpair()
        # the worker imports ofsted_csc from where this process does
        path = os.pathsep.join(p for p in sys.path if p)
        env = {**os.environ, "PYTHONPATH": path}
        args = (theirs.fileno(), limits.inflated_bytes, limits.memory_bytes, limits.seconds)
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START, *map(str, args)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # pdfium's last words on an abort: not the user's
                env=env,
            )
        self.conn = Connection(mine.detach())
        self.job: tuple[int, Path, float] | None = None  # index, file, deadline

    def send(self, index: int, path: Path, data: bytes | None) -> None:
        self.job = (index, path, time.monotonic() + self.limits.seconds)
        with contextlib.suppress(OSError):  # already gone: the wait sees it
            self.conn.send((path, data))

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()


def _stopped(worker: _Worker, path: Path) -> ReadLimitExceeded:
    """The refusal of a file whose worker stopped while reading it."""
    try:
        code: int | None = worker.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    if code is not None and code < 0:
        try:
            how = f"reading it was stopped by {signal.Signals(-code).name}"
        except ValueError:
            how = f"reading it was stopped by signal {-code}"
    else:
        how = f"reading it stopped (exit code {code})"
    return ReadLimitExceeded(path.name, read_beyond_memory(worker.limits.memory_bytes, how))


class _Pool:
    """Idle workers kept between calls; each call takes its own, so threads (a web
    server's) never share one."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self, limits: ReadLimits) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.limits == limits and worker.alive():
                    return worker
                worker.stop(kill=not worker.alive())
        return _Worker(limits)

    def give(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < _IDLE_KEPT:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def read(self, jobs: Iterable[Job], workers: int, limits: ReadLimits) -> Iterator[Outcome]:
        todo = iter(jobs)
        free: list[_Worker] = []
        busy: list[_Worker] = []
        done: dict[int, Outcome] = {}
        sent = handed = 0
        more = True

        def refill() -> None:
            """Keep every worker busy, but read at most a few files ahead of the one due."""
            nonlocal sent, more
            while more and len(busy) < workers and sent < handed + 2 * workers:
                job = next(todo, None)
                if job is None:
                    more = False
                    return
                worker = free.pop() if free else self.take(limits)
                worker.send(sent, *job)
                busy.append(worker)
                sent += 1

        try:
            while True:
                refill()
                # what is due goes to the caller (who stores it) only once the workers have
                # their next files: reading the next file overlaps storing this one
                while handed in done:
                    yield done.pop(handed)
                    handed += 1
                    refill()
                if not busy:
                    break
                now = time.monotonic()
                deadline = min(w.job[2] for w in busy if w.job)
                wait([w.conn for w in busy], timeout=max(0.0, deadline - now))
                for worker in list(busy):
                    assert worker.job is not None
                    index, path, due = worker.job
                    result: Outcome | None = None
                    if worker.conn.poll():
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = _stopped(worker, path)
                    elif not worker.alive():
                        result = _stopped(worker, path)
                    elif time.monotonic() >= due:
                        result = ReadLimitExceeded(path.name, read_beyond_time(limits.seconds))
                    if result is None:
                        continue
                    busy.remove(worker)
                    worker.job = None
                    done[index] = result
                    if isinstance(result, ReadLimitExceeded):
                        worker.stop(kill=True)  # out of memory or time: never reused
                    else:
                        free.append(worker)
        finally:
            for worker in busy:  # the caller stopped early: their work is dropped
                worker.stop(kill=True)
            for worker in free:
                self.give(worker)


_POOL = _Pool()
atexit.register(_POOL.close)


def read_all(
    jobs: Iterable[Job], workers: int = 1, limits: ReadLimits | None = None
) -> Iterator[Outcome]:
    """Read each file in a bounded worker process (`workers` at a time), yielding, in order,
    its ParseResult or the DocumentError that refused it. `limits`: config's by default."""
    yield from _POOL.read(jobs, max(1, workers), limits or config.current().read_limits)
