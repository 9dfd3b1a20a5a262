"""Web app latency under load: every page, 20 concurrent clients on loopback.

    .venv/bin/python benchmarks/web.py ../shared/corpus [--official ../shared/official]
    .venv/bin/python benchmarks/web.py --db sqlite:///out/ofsted-csc.db   # an existing store

Ingests the folder into a fresh SQLite store (unless --db is given), starts `ofsted-csc serve`
in its own process (as users run it), warms each page once, then for each page runs
--clients threads that each send --requests requests one after another on a keep-alive
connection, and prints p50, p95 and max latency and throughput per page, then how many times
waitress warned that requests waited for a thread. --no-page-cache renders every request (as
the acceptance probe does). Figures, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "ofsted_csc"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    return r.status, len(body)


def pages(port: int) -> list[str]:
    """The pages to measure: every page of the app, with real council codes and files."""
    import json

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/inspections?framework=ilacs")
    listing = json.loads(conn.getresponse().read())
    sha = listing["rows"][0]["sha256"] if listing["rows"] else ""
    conn.close()
    out = [
        "/",
        "/?as_at-day=31&as_at-month=3&as_at-year=2024",
        "/?judgement=care_leavers",
        "/regions",
        "/regions?judgement=in_care&by=ofsted",
        "/regions/london",
        "/councils",
        "/councils/810",
        "/councils/873",
        "/councils/909",
        "/inspections",
        "/inspections?framework=ilacs&region=London",
        "/inspections?kind=focused_visit&year=2023",
        "/inspections?page=3",
        "/inspections?framework=sif&format=csv",
        "/compare?council=810&council=873&council=909&council=202",
        "/map",
        "/map?judgement=care_leavers",
        "/upload",
        "/about",
        "/api/docs",
        "/api/openapi.json",
        "/api/national",
        "/api/regions",
        "/api/councils",
        "/api/councils/810",
        "/api/inspections?framework=sif",
        "/api/trajectories/transitions",
    ]
    if sha:
        out += [f"/inspections/{sha}", f"/api/inspections/{sha}", f"/documents/{sha}.pdf"]
    return out


def load(port: int, path: str, clients: int, requests: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        start_gate.wait()
        for _ in range(requests):
            t = time.perf_counter()
            try:
                status, _ = get(conn, path)
            except OSError as exc:
                errors.append(str(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - t)
            if status != 200:
                errors.append(f"HTTP {status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    n = len(latencies)
    return {
        "n": n,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p95": latencies[max(0, int(0.95 * n) - 1)] * 1000 if n else float("nan"),
        "max": latencies[-1] * 1000 if n else float("nan"),
        "rps": n / wall if wall else 0.0,
        "errors": len(errors),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", nargs="?", help="folder of reports and letters to ingest")
    ap.add_argument("--official", help="folder of Ofsted's official .ods files to import")
    ap.add_argument("--db", help="use this existing store instead of ingesting")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=25, help="per client, per page")
    ap.add_argument("--threads", type=int, help="threads per server process (serve's default)")
    ap.add_argument("--workers", type=int, help="server processes (serve's default)")
    ap.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request (OFSTED_CSC_PAGE_CACHE=0): the cost of a page not seen before",
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ofsted-csc-webbench-"))
    try:
        db = args.db
        if db is None:
            if not args.corpus:
                ap.error("give a corpus folder to ingest, or --db")
            db = f"sqlite:///{tmp / 'bench.sqlite'}"
            t = time.perf_counter()
            subprocess.run(
                [*CLI, "--db", db, "ingest", "--jobs", "2", args.corpus],
                check=False,
                stdout=subprocess.DEVNULL,
            )
            if args.official:
                for ods in sorted(Path(args.official).glob("*.ods")):
                    subprocess.run(
                        [*CLI, "--db", db, "import-official", str(ods)],
                        check=True,
                        stdout=subprocess.DEVNULL,
                    )
            print(f"store built in {time.perf_counter() - t:.1f} s: {db}")
        port = free_port()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        if args.no_page_cache:
            env["OFSTED_CSC_PAGE_CACHE"] = "0"
        # every client is on one address here: the server's cap of connections per address
        # would refuse more than its default, so it is lifted to the clients' number
        cap = str(max(50, args.clients))
        command = [*CLI, "--db", db, "serve", "--port", str(port), "--client-connections", cap]
        if args.threads:
            command += ["--threads", str(args.threads)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        log = tmp / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            t = time.perf_counter()
            get(conn, "/")
            print(f"first request (builds the snapshot): {(time.perf_counter() - t) * 1000:.0f} ms")
            paths = pages(port)
            for path in paths:  # warm each page once (memoised figures for today)
                status, _size = get(conn, path)
                if status != 200:
                    print(f"  {path}: HTTP {status}")
            conn.close()
            print(
                f"\n{args.clients} concurrent clients x {args.requests} requests per page, "
                f"server: waitress, {args.workers or 'default'} processes of "
                f"{args.threads or 'default'} threads, page cache "
                f"{'off' if args.no_page_cache else 'on'}; cpus: {os.cpu_count()}"
            )
            print(
                f"{'page':58s} {'p50 ms':>7s} {'p95 ms':>7s} {'max ms':>7s} {'req/s':>7s} {'errors':>6s}"
            )
            worst = 0.0
            for path in paths:
                r = load(port, path, args.clients, args.requests)
                worst = max(worst, r["p95"])
                print(
                    f"{path[:58]:58s} {r['p50']:7.1f} {r['p95']:7.1f} {r['max']:7.1f} "
                    f"{r['rps']:7.0f} {r['errors']:6d}"
                )
            print(f"\nworst p95: {worst:.1f} ms over {len(paths)} pages")
            warnings = log.read_text(errors="replace").count("Task queue depth")
            print(f"waitress queue-depth warnings in the server's log: {warnings}")
        finally:
            server.terminate()
            server.wait(10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
