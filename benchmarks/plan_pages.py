"""Benchmark: the pages every signed-in user shares, beside one very large plan.

    .venv/bin/python benchmarks/plan_pages.py [--actions 1000] [--db URL]

Builds (in a fresh SQLite file unless --db is given) a small plan from the test report and a
second plan of --actions actions, each with a success measure of three readings and a progress
update, written in one import. --actions beyond the limit of a plan (domain.limits) writes the
plan as data kept before the limits were set would be (the import's check is skipped). Then
times, with Flask's test client signed in and no page cache (every request rendered), the
plan list (/plans) and the council's member brief (/councils/CODE/brief), which every
signed-in user sees, and the large plan's own page. Prints the best of three, in
milliseconds (the large plan's page: once). Figures, not a test.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.plans import imports
from ofsted_csc.plans.imports import ActionDraft, MeasureDraft, PlanDraft, WorkstreamDraft
from ofsted_csc.plans.rules import PlanStatus, Role, Status
from ofsted_csc.web import Settings, create_app

REPORT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reports" / "50276975.pdf"
PASSWORD = "benchmark passphrase"


def draft(urn: str, actions: int) -> PlanDraft:
    base = date(2025, 6, 1)
    rows = [
        ActionDraft(
            ref=str(n + 1),
            description=f"Action {n + 1}: make sure every child's plan is reviewed on time",
            lead="bench",
            partner=None,
            start=base,
            due=base + timedelta(days=(n % 700)),
            status=Status.ON_TRACK if n % 3 else Status.NOT_STARTED,
            percent=n % 100,
            override=None,
            override_reason=None,
            links=[],
            measures=[
                MeasureDraft(
                    "Reviews on time (%)",
                    40,
                    base,
                    90,
                    base + timedelta(days=365),
                    [(base + timedelta(days=30 * (r + 1)), 40 + 5 * r, "bench") for r in range(3)],
                )
            ],
            updates=[(base + timedelta(days=40), "Progress made this month.", "bench")],
            evidence=[],
        )
        for n in range(actions)
    ]
    streams = [WorkstreamDraft(f"Workstream {w + 1}", rows[w::10]) for w in range(10)]
    return PlanDraft(urn, "A very large plan", base, PlanStatus.ACTIVE, [], streams)


def best_ms(client: Any, path: str, shows: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        r = client.get(path)
        best = min(best, time.perf_counter() - start)
        assert r.status_code == 200, (path, r.status_code)
        assert shows in r.get_data(as_text=True), (path, shows)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--db")
    parser.add_argument(
        "--member",
        action="store_true",
        help="Sign in as an editor of the council by membership (with no role of their own), "
        "not as a service admin: every page then checks the council's membership.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'plans.sqlite'}"
        store = api.open_store(url)
        api.ingest(store, [REPORT])
        me = users_api.user_create(store, None, "bench", role=Role.ADMIN, password=PASSWORD)
        plans_api.plan_create(store, me, [REPORT.name])
        urn = plans_api.find_report(store, REPORT.name).result.record.council_urn
        council = load_registry().by_urn(urn or "")
        assert urn is not None and council is not None
        who = "bench"
        if args.member:
            who = "member"
            users_api.user_create(store, me, who, role=Role.NONE, password=PASSWORD)
            users_api.membership_set(store, me, who, urn, "editor")
            others = [c.urn for c in load_registry().all() if c.urn != urn][:3]
            for other in others:  # a viewer of some other councils too
                users_api.membership_set(store, me, who, other, "viewer")
        app = create_app(Settings(db_url=url, secret_key="bench", page_cache=False))
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        r = client.post(
            "/sign-in",
            data={"csrf_token": token.group(1), "username": who, "password": PASSWORD},
        )
        assert r.status_code == 302
        shared = (
            ("/plans (every plan, counted by RAG)", "/plans", "improvement plan"),
            (
                "the council's brief, signed in",
                f"/councils/{council.la_code}/brief",
                "Improvement plan:",
            ),
        )
        print("with one plan of 7 actions")
        for label, path, shows in shared:
            print(f"  {label:<46} {best_ms(client, path, shows):9.1f} ms")
        check = getattr(imports, "check_draft", None)
        if check is not None:
            imports.check_draft = lambda d: None  # type: ignore[assignment]
        start = time.perf_counter()
        big_id = plans_api.plan_create_from(store, me, draft(urn, args.actions))
        built = time.perf_counter() - start
        if check is not None:
            imports.check_draft = check  # type: ignore[assignment]
        print(
            f"and a plan of {args.actions} actions ({url.split(':')[0]}, imported in {built:.1f} s)"
        )
        for label, path, shows in shared:
            print(f"  {label:<46} {best_ms(client, path, shows):9.1f} ms")
        own = best_ms(client, f"/plans/{big_id}", "A very large plan", repeat=1)
        label = "the large plan's own page (once)"
        print(f"  {label:<46} {own:9.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
