"""The one way a document gets into the store: read it, apply its corrections, decide
unchanged / read again / new, and save it in one transaction (Store.save, which applies the
corrections itself so that no caller can store a reading without them).

`ingest` (the CLI's and the web upload's) and `sync` (services/sync.py) both come here:

    summary = ingest(store, ["reports/"], jobs=2, corrections=load_corrections("fix.csv"))
    outcome = save_read(writer, path, parse_data(data, path))    # one file, any writer
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import CorrectionsError, DocumentError, FileTooLarge, InvalidInput
from ofsted_csc.domain.limits import MAX_BYTES, document_too_large
from ofsted_csc.domain.records import Correction, ParseResult
from ofsted_csc.parsing.corrections import (
    NO_CORRECTIONS,
    Corrections,
    corrections_key,
    load_corrections,
)
from ofsted_csc.parsing.document import PARSER_VERSION, parse_document, sha256_of
from ofsted_csc.storage import SaveOutcome, Store

__all__ = [
    "FileOutcome",
    "IngestSummary",
    "ProgressCallback",
    "Writer",
    "find_files",
    "ingest",
    "parse_data",
    "read_bytes",
    "read_files",
    "save_read",
]


@dataclass(frozen=True)
class FileOutcome:
    """What ingest did with one file."""

    path: str
    outcome: str  # stored, replaced, unchanged, review, refused
    sha256: str | None = None
    reasons: tuple[str, ...] = ()  # refusal message, or the review reasons
    kind: str | None = None  # kind of record stored (standard, full, focused_visit, ...)
    council: str | None = None


@dataclass
class IngestSummary:
    files: list[FileOutcome] = field(default_factory=list)

    def _of(self, outcome: str) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == outcome]

    @property
    def stored(self) -> list[FileOutcome]:
        return self._of("stored")

    @property
    def replaced(self) -> list[FileOutcome]:
        return self._of("replaced")

    @property
    def unchanged(self) -> list[FileOutcome]:
        return self._of("unchanged")

    @property
    def review(self) -> list[FileOutcome]:
        return self._of("review")

    @property
    def refused(self) -> list[FileOutcome]:
        return self._of("refused")

    @property
    def ok(self) -> bool:
        """True when nothing was refused or left needing review."""
        return not self.refused and not self.review


# -- finding files --


def _is_pdf_name(path: Path) -> bool:
    return path.suffix.lower() == ".pdf"


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files named, and PDFs under folders named (recursively, sorted), de-duplicated.

    Paths that do not exist come back as refusals.
    """
    found: dict[Path, None] = {}
    missing: list[FileOutcome] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and _is_pdf_name(sub) and not sub.name.startswith("."):
                    found.setdefault(sub, None)
        elif path.is_file():
            found.setdefault(path, None)
        else:
            missing.append(
                FileOutcome(str(path), "refused", reasons=(f"{path}: no such file or folder",))
            )
    return list(found), missing


# -- reading (in worker processes when jobs > 1) --


def check_jobs(jobs: int) -> None:
    """Refuse a number of worker processes below 1 (ingest --jobs, sync --jobs): one wording."""
    if jobs < 1:
        raise InvalidInput(f"--jobs must be 1 or more, not {jobs}")


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror})") from exc
    if size > MAX_BYTES:
        raise FileTooLarge(path.name, document_too_large(size))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(path.name, f"cannot be read ({exc.strerror})") from exc


def _parse_path(path: Path) -> ParseResult | DocumentError:
    """Read one file (in a worker process); a refusal comes back as its error."""
    try:
        data = read_bytes(path)
    except DocumentError as exc:
        return exc
    return parse_data(data, path)


def parse_data(data: bytes, path: Path) -> ParseResult | DocumentError:
    """Parse one file's bytes; a refusal comes back as its error."""
    try:
        return parse_document(data, path.name, load_registry())
    except DocumentError as exc:
        return exc
    except Exception as exc:  # a parser bug must not stop the other files
        return DocumentError(
            path.name,
            f"could not be read because of an error in ofsted-csc ({type(exc).__name__}: "
            f"{exc}); please report it with the file",
        )


# -- ingest --

ProgressCallback = Callable[[FileOutcome, int, int], None]


def ingest(
    store: Store,
    paths: Sequence[str | Path],
    *,
    jobs: int = 1,
    corrections: Corrections | str | Path | None = None,
    keep_pdf: bool = True,
    on_progress: ProgressCallback | None = None,
) -> IngestSummary:
    """Read files and folders into the store, one transaction per file.

    A file already stored, read by this parser version with the same corrections, is
    left alone. A refused file changes nothing. `on_progress(outcome, done, total)` is
    called after each file.
    """
    check_jobs(jobs)
    if isinstance(corrections, str | Path):
        corrections = load_corrections(corrections, load_registry())
    corrections = corrections or NO_CORRECTIONS
    files, missing = find_files(paths)
    summary = IngestSummary(list(missing))
    total = len(files) + len(missing)

    reported = set(summary.files)  # (a set: a list's `in` made a big ingest quadratic)

    def report(outcome: FileOutcome) -> None:
        if outcome not in reported:
            reported.add(outcome)
            summary.files.append(outcome)
        if on_progress is not None:
            on_progress(outcome, len(summary.files), total)

    for outcome in missing:
        if on_progress is not None:
            on_progress(outcome, missing.index(outcome) + 1, total)

    stored = store.known_all() if len(files) > 1 else None  # what was stored before this run
    seen: set[str] = set()

    def pending() -> Iterator[tuple[Path, bytes, str, list[Correction]]]:
        """Files to read: those the store holds as read by this parser with the same
        corrections are skipped without parsing (hashing is cheap next to reading)."""
        for path in files:
            try:
                data = read_bytes(path)
            except DocumentError as exc:
                report(FileOutcome(str(path), "refused", reasons=(exc.message,)))
                continue
            sha = sha256_of(data)
            supplied = corrections.for_file(sha)
            # the same file twice in one run: ask the store, which may hold it by now
            known = store.known(sha) if stored is None or sha in seen else stored.get(sha)
            seen.add(sha)
            wanted = supplied
            if not supplied and known is not None and known.corrections_key:
                wanted = store.stored_corrections(sha)  # kept: Store.save would keep them too
            if (
                known is not None
                and known.parser_version == PARSER_VERSION
                and known.corrections_key == corrections_key(wanted)
            ):
                if known.outcome == "review":  # still needs review: say so again
                    reasons = tuple(store.find(sha).result.review_reasons)
                    report(FileOutcome(str(path), "review", sha, reasons))
                else:
                    report(FileOutcome(str(path), "unchanged", sha))
                continue
            yield path, data, sha, list(wanted)

    if jobs == 1:
        for path, content, _sha, wanted in pending():
            result = parse_data(content, path)
            report(save_read(store, path, result, wanted, content if keep_pdf else None))
        return summary

    # Several processes: workers read the files themselves (only paths and records cross
    # process lines); the PDF is read again here to be kept, and must not have changed.
    todo = [(path, sha, wanted) for path, _data, sha, wanted in pending()]
    for (path, sha, wanted), result in zip(
        todo, _parse_in_pool([t[0] for t in todo], jobs), strict=True
    ):
        data: bytes | None = None
        if keep_pdf and not isinstance(result, DocumentError):
            try:
                data = read_bytes(path)
            except DocumentError as exc:
                report(FileOutcome(str(path), "refused", sha, (exc.message,)))
                continue
            if sha256_of(data) != sha:
                problem = f"{path.name}: the file changed while it was being read; ingest it again"
                report(FileOutcome(str(path), "refused", sha, (problem,)))
                continue
        report(save_read(store, path, result, wanted, data))
    return summary


def read_files(paths: Sequence[Path], jobs: int = 1) -> Iterator[ParseResult | DocumentError]:
    """Read files (in `jobs` processes), in order: each a ParseResult, or the DocumentError
    that refused it. Nothing is stored."""
    if jobs <= 1:
        yield from (_parse_path(path) for path in paths)
    else:
        yield from _parse_in_pool(list(paths), jobs)


def _parse_in_pool(paths: list[Path], jobs: int) -> Iterator[ParseResult | DocumentError]:
    import multiprocessing

    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(_parse_path, paths, chunksize=4)


class Writer(Protocol):
    """Where a reading is saved: the Store (a transaction per file) or a sync's writer (the
    sync's one transaction). Both apply the corrections in the same way."""

    def save(
        self,
        result: ParseResult,
        data: bytes | None = None,
        corrections: Sequence[Correction] | None = None,
    ) -> SaveOutcome: ...


def save_read(
    writer: Writer,
    path: Path,
    result: ParseResult | DocumentError,
    corrections: Sequence[Correction] | None = None,
    data: bytes | None = None,
) -> FileOutcome:
    """Store one file's reading (or say why it was refused): the one way ingest, sync and
    accepting official values store a file. `corrections` replace those the store holds for
    the file; none keeps them. A correction that does not fit refuses the file, and nothing
    is written."""
    if isinstance(result, DocumentError):
        return FileOutcome(str(path), "refused", reasons=(result.message,))
    try:
        saved = writer.save(result, data, corrections)
    except CorrectionsError as exc:
        return FileOutcome(str(path), "refused", result.source.sha256, reasons=(exc.message,))
    record = result.record
    kind = record.kind.value if record.kind else None
    reasons = tuple(result.review_reasons) if saved is SaveOutcome.REVIEW else ()
    return FileOutcome(
        str(path), saved.value, result.source.sha256, reasons, kind, record.council_urn
    )
