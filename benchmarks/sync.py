"""Benchmark: sync the development corpus served over loopback as Ofsted's site.

    python benchmarks/sync.py [CORPUS] [--jobs 2] [--delay 0] [--db-dir DIR]

Serves every PDF of CORPUS (default ../shared/corpus) on a page per council with
ofsted_csc.sources.fakesite, then measures into fresh SQLite stores: ingesting the folder
directly; a first sync (everything new); a second sync (nothing new); a sync after one
publication is added. Prints seconds, requests, MB, peak memory, and whether the synced
store holds the same records as the direct ingest. With --delay 0 the figures are the
program's own cost; at the default politeness (1 s between requests) add a second a request.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from ofsted_csc import api
    from ofsted_csc.domain.records import InspectionRecord
    from ofsted_csc.services.sync import SyncOptions, run_sync
    from ofsted_csc.sources.fakesite import serve, site_from_folder
    from ofsted_csc.sources.http import Fetcher, Politeness

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("corpus", type=Path, nargs="?", default=default)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--db-dir", type=Path)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: no such folder")
    folder = args.db_dir or Path(tempfile.mkdtemp(prefix="sync-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    with api.open_store(f"sqlite:///{folder / 'direct.sqlite'}") as direct:
        summary = api.ingest(direct, [args.corpus], jobs=args.jobs)
        dates: dict[str, date] = {}
        for s in direct.inspections():
            assert isinstance(s.result.record, InspectionRecord)
            dates[s.result.source.file_name] = s.result.record.published or date(2013, 1, 1)
        for s in direct.letters():
            dates[s.result.source.file_name] = s.result.record.visit_start
        counts = (len(direct.inspections()), len(direct.letters()))
    print(
        f"direct ingest: {len(summary.files)} files, {time.perf_counter() - t:.1f} s "
        f"({counts[0]} inspections, {counts[1]} letters, {len(summary.refused)} refused)"
    )

    site = site_from_folder(args.corpus, lambda p: dates.get(p.name, date(2013, 1, 1)))
    served = serve(site)
    hull = site.councils["80477"]
    held_back = hull.docs.pop()  # published "later", for the third sync
    try:
        with api.open_store(f"sqlite:///{folder / 'synced.sqlite'}") as synced:
            options = SyncOptions(layout=site.layout, cache=folder / "cache", jobs=args.jobs)
            for name in ("first sync", "second sync", "one new publication"):
                if name == "one new publication":
                    hull.docs.append(held_back)
                with Fetcher(Politeness(delay=args.delay, concurrency=2)) as fetcher:
                    t = time.perf_counter()
                    report = run_sync(synced, fetcher, options)
                    seconds = time.perf_counter() - t
                print(
                    f"{name}: {seconds:.1f} s, {report.pages_read} pages, "
                    f"{report.requests} requests, {report.downloaded} downloaded, "
                    f"{report.bytes / 1e6:.1f} MB, {len(report.new)} new, "
                    f"{len(report.refused)} refused; at 1 s between requests add "
                    f"~{report.requests / 60:.0f} min"
                )
            same = (len(synced.inspections()), len(synced.letters())) == counts
            print(f"same number of records as the direct ingest: {'yes' if same else 'NO'}")
    finally:
        served.stop()
    print(f"peak memory: {_peak_mb():.0f} MB (this process; PDF reading in {args.jobs} workers)")
    print(f"stores in {folder}")


if __name__ == "__main__":
    main()
