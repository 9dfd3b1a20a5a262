"""The one settings object: read from the environment once, typed, and the only reader."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_csc import config
from ofsted_csc.config import Config, ConfigError

SRC = Path(__file__).resolve().parents[2] / "src" / "ofsted_csc"


def test_the_environment_becomes_typed_values() -> None:
    found = Config.from_env(
        {
            "OFSTED_CSC_DB": " sqlite:///x.db ",
            "OFSTED_CSC_BUNDLED": "off",
            "OFSTED_CSC_PAGE_CACHE": "0",
            "OFSTED_CSC_SECURE_COOKIES": "Yes",
            "OFSTED_CSC_CONTACT": "data@council.example",
            "OFSTED_CSC_USER": "ada",
            "OFSTED_CSC_ALLOW_UPLOAD": "",
            "OFSTED_CSC_OPEN_UPLOAD": "1",
        }
    )
    assert found == Config(
        db_url="sqlite:///x.db",
        user="ada",
        bundled=False,
        contact="data@council.example",
        allow_upload=True,  # empty: the default
        open_upload=True,
        page_cache=False,
        https=True,  # the old name, OFSTED_CSC_SECURE_COOKIES, still turns it on
    )
    assert Config.from_env({}) == Config()
    assert Config().open_upload is False  # uploading is for editors unless opened on purpose


def test_a_flag_that_is_not_yes_or_no_is_refused_by_name() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_env({"OFSTED_CSC_BUNDLED": "maybe"})
    assert "OFSTED_CSC_BUNDLED='maybe'" in caught.value.message
    with pytest.raises(ConfigError, match="OFSTED_CSC_OPEN_UPLOAD='everyone'"):
        Config.from_env({"OFSTED_CSC_OPEN_UPLOAD": "everyone"})


def test_connection_limits_are_whole_numbers_refused_by_name_otherwise() -> None:
    found = Config.from_env(
        {
            "OFSTED_CSC_CONNECTION_LIMIT": "1000",
            "OFSTED_CSC_CLIENT_CONNECTIONS": "0",
            "OFSTED_CSC_IDLE_TIMEOUT": " 15 ",
            "OFSTED_CSC_HEADER_TIMEOUT": "",
        }
    )
    assert (found.connection_limit, found.client_connections) == (1000, 0)
    assert (found.idle_timeout, found.header_timeout) == (15, Config().header_timeout)
    for name, value in (
        ("CONNECTION_LIMIT", "5"),
        ("CLIENT_CONNECTIONS", "-1"),
        ("IDLE_TIMEOUT", "half a minute"),
        ("HEADER_TIMEOUT", "0"),
    ):
        with pytest.raises(ConfigError) as caught:
            Config.from_env({f"OFSTED_CSC_{name}": value})
        assert f"OFSTED_CSC_{name}={value!r} is not a whole number" in caught.value.message


def test_read_once_then_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSTED_CSC_CONTACT", "first@council.example")
    first = config.current()
    monkeypatch.setenv("OFSTED_CSC_CONTACT", "second@council.example")
    assert config.current() is first and first.contact == "first@council.example"
    config.use(None)
    assert config.current().contact == "second@council.example"


def test_the_cli_options_win_without_touching_the_environment(tmp_path: Path) -> None:
    from ofsted_csc.cli.app import cli

    seen: list[Config] = []
    db = f"sqlite:///{tmp_path / 's.db'}"
    before = dict(os.environ)

    @cli.command("probe-config")
    def probe() -> None:
        seen.append(config.current())

    try:
        result = CliRunner().invoke(
            cli,
            ["--db", db, "--as", "ada", "--no-bundled", "probe-config"],
            env={"OFSTED_CSC_BUNDLED": "1", "OFSTED_CSC_CONTACT": "x@y.example"},
        )
    finally:
        cli.commands.pop("probe-config")
    assert result.exit_code == 0, result.output
    assert seen == [
        Config(db_url=db, user="ada", bundled=False, contact="x@y.example"),
    ]
    assert dict(os.environ) == before
    assert config.current() is not seen[0]  # the run's configuration ends with the run


def test_a_bad_setting_is_one_plain_message_at_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = dict(os.environ, OFSTED_CSC_PAGE_CACHE="sometimes")
    done = subprocess.run(
        [sys.executable, "-m", "ofsted_csc", "--db", f"sqlite:///{tmp_path / 'a.db'}", "about"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("ofsted-csc: OFSTED_CSC_PAGE_CACHE='sometimes'")
    assert "Traceback" not in done.stderr


def _os_attr(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == name
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def test_no_other_module_reads_the_environment_for_a_setting() -> None:
    """No `os.getenv`, `os.environ[...]`, `os.environ.get(...)` or `... in os.environ` outside
    config.py. Handing the whole environment on to a child process (`{**os.environ, ...}`)
    reads no setting and is allowed."""
    readers = []
    for path in SRC.rglob("*.py"):
        if path.name == "config.py" and path.parent == SRC:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            reads = (
                _os_attr(node, "getenv")
                or (isinstance(node, ast.Subscript) and _os_attr(node.value, "environ"))
                or (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("get", "pop", "setdefault", "__setitem__")
                    and _os_attr(node.value, "environ")
                )
                or (
                    isinstance(node, ast.Compare)
                    and any(_os_attr(c, "environ") for c in node.comparators)
                )
            )
            if reads:
                readers.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert readers == []
