from __future__ import annotations

import pytest
from syncsite import make_site, site_registry

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.sources.fakesite import FakeSite


@pytest.fixture
def site() -> FakeSite:
    return make_site()


@pytest.fixture(scope="session")
def registry() -> CouncilRegistry:
    return site_registry()
