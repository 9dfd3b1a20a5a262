"""A bomb uploaded to a live server (waitress on a real socket, as `ofsted-csc serve` runs
it) is refused with its reason, within the memory limit, and the server goes on answering
(issue 23). The limits are scaled down through the settings."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, HELD_BACK, LiveServer
from tests.bombs import bomb_pdf

from ofsted_csc import config


def _editor_token(server: LiveServer) -> str:
    """A read-write API token of an editor: uploading needs one (or a signed-in editor)."""
    from ofsted_csc.api import users as users_api
    from ofsted_csc.plans.rules import Role, TokenScope

    store = server.store()
    admin = users_api.user_create(store, None, "ada", role=Role.ADMIN, password="admin passphrase")
    editor = users_api.user_create(store, admin, "ed", role=Role.EDITOR, password="editor phrase")
    return str(users_api.token_create(store, editor, scope=TokenScope.READ_WRITE, days=1).secret)


def _post_file(url: str, name: str, data: bytes, token: str) -> tuple[int, Any]:
    import json

    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url,
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Bearer {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _answers(server: LiveServer) -> bool:
    with urllib.request.urlopen(server.url + "/api/national", timeout=30) as response:
        return bool(response.status == 200)


@pytest.mark.parametrize(
    ("kind", "settings", "words"),
    [
        ("space", {"max_inflated_mb": 20}, "inflates to more than 20 MB"),
        (
            "drawing",
            {"max_inflated_mb": 1000, "read_memory_mb": 256},
            "could not be read within the memory limit (256 MB)",
        ),
    ],
)
def test_an_uploaded_bomb_is_refused_and_the_server_still_answers(
    live_server: LiveServer, kind: str, settings: dict[str, int], words: str
) -> None:
    config.use(config.current().with_(**settings))
    token = _editor_token(live_server)
    store = live_server.store()
    version = store.data_version()
    status, body = _post_file(
        live_server.url + "/api/ingest", "bomb.pdf", bomb_pdf(30, kind), token
    )
    assert status == 422
    assert body["outcome"] == "refused"
    assert body["reasons"][0].startswith("bomb.pdf: ") and words in body["reasons"][0]
    assert store.data_version() == version  # nothing stored
    assert _answers(live_server)
    report = (FIXTURES / "reports" / HELD_BACK).read_bytes()
    status, body = _post_file(live_server.url + "/api/ingest", HELD_BACK, report, token)
    assert status == 200 and body["outcome"] == "stored"


def test_the_server_process_stays_small_while_a_bomb_is_refused(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # The server runs in this test's process: its resident memory may not grow by what the
    # bomb costs to read (some 600 MB for 30 MB of paths); the worker holds that, and dies.
    config.use(config.current().with_(max_inflated_mb=1000, read_memory_mb=256))

    def resident_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):  # peak resident set size
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM")

    token = _editor_token(live_server)
    before = resident_mb()
    status, _body = _post_file(
        live_server.url + "/api/ingest", "bomb.pdf", bomb_pdf(30, "drawing"), token
    )
    assert status == 422
    assert resident_mb() < before + 150
    assert _answers(live_server)
