"""Polite HTTP for sync: one injected httpx client, a descriptive User-Agent, timeouts,
retries with exponential back-off and jitter, a delay between requests and a cap on how
many run at once.

A site that refuses the client (403 Forbidden, 429 Too Many Requests) is asked again after a
back-off (its Retry-After honoured); if it keeps refusing, the request fails with `refused`
set, and after `Politeness.refusals` such requests in a row the fetcher asks nothing more
(each further request fails at once, unsent): a site that turns a client away is not
hammered. `Fetcher.refusal` then says what was refused.

    fetcher = Fetcher(Politeness(delay=1.0))          # or Fetcher(client=httpx.Client(transport=...))
    page = fetcher.text("https://reports.ofsted.gov.uk/provider/44/80486")
    sha, size = fetcher.download(url, Path("cache/50200024.pdf"))

Sleeping, jitter and the clock are injectable, so tests run the retry paths instantly.
"""

from __future__ import annotations

import email.utils
import hashlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import httpx

from ofsted_csc import __version__, config
from ofsted_csc.domain.limits import MAX_BYTES, megabytes

# Statuses worth asking again for: the server is busy or briefly broken, or turns the client
# away (403, 429: sites behind a firewall refuse a burst of requests, then let them through).
RETRY_STATUSES = frozenset({403, 408, 425, 429, 500, 502, 503, 504})
# Statuses by which a site refuses the client rather than fails.
REFUSAL_STATUSES = frozenset({403, 429})

T = TypeVar("T")


def default_user_agent() -> str:
    """ofsted-csc's own identity: says who is asking and why."""
    return (
        f"ofsted-csc/{__version__} (open-source reader of Ofsted children's services "
        "reports; incremental sync, a few requests a minute)"
    )


def user_agent(identity: str | None = None) -> str:
    """The User-Agent sent: `identity`, else $OFSTED_CSC_USER_AGENT, else ofsted-csc's own
    (`default_user_agent`); $OFSTED_CSC_CONTACT (an email or URL) is added when set, so
    Ofsted can reach whoever runs the sync."""
    settings = config.current()
    agent = (identity or settings.user_agent or default_user_agent()).strip()
    contact = settings.contact
    return f"{agent} contact: {contact}" if contact and contact not in agent else agent


@dataclass(frozen=True)
class Politeness:
    delay: float = 1.0  # seconds between the starts of two requests
    concurrency: int = 2  # requests in flight at once
    timeout: float = 30.0  # seconds to connect, and between bytes read
    retries: int = 3  # further attempts after a timeout, a dropped connection or a 5xx
    backoff: float = 2.0  # attempt n waits backoff * 2**(n-1) seconds, plus jitter
    max_wait: float = 120.0  # cap on one wait, Retry-After included
    refusals: int = 3  # requests refused (403, 429) in a row, after retries, before giving up

    def __post_init__(self) -> None:
        if (
            self.delay < 0
            or self.concurrency < 1
            or self.timeout <= 0
            or self.retries < 0
            or self.refusals < 1
        ):
            raise ValueError(
                "delay >= 0, concurrency >= 1, timeout > 0, retries >= 0 and refusals >= 1"
            )


class FetchFailed(Exception):
    """A request that did not succeed, after any retries: `status` is the last HTTP status
    (None when no response came: a timeout or a connection error)."""

    def __init__(self, url: str, status: int | None, problem: str, *, sent: bool = True) -> None:
        self.url = url
        self.status = status
        self.problem = problem
        self.sent = sent  # False: not asked, the site having refused the requests before
        super().__init__(f"{url}: {problem}")

    @property
    def refused(self) -> bool:
        """The site turned the client away (403, 429), rather than failed."""
        return self.status in REFUSAL_STATUSES

    @property
    def not_found(self) -> bool:
        """The site says there is no such page or document (404, 410)."""
        return self.status in (404, 410)


@dataclass(frozen=True)
class Refusal:
    """The site refused the client: the first request refused after its retries, how many
    were, and whether the fetcher stopped asking."""

    url: str
    status: int
    problem: str
    count: int
    stopped: bool


@dataclass
class Counters:
    requests: int = 0
    retries: int = 0
    bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **amounts: int) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)


class Fetcher:
    def __init__(
        self,
        politeness: Politeness | None = None,
        client: httpx.Client | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        identity: str | None = None,
    ) -> None:
        self.politeness = politeness or Politeness()
        self._own_client = client is None
        self.client = client or httpx.Client()
        # an injected client (a test's transport, a proxy's) gets the same settings
        self.user_agent = user_agent(identity)  # what the site is told this client is
        self.client.headers["User-Agent"] = self.user_agent
        self.client.timeout = httpx.Timeout(self.politeness.timeout)
        self.client.follow_redirects = True
        self._sleep = sleep
        self._jitter = jitter
        self._clock = clock
        self._slots = threading.BoundedSemaphore(self.politeness.concurrency)
        self._pace = threading.Lock()
        self._next_start = 0.0
        self.counters = Counters()
        self._refusals = threading.Lock()
        self._refused_in_a_row = 0
        self._first_refusal: FetchFailed | None = None
        self._refused_count = 0

    @property
    def refusal(self) -> Refusal | None:
        """Whether (and how) the site refused this client's requests, after retries."""
        with self._refusals:
            first = self._first_refusal
            if first is None or first.status is None:
                return None
            return Refusal(
                first.url,
                first.status,
                first.problem,
                self._refused_count,
                self._refused_in_a_row >= self.politeness.refusals,
            )

    def _note(self, failure: FetchFailed | None) -> None:
        """Count refusals in a row (a success, or any other failure, ends a run of them)."""
        with self._refusals:
            if failure is not None and failure.refused:
                self._refused_count += 1
                self._refused_in_a_row += 1
                if self._first_refusal is None:
                    self._first_refusal = failure
            else:
                self._refused_in_a_row = 0

    def _given_up(self, url: str) -> FetchFailed | None:
        with self._refusals:
            first = self._first_refusal
            if first is None or self._refused_in_a_row < self.politeness.refusals:
                return None
            return FetchFailed(
                url,
                first.status,
                f"not asked: the site refused {self._refused_in_a_row} requests in a row "
                f"(HTTP {first.status})",
                sent=False,
            )

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pacing --

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def _take_turn(self) -> None:
        """Keep `delay` seconds between the starts of any two requests (across threads)."""
        with self._pace:
            now = self._clock()
            wait = max(0.0, self._next_start - now)
            self._next_start = max(now, self._next_start) + self.politeness.delay
        self._wait(wait)

    def _backoff(self, attempt: int, response: httpx.Response | None) -> float:
        p = self.politeness
        wait = p.backoff * (2.0 ** (attempt - 1) + self._jitter())
        if response is not None:  # the server may say how long to wait
            after = retry_after(response.headers.get("Retry-After", ""))
            if after is not None:
                wait = max(wait, after)
        return min(wait, p.max_wait)

    # -- requests --

    def _attempts(self, url: str, fetch: Callable[[], T]) -> T:
        """`fetch` with retries; a refusal after them counted (`refusal`), and nothing more
        sent once the site has refused `Politeness.refusals` requests in a row."""
        given_up = self._given_up(url)
        if given_up is not None:
            raise given_up
        try:
            result = self._retried(url, fetch)
        except FetchFailed as failed:
            self._note(failed)
            raise
        self._note(None)
        return result

    def _retried(self, url: str, fetch: Callable[[], T]) -> T:
        """Run `fetch` (one request, raising httpx errors or returning) with retries."""
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            with self._slots:
                self._take_turn()
                self.counters.add(requests=1)
                try:
                    return fetch()
                except httpx.HTTPStatusError as exc:
                    response = exc.response
                    status: int | None = response.status_code
                    problem = f"HTTP {status} {response.reason_phrase}".strip()
                    if status not in RETRY_STATUSES:
                        raise FetchFailed(url, status, problem) from None
                except httpx.TimeoutException:
                    status, problem = None, f"no answer within {self.politeness.timeout:g} s"
                except httpx.TransportError as exc:
                    status, problem = None, f"connection failed ({exc or type(exc).__name__})"
            if attempt > self.politeness.retries:
                tries = f"{attempt} attempts" if attempt > 1 else "1 attempt"
                raise FetchFailed(url, status, f"{problem} ({tries})")
            self.counters.add(retries=1)
            self._wait(self._backoff(attempt, response))

    def text(self, url: str) -> str:
        """A page's HTML."""

        def fetch() -> str:
            response = self.client.get(url)
            response.raise_for_status()
            self.counters.add(bytes=len(response.content))
            return response.text

        return self._attempts(url, fetch)

    def download(self, url: str, dest: Path) -> tuple[str, int]:
        """Stream a document to `dest` (written whole or not at all: a `.part` file renamed
        at the end), refusing more than the ingest limit. Returns (sha256, size)."""
        part = dest.with_name(dest.name + ".part")

        def fetch() -> tuple[str, int]:
            digest = hashlib.sha256()
            size = 0
            with self.client.stream("GET", url) as response:
                response.raise_for_status()
                with part.open("wb") as out:
                    for chunk in response.iter_bytes(64 * 1024):
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FetchFailed(
                                url,
                                response.status_code,
                                f"larger than {megabytes(MAX_BYTES)}: not a report",
                            )
                        digest.update(chunk)
                        out.write(chunk)
            self.counters.add(bytes=size)
            return digest.hexdigest(), size

        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            result = self._attempts(url, fetch)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        part.replace(dest)
        return result


def retry_after(value: str) -> float | None:
    """Seconds a Retry-After header asks to wait: a number of seconds, or an HTTP date."""
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())
