"""Damage real PDFs on purpose and see what ofsted-csc makes of them (issue 23).

    python tools/damage.py FILES_OR_FOLDERS [--seed 1] [--per-kind 2] [--files 40]
                           [--kinds flip zero dup cut ...] [--jobs 2] [--show different]

Each case is one damaged copy of one intact file: its kind of damage and number, with a
random generator seeded from (seed, file name, kind, number), so any case can be made
again on its own (`--case FILE:KIND:N` prints what it did). The kinds:

    flip         a few bytes anywhere flipped (every bit inverted)
    zero         a range of bytes anywhere set to zero
    dup          a chunk of the file repeated in place
    cut          the tail cut off
    flip-stream, zero-stream, dup-stream
                 the same inside a page's content stream (where the text is)

Both copies are read through the real reading path (services.ingest.parse_data, whose
review reasons decide stored or review), and each damaged copy is counted as:

    refused      refused with a typed error (nothing stored)
    review       read, but sent to review with its reasons
    identical    stored, with every value the intact file's (warnings aside)
    different    stored, with values that differ from the intact file's: the failure

Files whose intact copy is itself refused or sent to review are left out. Prints a table
by kind of damage, and exits 1 when any damaged copy was stored with different values.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("flip", "zero", "dup", "cut", "flip-stream", "zero-stream", "dup-stream")
OUTCOMES = ("refused", "review", "identical", "different")

_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = re.compile(rb"\r?\nendstream")


def content_ranges(data: bytes) -> list[tuple[int, int]]:
    """(start, end) byte offsets of the data of each stream in the file (its object's
    dictionary not included); content streams are among them, and the biggest usually."""
    out: list[tuple[int, int]] = []
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3) : m.start()] == b"end":  # "endstream"
            continue
        end = _ENDSTREAM.search(data, m.end())
        if end is None:
            continue
        if end.start() - m.end() > 16:
            out.append((m.end(), end.start()))
    return out


def _where(data: bytes, rng: random.Random, in_stream: bool, length: int) -> int:
    """A position for `length` bytes of damage: anywhere after the header, or inside a
    stream chosen by its size (so page content, the bulk of a file, is hit most)."""
    if in_stream:
        ranges = content_ranges(data)
        if ranges:
            weights = [b - a for a, b in ranges]
            a, b = rng.choices(ranges, weights=weights)[0]
            return rng.randrange(a, max(a + 1, b - length))
    return rng.randrange(16, max(17, len(data) - length))


def damage(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, str]:
    """A damaged copy of `data` and a note of what was done."""
    in_stream = kind.endswith("-stream")
    base = kind.removesuffix("-stream")
    buf = bytearray(data)
    if base == "flip":
        count = rng.randint(1, 8)
        spots = sorted(_where(data, rng, in_stream, 1) for _ in range(count))
        for at in spots:
            buf[at] ^= 0xFF
        return bytes(buf), f"flipped bytes at {', '.join(map(str, spots))}"
    if base == "zero":
        length = rng.randint(4, 512)
        at = _where(data, rng, in_stream, length)
        buf[at : at + length] = bytes(len(buf[at : at + length]))
        return bytes(buf), f"zeroed {length} bytes at {at}"
    if base == "dup":
        length = rng.randint(16, 2048)
        at = _where(data, rng, in_stream, length)
        chunk = data[at : at + length]
        return data[: at + length] + chunk + data[at + length :], f"{length} bytes at {at} twice"
    if base == "cut":
        keep = rng.randint(len(data) // 2, len(data) - 1)
        return data[:keep], f"cut to {keep} of {len(data)} bytes"
    raise ValueError(f"unknown kind of damage: {kind}")


def case_rng(seed: int, name: str, kind: str, n: int) -> random.Random:
    """The generator of one case: the same for the same seed, file name, kind and number."""
    return random.Random(f"{seed}:{name}:{kind}:{n}")


# -- reading --


@dataclass(frozen=True)
class Reading:
    outcome: str  # refused, review, stored
    values: dict[str, Any] | None
    reasons: tuple[str, ...]


def read(data: bytes, name: str) -> Reading:
    """Read bytes through ingest's reading path: refused, review (with reasons) or stored
    (with the record's values as stored, warnings left out)."""
    from ofsted_csc.domain.errors import DocumentError
    from ofsted_csc.services.ingest import parse_data
    from ofsted_csc.storage.convert import record_to_json

    result = parse_data(data, Path(name))
    if isinstance(result, DocumentError):
        return Reading("refused", None, (result.message,))
    if result.review_reasons:
        return Reading("review", None, tuple(result.review_reasons))
    values = record_to_json(result.record)
    values.pop("warnings", None)
    return Reading("stored", values, ())


@dataclass(frozen=True)
class Case:
    file: str
    kind: str
    n: int
    outcome: str  # one of OUTCOMES, or "intact-not-stored"
    note: str
    detail: str  # the reasons, or the first fields that differ


def _differences(a: dict[str, Any], b: dict[str, Any]) -> str:
    keys = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
    parts = []
    for k in sorted(keys):
        parts.append(f"{k}: {str(a.get(k))[:80]!r} -> {str(b.get(k))[:80]!r}")
    return "; ".join(parts)


def run_file(args: tuple[str, int, Sequence[str], int]) -> list[Case]:
    """Every case for one file: read intact once, then each damaged copy."""
    path_s, seed, kinds, per_kind = args
    path = Path(path_s)
    data = path.read_bytes()
    intact = read(data, path.name)
    if intact.outcome != "stored":
        return [Case(path.name, "-", 0, "intact-not-stored", "", "; ".join(intact.reasons))]
    cases: list[Case] = []
    for kind in kinds:
        for n in range(per_kind):
            damaged, note = damage(data, kind, case_rng(seed, path.name, kind, n))
            got = read(damaged, path.name)
            if got.outcome != "stored":
                cases.append(Case(path.name, kind, n, got.outcome, note, "; ".join(got.reasons)))
            elif got.values == intact.values:
                cases.append(Case(path.name, kind, n, "identical", note, ""))
            else:
                assert intact.values is not None and got.values is not None
                diff = _differences(intact.values, got.values)
                cases.append(Case(path.name, kind, n, "different", note, diff))
    return cases


def run(
    files: Sequence[Path], seed: int, kinds: Sequence[str], per_kind: int, jobs: int = 1
) -> list[Case]:
    work = [(str(p), seed, tuple(kinds), per_kind) for p in files]
    if jobs <= 1:
        return [c for w in work for c in run_file(w)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [c for cases in pool.map(run_file, work) for c in cases]


def table(cases: Iterable[Case], kinds: Sequence[str]) -> str:
    counts: Counter[tuple[str, str]] = Counter((c.kind, c.outcome) for c in cases)
    rows = [("kind", *OUTCOMES, "total")]
    totals = Counter[str]()
    for kind in kinds:
        row = [counts[(kind, o)] for o in OUTCOMES]
        totals.update(dict(zip(OUTCOMES, row, strict=True)))
        rows.append((kind, *map(str, row), str(sum(row))))
    rows.append(("all", *(str(totals[o]) for o in OUTCOMES), str(sum(totals.values()))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    )


def sample(paths: Sequence[Path], count: int, seed: int) -> list[Path]:
    """`count` PDFs from the files and folders named, chosen by the seed (all when 0)."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.suffix.lower() == ".pdf"))
        else:
            found.append(p)
    if count and count < len(found):
        found = sorted(random.Random(seed).sample(found, count))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-kind", type=int, default=2, help="damaged copies per kind")
    parser.add_argument("--files", type=int, default=0, help="files sampled (0: all)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--show", nargs="*", choices=OUTCOMES, default=["different"], help="cases listed"
    )
    parser.add_argument("--case", help="FILE:KIND:N - make one damaged copy, print what was done")
    parser.add_argument("--out", type=Path, help="with --case: write the damaged copy here")
    args = parser.parse_args(argv)

    if args.case:
        name, kind, n = args.case.rsplit(":", 2)
        path = next(p for p in sample(args.paths, 0, args.seed) if p.name == name)
        damaged, note = damage(path.read_bytes(), kind, case_rng(args.seed, name, kind, int(n)))
        print(f"{name} {kind} {n}: {note}")
        if args.out:
            args.out.write_bytes(damaged)
        got = read(damaged, name)
        print(got.outcome, "; ".join(got.reasons))
        return 0

    files = sample(args.paths, args.files, args.seed)
    cases = run(files, args.seed, args.kinds, args.per_kind, args.jobs)
    skipped = [c for c in cases if c.outcome == "intact-not-stored"]
    cases = [c for c in cases if c.outcome != "intact-not-stored"]
    print(
        f"{len(files)} files ({len(skipped)} left out: intact copy not stored), seed {args.seed}, "
        f"{args.per_kind} per kind: {len(cases)} damaged copies"
    )
    print(table(cases, args.kinds))
    for c in cases:
        if c.outcome in args.show:
            print(f"\n{c.outcome}: {c.file}:{c.kind}:{c.n} ({c.note})\n  {c.detail}")
    return 1 if any(c.outcome == "different" for c in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
