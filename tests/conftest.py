from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The development corpus sits beside the repository (../shared); tests that read it skip
# cleanly when it is absent.
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "reports").is_dir():
        pytest.skip("the development corpus (../shared/corpus) is not here")
    return CORPUS
