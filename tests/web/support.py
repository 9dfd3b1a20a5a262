"""Helpers for the web tests (constants, the live server's handle, screenshots, axe)."""

from __future__ import annotations

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


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands (WCAG 2.x A/AA
    rules, 2.2 included)."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
