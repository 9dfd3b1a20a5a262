"""Benchmark: improvement plans at a large council's scale.

    python benchmarks/plans.py [--actions 200] [--measures 3] [--readings 12] [--users 300]
                               [--db URL]

Builds a plan (in a fresh SQLite file unless --db is given) with N actions, each with M
measures of R readings, a progress update and a link, then times what users wait for:
reading the whole plan with every RAG worked out, reading one action (its page and the API's),
one action's save (with its audit rows), a board meeting's report as data and as Word, and the
XLSX export and import, and the lead officers an action's page offers on a shared service of
--users users (a third of them board members, the rest editors, of two councils). Prints seconds
per operation and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.plans.rules import BoardKind, Role, Status

REPORT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reports" / "50276975.pdf"


def timed(label: str, fn: Callable[[], Any], repeat: int = 3) -> Any:
    best = float("inf")
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best * 1000:9.1f} ms")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--measures", type=int, default=3)
    parser.add_argument("--readings", type=int, default=12)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'plans.sqlite'}"
        store = api.open_store(url)
        api.ingest(store, [REPORT])
        admin = users_api.user_create(store, None, "bench", role=Role.ADMIN)
        start = time.perf_counter()
        plan_id = plans_api.plan_create(store, admin, [REPORT.name])
        ws = plans_api.plan_get(store, plan_id, actor=admin).workstreams[0].id
        base = date(2025, 6, 1)
        for n in range(args.actions - 7):
            plans_api.action_create(
                store,
                admin,
                ws,
                f"Action {n}",
                lead="bench",
                start=base,
                due=base + timedelta(days=300 + n),
            )
        for a in plans_api.plan_get(store, plan_id, actor=admin).actions:
            for m in range(args.measures):
                mid = plans_api.measure_add(
                    store,
                    admin,
                    a.id,
                    f"Measure {m}",
                    baseline=40,
                    baseline_date=base,
                    target=80,
                    target_date=base + timedelta(days=365),
                )
                for r in range(args.readings):
                    plans_api.measure_record(
                        store, admin, mid, 40 + r * 2, base + timedelta(days=30 * (r + 1))
                    )
            plans_api.progress_add(store, admin, a.id, base + timedelta(days=40), "Progress made.")
        board = plans_api.board_create(
            store, admin, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
        )
        plans_api.meeting_add(store, admin, board, date(2026, 3, 2))
        meeting = plans_api.meeting_add(store, admin, board, date(2026, 6, 1))
        print(
            f"plan of {args.actions} actions x {args.measures} measures x {args.readings} readings "
            f"built in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})"
        )
        plan = timed(
            "read the plan, every RAG worked out",
            lambda: plans_api.plan_get(store, plan_id, actor=admin),
        )
        action = plan.actions[0]
        timed(
            "read one action (its page, the API)",
            lambda: plans_api.action_get(store, plan.actions[-1].id, actor=admin),
            repeat=5,
        )
        version = [action.version]

        def save() -> None:
            version[0] = plans_api.action_update(
                store,
                admin,
                action.id,
                version[0],
                {"percent": (version[0] * 7) % 100, "status": Status.ON_TRACK},
            )

        timed("save one action (lock, audit)", save, repeat=5)
        data = timed(
            "meeting report (data)", lambda: plans_api.meeting_report(store, meeting, actor=admin)
        )
        docx = timed("meeting report as Word", lambda: plans_api.report_docx(data))
        book = timed("export the plan as XLSX", lambda: plans_api.plan_to_xlsx(plan))
        draft = timed("read the XLSX back", lambda: plans_api.plan_from_xlsx(book, "plan.xlsx"))
        timed(
            "import it as a new plan",
            lambda: plans_api.plan_create_from(store, admin, draft),
            repeat=1,
        )
        council = plan.council_urn
        other = next(c.urn for c in load_registry().all() if c.urn != council)
        for n in range(args.users):
            name = f"staff{n:04d}"
            users_api.user_create(store, admin, name, role=Role.NONE)
            role = "board" if n % 3 == 0 else "editor"
            users_api.membership_set(store, admin, name, council if n % 2 else other, role)
        offered = timed(
            f"lead officers offered ({args.users} users)",
            lambda: users_api.lead_candidates(store, council),
            repeat=5,
        )
        print(f"{'  of them offered':<48} {len(offered):9d}")
        print(f"{'Word document':<48} {len(docx) / 1024:9.0f} KB")
        print(f"{'XLSX workbook':<48} {len(book) / 1024:9.0f} KB")
        print(
            f"{'peak memory':<48} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.0f} MB"
        )
        store.close()


if __name__ == "__main__":
    main()
