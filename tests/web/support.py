"""Helpers for the web tests (constants, the live server's handle, screenshots, axe)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ofsted_csc.web.context import context_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
HELD_BACK = "50282103.pdf"  # a real report left out of the store, for the upload tests
CHROMIUM = os.environ.get("OFSTED_CSC_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("OFSTED_CSC_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(os.environ.get("OFSTED_CSC_SCREENSHOTS", ROOT / "out" / "screenshots"))
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@dataclass
class LiveServer:
    url: str
    app: Any
    db_url: str

    def store(self) -> Any:
        return context_of(self.app).store


def screenshot(tab: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands (WCAG 2.x A/AA
    rules, 2.2 included)."""
    # run by the browser's devtools protocol: a <script> added to the page would be refused
    # by its Content-Security-Policy (no inline scripts), as an attacker's would
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(_axe_source())
    result = tab.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
