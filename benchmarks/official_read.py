"""Benchmark: reading Ofsted's official statistics spreadsheets, and importing them.

    python benchmarks/official_read.py [FILE.ods ...] [--rounds 3]

For each spreadsheet (default: ../shared/official/*.ods beside the repository) prints the
rows read and the median, fastest and slowest time of `read_edition` (python-calamine reads
the sheets an edition names), then the time of `import-official` of all of them into a fresh
SQLite store (reading, matching councils and saving, as the command does).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ofsted_csc import api  # noqa: E402
from ofsted_csc.domain.councils import load_registry  # noqa: E402
from ofsted_csc.sources.official import read_edition  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", "-n", type=int, default=3, help="Reads of each (default 3).")
    args = parser.parse_args()
    files = args.files or sorted((ROOT.parent / "shared" / "official").glob("*.ods"))
    if not files:
        sys.exit("no spreadsheets: pass FILE.ods, or put ../shared/official beside the repository")
    registry = load_registry()
    for path in files:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            edition, rows = read_edition(path, registry)
            times.append(time.perf_counter() - start)
        size = path.stat().st_size / 1e6
        print(
            f"{path.name} ({size:.1f} MB, {edition.key}): {len(rows)} rows, read in median "
            f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"
        )
    with (
        tempfile.TemporaryDirectory(prefix="ofsted-csc-official-") as tmp,
        api.open_store(f"sqlite:///{Path(tmp) / 'store.sqlite'}") as store,
    ):
        start = time.perf_counter()
        total = sum(api.import_official(store, path)[1] for path in files)
        took = time.perf_counter() - start
    print(f"import-official of {len(files)} file(s): {total} rows in {took:.2f} s")


if __name__ == "__main__":
    main()
