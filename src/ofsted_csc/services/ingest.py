"""The one way a document gets into the store: read it, apply its corrections, decide
unchanged / read again / new, and save it in one transaction (Store.save, which applies the
corrections itself so that no caller can store a reading without them).

`ingest` (the CLI's and the web upload's) and `sync` (services/sync.py) both come here:

    summary = ingest(store, ["reports/"], jobs=2, corrections=load_corrections("fix.csv"))
    outcome = save_read(writer, path, parse_data(data, path))    # one file, any writer
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import CorrectionsError, DocumentError, InvalidInput
from ofsted_csc.domain.records import Correction, ParseResult
from ofsted_csc.parsing.corrections import (
    NO_CORRECTIONS,
    Corrections,
    corrections_key,
    load_corrections,
)
from ofsted_csc.parsing.document import PARSER_VERSION, sha256_of
from ofsted_csc.services.reader import read_all, read_bytes
from ofsted_csc.services.themes import retheme, save_missing_themes, themes_of
from ofsted_csc.storage import ItemThemes, SaveOutcome, Store, Themes

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


# -- reading (in bounded worker processes: services/reader.py) --


def check_jobs(jobs: int) -> None:
    """Refuse a number of worker processes below 1 (ingest --jobs, sync --jobs): one wording."""
    if jobs < 1:
        raise InvalidInput(f"--jobs must be 1 or more, not {jobs}")


CHANGED_WHILE_READ = (
    "the file changed while it was being read (written to by another program?): nothing "
    "stored; ingest it again once it is complete"
)


def parse_data(data: bytes, path: Path) -> ParseResult | DocumentError:
    """Read one file's bytes within the reading limits (services/reader.py); a refusal
    comes back as its error."""
    return next(read_all([(path, data)]))


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
    called after each file. Each stored inspection and letter is stored with its themes;
    at the end, the themes of documents stored before (or themed by another taxonomy
    version) are brought up to date (services.themes.retheme).
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
    # files stored without page text (before search): read again to index them, their
    # record left as it is (those in review are said to be in review again, as below:
    # `reindex` indexes them)
    unindexed = {sha for sha, _name in store.unindexed()}
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
                and (sha not in unindexed or known.outcome == "review")
            ):
                if known.outcome == "review":  # still needs review: say so again
                    reasons = tuple(store.find(sha).result.review_reasons)
                    report(FileOutcome(str(path), "review", sha, reasons))
                else:
                    report(FileOutcome(str(path), "unchanged", sha))
                continue
            yield path, data, sha, list(wanted)

    # Read in bounded worker processes (`jobs` of them), a few files ahead of the one being
    # stored, so that storing one file overlaps reading the next. Each worker reads its
    # file from disk itself (the operating system's cache holds it: cheaper than sending
    # the bytes over a socket, a tenth of all the CPU time of an ingest); a file that
    # changed after it was hashed here is refused, so what is stored is what was read.
    todo: deque[tuple[Path, bytes | None, str, list[Correction]]] = deque()

    def jobs_of() -> Iterator[tuple[Path, bytes | None]]:
        for path, data, sha, wanted in pending():
            todo.append((path, data if keep_pdf else None, sha, wanted))
            yield path, None

    for result in read_all(jobs_of(), jobs):
        path, kept, sha, wanted = todo.popleft()
        if not isinstance(result, DocumentError) and result.source.sha256 != sha:
            result = DocumentError(path.name, CHANGED_WHILE_READ)
        report(save_read(store, path, result, wanted, kept))
    retheme(store)
    return summary


def read_files(paths: Sequence[Path], jobs: int = 1) -> Iterator[ParseResult | DocumentError]:
    """Read files (in `jobs` bounded worker processes, which read the files themselves), in
    order: each a ParseResult, or the DocumentError that refused it. Nothing is stored."""
    yield from read_all(((path, None) for path in paths), jobs)


class Writer(Protocol):
    """Where a reading is saved: the Store (a transaction per file) or a sync's writer (the
    sync's one transaction). Both apply the corrections in the same way, and store a
    document's themes (services.themes) in the same way."""

    def save(
        self,
        result: ParseResult,
        data: bytes | None = None,
        corrections: Sequence[Correction] | None = None,
        *,
        themes: Themes | None = None,
    ) -> SaveOutcome: ...

    def save_themes(self, sha256: str, version: str, items: Sequence[ItemThemes]) -> bool: ...

    def needs_themes(self, sha256: str, version: str) -> bool: ...


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
    is written. An inspection or letter stored (or held unchanged without themes of the
    current taxonomy) gets its themes, from the record as the save corrected it."""
    if isinstance(result, DocumentError):
        return FileOutcome(str(path), "refused", reasons=(result.message,))
    themes = themes_of(result)
    try:
        # an inspection or letter is stored with its themes, in the save's one transaction
        saved = writer.save(result, data, corrections, themes=themes)
    except CorrectionsError as exc:
        return FileOutcome(str(path), "refused", result.source.sha256, reasons=(exc.message,))
    if saved is SaveOutcome.UNCHANGED:  # stored before: themes only if it has none current
        save_missing_themes(writer, result.source.sha256, themes)
    record = result.record
    kind = record.kind.value if record.kind else None
    reasons = tuple(result.review_reasons) if saved is SaveOutcome.REVIEW else ()
    return FileOutcome(
        str(path), saved.value, result.source.sha256, reasons, kind, record.council_urn
    )
