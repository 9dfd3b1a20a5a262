"""Benchmark: ingest a folder of PDFs and compare with plain text extraction.

    python benchmarks/ingest.py FOLDER [--jobs 1 2] [--no-pdf] [--rounds 3] [--stages] [--no-cli]

Each measurement runs in a fresh Python process into a fresh SQLite database, so peak
memory (max resident set size, including worker processes) is the measurement's own.
Prints files, pages, seconds, reports per second, pages per second, peak memory, and
the ratio of ingest time to plain text extraction of the same files with the same
library (pypdfium2: open, get every page's text, close). Then `ofsted-csc ingest` as a
user runs it (a subprocess, its start-up included), by wall time and by CPU seconds over all
its processes: what it costs beyond plain extraction on one core (the bomb and damage checks,
layout of every line, parsing, storing with the full-text index).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _pdfs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # ru_maxrss is in KiB on Linux


def measure_plain(folder: Path) -> dict[str, float]:
    import pypdfium2 as pdfium

    files = pages = 0
    start = time.perf_counter()
    for path in _pdfs(folder):
        data = path.read_bytes()
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            continue
        files += 1
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return {"seconds": time.perf_counter() - start, "files": files, "pages": pages}


def measure_ingest(folder: Path, jobs: int, keep_pdf: bool) -> dict[str, float]:
    from ofsted_csc import api

    with tempfile.TemporaryDirectory() as tmp:
        store = api.open_store(f"sqlite:///{tmp}/bench.sqlite")
        start = time.perf_counter()
        summary = api.ingest(store, [folder], jobs=jobs, keep_pdf=keep_pdf)
        seconds = time.perf_counter() - start
        pages = sum(
            item.result.source.page_count for item in [*store.inspections(), *store.letters()]
        )
        store.close()
    read = len(summary.stored) + len(summary.review)
    return {
        "seconds": seconds,
        "files": len(summary.files),
        "read": read,
        "refused": len(summary.refused),
        "pages": pages,
    }


def measure_paired(folder: Path, keep_pdf: bool) -> dict[str, float]:
    """File by file, plain extraction then ingest of the same file (one `api.ingest` call
    each, so its fixed costs count every time): a ratio that a machine's drifting speed
    moves little, since both halves of every pair run at the same moment."""
    import pypdfium2 as pdfium

    from ofsted_csc import api

    plain = ingest = 0.0
    files = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = api.open_store(f"sqlite:///{tmp}/bench.sqlite")
        api.ingest(store, [])  # migrations and first-use loading, outside the timing
        for path in _pdfs(folder):
            start = time.perf_counter()
            data = path.read_bytes()
            try:
                pdf = pdfium.PdfDocument(data)
                for page in pdf:
                    textpage = page.get_textpage()
                    textpage.get_text_range()
                    textpage.close()
                    page.close()
                pdf.close()
            except pdfium.PdfiumError:
                pass
            middle = time.perf_counter()
            api.ingest(store, [path], keep_pdf=keep_pdf)
            plain += middle - start
            ingest += time.perf_counter() - middle
            files += 1
        store.close()
    return {"plain": plain, "ingest": ingest, "files": files}


def measure_stages(folder: Path, keep_pdf: bool) -> dict[str, float]:
    """File by file, plain extraction then each stage of ingest on the same bytes: reading
    the PDF (the bomb check, pypdfium2 with the layout of each line, the damage check),
    parsing, storing. Says where the time
    beyond plain extraction goes."""
    import pypdfium2 as pdfium

    from ofsted_csc import api
    from ofsted_csc.domain.errors import DocumentError
    from ofsted_csc.domain.limits import MAX_INFLATED_BYTES
    from ofsted_csc.domain.records import ParseResult, SourceFile
    from ofsted_csc.parsing import document
    from ofsted_csc.parsing.pdf import read_pdf
    from ofsted_csc.services.ingest import save_read

    seconds = dict.fromkeys(("plain", "read", "parse", "store"), 0.0)
    limit = MAX_INFLATED_BYTES
    clock = time.perf_counter
    with tempfile.TemporaryDirectory() as tmp:
        store = api.open_store(f"sqlite:///{tmp}/bench.sqlite")
        for path in _pdfs(folder):
            data = path.read_bytes()
            t0 = clock()
            try:
                pdf_doc = pdfium.PdfDocument(data)
                for page in pdf_doc:
                    textpage = page.get_textpage()
                    textpage.get_text_range()
                    textpage.close()
                    page.close()
                pdf_doc.close()
            except pdfium.PdfiumError:
                pass
            t1 = clock()
            try:
                pdf = read_pdf(data, path.name, limit)
            except DocumentError:
                continue
            t2 = clock()
            source = SourceFile(
                path.name,
                document.sha256_of(data),
                len(data),
                pdf.page_count,
                pdf.created,
                pdf.modified,
            )
            result: ParseResult | DocumentError
            try:
                result = document.parse_pdf_text(pdf, source)
            except DocumentError as exc:
                result = exc
            t3 = clock()
            save_read(store, path, result, None, data if keep_pdf else None)
            t4 = clock()
            for key, spent in (
                ("plain", t1 - t0),
                ("read", t2 - t1),
                ("parse", t3 - t2),
                ("store", t4 - t3),
            ):
                seconds[key] += spent
        store.close()
    return seconds


def measure_cli(folder: Path, keep_pdf: bool, jobs: int | None) -> dict[str, float]:
    """`ofsted-csc ingest FOLDER` as a user runs it (its start-up included; its default
    --jobs, one reader per CPU up to 4, unless `jobs` is given), into a fresh SQLite
    store: wall seconds, and CPU seconds of the command and its reading processes."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "ofsted_csc", "--db", f"sqlite:///{tmp}/cli.sqlite"]
        cmd += ["ingest", str(folder)]
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        if not keep_pdf:
            cmd.append("--no-pdf")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: something refused or in review, as in the corpus
        raise SystemExit(f"ofsted-csc ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu}


def _child(args: argparse.Namespace) -> None:
    folder = Path(args.folder)
    if args.child == "plain":
        out = measure_plain(folder)
    elif args.child == "paired":
        out = measure_paired(folder, args.keep_pdf)
    elif args.child == "stages":
        out = measure_stages(folder, args.keep_pdf)
    else:
        out = measure_ingest(folder, int(args.child), args.keep_pdf)
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out))


def _run_child(folder: Path, what: str, keep_pdf: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, str(folder), "--child", what]
    if not keep_pdf:
        cmd.append("--no-pdf")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-pdf", dest="keep_pdf", action="store_false")
    parser.add_argument("--rounds", type=int, default=3, help="plain/ingest pairs to time")
    parser.add_argument(
        "--stages", action="store_true", help="also time each stage (read, parse, store)"
    )
    parser.add_argument(
        "--no-cli", dest="cli", action="store_false", help="skip timing the CLI as users run it"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    folder = Path(args.folder)
    if not folder.is_dir():
        parser.error(f"{folder}: not a folder")
    print(f"folder: {folder}  ({len(_pdfs(folder))} .pdf files)")
    ratios: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
    for round_no in range(1, args.rounds + 1):
        # plain extraction and ingest alternate, so that a machine whose speed drifts (a
        # shared host) moves both figures of a round alike
        plain = _run_child(folder, "plain", args.keep_pdf)
        print(
            f"round {round_no}: plain text extraction (pypdfium2): {plain['files']:.0f} PDFs, "
            f"{plain['pages']:.0f} pages in {plain['seconds']:.2f} s; peak {plain['peak_mb']:.0f} MB"
        )
        for jobs in args.jobs:
            r = _run_child(folder, str(jobs), args.keep_pdf)
            ratio = r["seconds"] / plain["seconds"]
            ratios[jobs].append(ratio)
            print(
                f"  ingest --jobs {jobs}: {r['read']:.0f} read, {r['refused']:.0f} refused, "
                f"{r['pages']:.0f} pages in {r['seconds']:.2f} s = "
                f"{r['read'] / r['seconds']:.1f} reports/s, {r['pages'] / r['seconds']:.0f} "
                f"pages/s; peak {r['peak_mb']:.0f} MB; {ratio:.2f}x plain extraction"
            )
    if args.cli:
        # the command as users run it, beside plain extraction timed just before it
        plain = _run_child(folder, "plain", args.keep_pdf)
        for jobs in (None, 1):
            cli = measure_cli(folder, args.keep_pdf, jobs)
            how = "default --jobs" if jobs is None else f"--jobs {jobs}"
            print(
                f"ofsted-csc ingest ({how}, start-up included): {cli['seconds']:.2f} s wall = "
                f"{cli['seconds'] / plain['seconds']:.2f}x plain extraction on one core "
                f"({plain['seconds']:.2f} s); {cli['cpu']:.2f} CPU seconds in all processes = "
                f"{cli['cpu'] / plain['seconds']:.2f}x"
            )
    if args.stages:
        st = _run_child(folder, "stages", args.keep_pdf)
        plain_s = st["plain"]
        print(
            f"stages, file by file: plain {plain_s:.2f} s; reading the PDF "
            f"+{(st['read'] - plain_s) / plain_s:.3f}x, parsing +{st['parse'] / plain_s:.3f}x, "
            f"storing +{st['store'] / plain_s:.3f}x: "
            f"{(st['read'] + st['parse'] + st['store']) / plain_s:.2f}x plain extraction"
        )
    paired = _run_child(folder, "paired", args.keep_pdf)
    print(
        f"paired, file by file (--jobs 1): plain {paired['plain']:.2f} s, ingest "
        f"{paired['ingest']:.2f} s over {paired['files']:.0f} files: "
        f"{paired['ingest'] / paired['plain']:.2f}x plain extraction"
    )
    for jobs, values in ratios.items():
        print(
            f"ingest --jobs {jobs} / plain extraction over {len(values)} rounds: median "
            f"{statistics.median(values):.2f}x (min {min(values):.2f}x, max {max(values):.2f}x)"
        )


if __name__ == "__main__":
    main()
