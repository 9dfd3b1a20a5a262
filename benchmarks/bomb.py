"""Benchmark: the memory that reading a decompression or complexity bomb costs, before and
after reading was bounded (issue 23).

    python benchmarks/bomb.py [--bombs space:1024 drawing:256] [--cap-mb 4096]

Each bomb (tests/bombs.py: KIND:MB, a one-page PDF whose content inflates to MB megabytes of
spaces or of path operators) is read twice, each time in a fresh process:

- before: parsed in the process itself, as ingest read every file before (parse_document),
  under an address-space cap of --cap-mb so that the benchmark cannot exhaust the machine
  (past the cap pdfium aborts, as it did in a server held to 4 GB);
- after: `api.ingest` into a new SQLite store with the default limits (domain/limits.py).

Prints, for each, what happened, the seconds, and the peak resident memory: of the whole
process tree at once (workers included; sampled every 20 ms from /proc), and of its largest
single process (ru_maxrss from wait4, which counts the workers it reaped).

    python benchmarks/bomb.py --cost FOLDER [--rounds 3]

What the bounds cost on real reports: file by file, the same bytes parsed in process
(parse_document, as before) and through the bounded reader (the inflate check, then a worker:
bytes sent, record sent back), alternating so that a shared machine's drift moves both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants now."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(p for p, parent in parents.items() if parent == pid and p not in tree)
    return sum(rss.get(pid, 0) for pid in tree)


def _run(args: list[str], cap_mb: int | None) -> dict[str, object]:
    """Run a child of this script; its outcome, seconds, own and tree peak memory in MB."""

    def limit() -> None:
        if cap_mb:
            resource.setrlimit(resource.RLIMIT_AS, (cap_mb << 20, cap_mb << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        child = subprocess.Popen(
            [sys.executable, __file__, *args], stdout=out_file, stderr=err_file, preexec_fn=limit
        )
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.wait(0.02):
                peak = max(peak, _tree_rss(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)  # the child's own rusage
        child.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        seconds = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    own = usage.ru_maxrss / 1024
    lines = out.strip().splitlines()
    if child.returncode < 0:
        what = f"the process died ({-child.returncode}: {_signal_name(-child.returncode)})"
    elif lines:
        what = lines[-1]
    else:
        what = f"exit {child.returncode}: {err.strip().splitlines()[-1:]}"
    return {"what": what, "seconds": seconds, "own_mb": own, "tree_mb": peak / (1 << 20)}


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return "signal"


def _child_before(path: Path) -> None:
    from ofsted_csc.domain.errors import DocumentError
    from ofsted_csc.parsing.document import parse_document

    try:
        parse_document(path.read_bytes(), path.name)
        print("read")
    except DocumentError as exc:
        print(f"{type(exc).__name__}: {exc.message}")
    except MemoryError:
        print("MemoryError")


def _child_after(path: Path) -> None:
    from ofsted_csc import api

    with tempfile.TemporaryDirectory() as tmp:
        store = api.open_store(f"sqlite:///{tmp}/bench.sqlite")
        summary = api.ingest(store, [path])
        store.close()
    [outcome] = summary.files
    print(f"{outcome.outcome}: {'; '.join(outcome.reasons)}")


def measure_cost(folder: Path, rounds: int) -> None:
    from ofsted_csc.domain.errors import DocumentError
    from ofsted_csc.parsing.document import parse_document
    from ofsted_csc.parsing.streams import inflated_size
    from ofsted_csc.services.reader import read_all

    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    datas = [(p, p.read_bytes()) for p in files]
    next(read_all([datas[0]]))  # the worker started, outside the timing
    clock = time.perf_counter
    for round_no in range(1, rounds + 1):
        here = bounded = check = 0.0
        for path, data in datas:
            t0 = clock()
            with contextlib.suppress(DocumentError):
                parse_document(data, path.name)
            t1 = clock()
            next(read_all([(path, data)]))
            t2 = clock()
            inflated_size(data, 100 << 20)
            t3 = clock()
            here, bounded, check = here + t1 - t0, bounded + t2 - t1, check + t3 - t2
        print(
            f"round {round_no}: {len(datas)} files: in process {here:.2f} s, bounded reader "
            f"{bounded:.2f} s ({bounded / here:.3f}x; of which the inflate check "
            f"{check:.2f} s, {check / here:.3f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bombs", nargs="+", default=["space:1024", "drawing:256"])
    parser.add_argument("--cap-mb", type=int, default=4096, help="address space of 'before'")
    parser.add_argument("--cost", type=Path, help="a folder of real reports: what bounds cost")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cost:
        measure_cost(args.cost, args.rounds)
        return
    if args.child:
        mode, path = args.child
        (_child_before if mode == "before" else _child_after)(Path(path))
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from bombs import MIB, bomb_pdf

    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.bombs:
            kind, size = spec.split(":")
            path = Path(tmp) / f"{kind}-{size}.pdf"
            path.write_bytes(bomb_pdf(float(size), kind))
            print(
                f"{path.name}: {path.stat().st_size / MIB:.2f} MB, content inflating to "
                f"{float(size):g} MB of {kind}"
            )
            for mode, cap in (("before", args.cap_mb), ("after", None)):
                r = _run(["--child", mode, str(path)], cap)
                label = f"before (in process, capped at {cap} MB)" if cap else "after (api.ingest)"
                print(
                    f"  {label}: {r['seconds']:.1f} s, peak {r['tree_mb']:.0f} MB (process "
                    f"tree), {r['own_mb']:.0f} MB (largest single process): {r['what']}"
                )


if __name__ == "__main__":
    main()
