"""The house's layers hold: the import contracts in pyproject.toml ([tool.importlinter])
pass on the package, and fail when a module imports upward or an edge reaches past the API.
The API's public names are explicit."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def lint_imports(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts of `config`, on the package under `src`."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command;"
            " sys.exit(lint_imports_command())",
            "--no-cache",
            str(config),
        ],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )


def test_the_package_keeps_its_layers_and_its_edges() -> None:
    done = lint_imports(SRC, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        (  # the domain importing the API: an upward import
            "domain/grades.py",
            "from ofsted_csc.api import inspections as _up  # noqa",
            "ofsted_csc.domain is not allowed to import ofsted_csc.api",
        ),
        (  # storage importing analytics: an upward import
            "storage/convert.py",
            "from ofsted_csc.analytics import benchmarking as _up  # noqa",
            "ofsted_csc.storage is not allowed to import ofsted_csc.analytics",
        ),
        (  # the web reaching past the API into the store
            "web/govuk.py",
            "from ofsted_csc.storage import store as _past  # noqa",
            "ofsted_csc.web is not allowed to import ofsted_csc.storage",
        ),
    ],
)
def test_an_upward_import_breaks_the_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(SRC / "ofsted_csc", copy / "ofsted_csc", ignore=shutil.ignore_patterns("data"))
    target = copy / "ofsted_csc" / module
    target.write_text(target.read_text() + "\n" + line + "\n")
    done = lint_imports(copy, ROOT / "pyproject.toml")
    assert done.returncode != 0
    assert broken in done.stdout


def test_the_api_names_what_it_offers() -> None:
    from ofsted_csc import api
    from ofsted_csc.api import briefs, inspections, sync

    assert len(api.__all__) == len(set(api.__all__))
    missing = [n for n in api.__all__ if not hasattr(api, n)]
    assert missing == []
    for module in (briefs, sync):
        assert [n for n in module.__all__ if not hasattr(module, n)] == []
    # every public function and class of the inspections module is offered by the package
    offered = set(api.__all__)
    public = {
        name
        for name, value in vars(inspections).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == inspections.__name__
    }
    assert public - offered == set()
