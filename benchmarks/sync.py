"""Benchmark: sync an Ofsted-like site served over loopback.

    python benchmarks/sync.py --archive [--jobs 2] [--delay 0] [--db-dir DIR]
    python benchmarks/sync.py [CORPUS] [--jobs 2] [--delay 0] [--db-dir DIR]

--archive: the whole fake archive at real size (tests/sync/archive.py: every council's page,
about 1,080 publications of which about 890 are fetched, small PDFs in Ofsted's wording, the
real site's oddities among them): a dry run (what a first check of the site costs), a first
sync, a second sync, a sync after one publication is added. This is where the README's
figures for a full sync come from.

CORPUS (default ../shared/corpus): every PDF of the development corpus on a page per council,
measured also against ingesting the folder directly (whether the synced store holds the same
records), with real reports' reading cost.

Prints seconds, requests, MB and peak memory. With --delay 0 the figures are the program's own
cost; at the default politeness (1 s between the starts of requests) add a second a request.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ofsted_csc.services.sync import SyncReport


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _report_line(name: str, seconds: float, report: SyncReport) -> str:
    return (
        f"{name}: {seconds:.1f} s, {report.pages_read} pages, {report.requests} requests, "
        f"{report.downloaded} downloaded, {report.bytes / 1e6:.1f} MB, {len(report.new)} new, "
        f"{len(report.refused)} refused, {len(report.gone)} gone; at 1 s between requests "
        f"add ~{report.requests / 60:.0f} min"
    )


def archive(args: argparse.Namespace) -> None:
    """The whole fake archive, at real size."""
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "tests" / "sync")]
    from archive import build_archive, fetched_kinds

    from ofsted_csc import api
    from ofsted_csc.services.sync import SyncOptions, run_sync
    from ofsted_csc.sources.fakesite import serve
    from ofsted_csc.sources.http import Fetcher, Politeness

    folder = args.db_dir or Path(tempfile.mkdtemp(prefix="sync-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    site = build_archive()
    listed = sum(len(c.docs) for c in site.councils.values())
    fetched = sum(len(d) for d in fetched_kinds(site).values())
    print(
        f"archive: {len(site.councils)} council pages, {listed} publications listed, "
        f"{fetched} of the kinds sync fetches (built in {time.perf_counter() - t:.1f} s)"
    )
    served = serve(site)
    hull = site.councils["80477"]
    held_back = hull.docs.pop(0)  # published "later", for the last sync
    try:
        with api.open_store(f"sqlite:///{folder / 'synced.sqlite'}") as synced:
            options = SyncOptions(layout=site.layout, cache=folder / "cache", jobs=args.jobs)
            for name in ("dry run", "first sync", "second sync", "one new publication"):
                if name == "one new publication":
                    hull.docs.append(held_back)
                opts = SyncOptions(**{**options.__dict__, "dry_run": name == "dry run"})
                with Fetcher(Politeness(delay=args.delay, concurrency=2)) as fetcher:
                    t = time.perf_counter()
                    report = run_sync(synced, fetcher, opts)
                    seconds = time.perf_counter() - t
                print(_report_line(name, seconds, report))
                if name == "dry run":
                    print(f"  would fetch {len(report.to_fetch)} publications")
            print(
                f"stored: {len(synced.inspections())} inspections, {len(synced.letters())} letters"
            )
    finally:
        served.stop()
    print(f"peak memory: {_peak_mb():.0f} MB (this process; PDF reading in {args.jobs} workers)")
    print(f"store in {folder}")


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
    parser.add_argument("--archive", action="store_true", help="the whole fake archive")
    args = parser.parse_args()
    if args.archive:
        archive(args)
        return
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
                print(_report_line(name, seconds, report))
            same = (len(synced.inspections()), len(synced.letters())) == counts
            print(f"same number of records as the direct ingest: {'yes' if same else 'NO'}")
    finally:
        served.stop()
    print(f"peak memory: {_peak_mb():.0f} MB (this process; PDF reading in {args.jobs} workers)")
    print(f"stores in {folder}")


if __name__ == "__main__":
    main()
