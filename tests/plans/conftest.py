"""A store holding one real report, and three people: an admin, an editor and a viewer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ofsted_csc import api
from ofsted_csc.plans import accounts
from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import Role
from ofsted_csc.storage import Store

from .helpers import REPORT


@pytest.fixture
def store(db_url: str, fixtures_dir: Path) -> Iterator[Store]:
    st = api.open_store(db_url)
    api.ingest(st, [fixtures_dir / "reports" / REPORT])
    yield st
    st.close()


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    admin = accounts.user_create(store, None, "ada", role=Role.ADMIN, password="a long passphrase")
    editor = accounts.user_create(store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR)
    viewer = accounts.user_create(store, admin, "vi", role=Role.VIEWER)
    return {"admin": admin, "editor": editor, "viewer": viewer}
