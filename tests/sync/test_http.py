"""The polite HTTP layer: retries, back-off, delay, concurrency cap, User-Agent, downloads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from ofsted_csc import config
from ofsted_csc.sources.http import (
    Fetcher,
    FetchFailed,
    Politeness,
    default_user_agent,
    retry_after,
    user_agent,
)

URL = "http://ofsted.test/page"


class Recorder:
    """A transport answering from a script of responses, recording what it was asked."""

    def __init__(self, *script: int | str | Exception) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script.pop(0) if self.script else 200
        if isinstance(step, Exception):
            raise step
        if isinstance(step, str):  # "503:7" = status 503 with Retry-After: 7
            status, after = step.split(":")
            return httpx.Response(int(status), headers={"Retry-After": after})
        return httpx.Response(step, text=f"<h1>{step}</h1>")


def fetcher(recorder: Recorder, sleeps: list[float], **politeness: float) -> Fetcher:
    settings = {"delay": 0.0, "backoff": 1.0, **politeness}
    return Fetcher(
        Politeness(**settings),  # type: ignore[arg-type]
        httpx.Client(transport=httpx.MockTransport(recorder)),
        sleep=sleeps.append,
        jitter=lambda: 0.5,
    )


def test_5xx_and_timeouts_are_retried_with_growing_back_off_and_jitter() -> None:
    recorder = Recorder(503, httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), 200)
    sleeps: list[float] = []
    f = fetcher(recorder, sleeps)
    assert f.text(URL) == "<h1>200</h1>"
    assert len(recorder.requests) == 4
    # backoff 1 s: 1 * (2**(n-1) + jitter 0.5)
    assert sleeps == [1.5, 2.5, 4.5]
    assert f.counters.retries == 3 and f.counters.requests == 4


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    sleeps: list[float] = []
    f = fetcher(Recorder("429:7", "503:900", 200), sleeps, max_wait=60.0)
    f.text(URL)
    assert sleeps == [7.0, 60.0]


def test_gives_up_after_the_retries_naming_url_status_and_attempts() -> None:
    recorder = Recorder(502, 502, 502, 502, 200)
    with pytest.raises(FetchFailed) as caught:
        fetcher(recorder, [], retries=3).text(URL)
    assert caught.value.status == 502
    assert str(caught.value) == f"{URL}: HTTP 502 Bad Gateway (4 attempts)"
    assert len(recorder.requests) == 4


def test_timeouts_that_never_end_fail_with_no_status() -> None:
    recorder = Recorder(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(FetchFailed) as caught:
        fetcher(recorder, [], retries=2, timeout=5).text(URL)
    assert caught.value.status is None
    assert "no answer within 5 s (3 attempts)" in caught.value.problem


def test_404_is_not_retried() -> None:
    recorder = Recorder(404)
    with pytest.raises(FetchFailed) as caught:
        fetcher(recorder, []).text(URL)
    assert caught.value.status == 404 and len(recorder.requests) == 1
    assert caught.value.not_found and not caught.value.refused


def test_a_403_is_asked_again_after_a_wait_and_may_succeed() -> None:
    recorder = Recorder(403, "403:20", 200)
    sleeps: list[float] = []
    f = fetcher(recorder, sleeps)
    assert f.text(URL) == "<h1>200</h1>"
    assert sleeps == [1.5, 20.0]  # back-off, then the site's Retry-After
    assert f.refusal is None  # refused on the way, not in the end


def test_a_site_that_keeps_refusing_is_not_asked_again_and_says_so() -> None:
    recorder = Recorder(*[403] * 12)
    f = fetcher(recorder, [], retries=1, refusals=2)
    for n in range(2):
        with pytest.raises(FetchFailed) as caught:
            f.text(f"{URL}/{n}")
        assert caught.value.refused and caught.value.sent
        assert caught.value.problem == "HTTP 403 Forbidden (2 attempts)"
    asked = len(recorder.requests)
    assert asked == 4
    with pytest.raises(FetchFailed) as caught:
        f.text(f"{URL}/3")
    assert not caught.value.sent and caught.value.status == 403
    assert "not asked: the site refused 2 requests in a row" in caught.value.problem
    assert len(recorder.requests) == asked  # nothing more was sent
    refusal = f.refusal
    assert refusal is not None
    assert (refusal.url, refusal.status, refusal.count, refusal.stopped) == (
        f"{URL}/0",
        403,
        2,
        True,
    )


def test_a_success_between_refusals_keeps_the_fetcher_asking() -> None:
    recorder = Recorder(429, 200, 429, 200)
    f = fetcher(recorder, [], retries=0, refusals=2)
    for expected in (FetchFailed, None, FetchFailed, None):
        if expected is None:
            f.text(URL)
        else:
            with pytest.raises(FetchFailed):
                f.text(URL)
    refusal = f.refusal
    assert refusal is not None and refusal.count == 2 and not refusal.stopped


def test_retry_after_as_seconds_or_as_an_http_date() -> None:
    assert retry_after(" 30 ") == 30.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    later = retry_after("Fri, 31 Dec 2099 23:59:59 GMT")
    assert later is not None and later > 1e9
    assert retry_after("soon") is None and retry_after("") is None


def test_user_agent_says_who_is_asking_and_how_to_reach_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OFSTED_CSC_CONTACT", "data@council.example")
    config.use(None)  # read the environment again (tests/conftest.py resets it after the test)
    recorder = Recorder(200)
    fetcher(recorder, []).text(URL)
    agent = recorder.requests[0].headers["User-Agent"]
    assert agent == user_agent()
    assert agent.startswith("ofsted-csc/") and agent.endswith("contact: data@council.example")


def test_the_identity_is_a_setting_and_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSTED_CSC_USER_AGENT", "Borough data team sync/1.0")
    config.use(None)
    recorder = Recorder(200, 200)
    fetcher(recorder, []).text(URL)
    assert recorder.requests[0].headers["User-Agent"] == "Borough data team sync/1.0"
    given = Fetcher(
        Politeness(delay=0),
        httpx.Client(transport=httpx.MockTransport(recorder)),
        identity="Council X (data@x.example)",
    )
    given.text(URL)
    assert recorder.requests[1].headers["User-Agent"] == "Council X (data@x.example)"
    monkeypatch.delenv("OFSTED_CSC_USER_AGENT")
    config.use(None)
    assert user_agent() == default_user_agent()  # the honest one, unless told otherwise


def test_polite_delay_spaces_the_starts_of_requests() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    f = Fetcher(
        Politeness(delay=2.0),
        httpx.Client(transport=httpx.MockTransport(Recorder())),
        sleep=sleep,
        clock=lambda: now[0],
    )
    for _ in range(3):
        f.text(URL)
    assert sleeps == [2.0, 2.0]


def test_no_more_requests_in_flight_than_the_cap() -> None:
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.02)
        with lock:
            in_flight -= 1
        return httpx.Response(200, text="ok")

    f = Fetcher(
        Politeness(delay=0, concurrency=2), httpx.Client(transport=httpx.MockTransport(slow))
    )
    threads = [threading.Thread(target=f.text, args=(URL,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 2


def test_download_is_whole_or_absent(tmp_path: Path) -> None:
    body = b"%PDF-1.7 " + b"x" * 200_000
    f = fetcher(Recorder(), [])
    f.client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    )
    sha, size = f.download("http://ofsted.test/v1/file/1", tmp_path / "1.pdf")
    assert (tmp_path / "1.pdf").read_bytes() == body and size == len(body)
    import hashlib

    assert sha == hashlib.sha256(body).hexdigest()

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset")

    f.client = httpx.Client(transport=httpx.MockTransport(broken))
    with pytest.raises(FetchFailed):
        f.download("http://ofsted.test/v1/file/2", tmp_path / "2.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.pdf"]  # no .part, no 2.pdf
