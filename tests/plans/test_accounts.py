"""Users (ofsted_csc.plans.accounts), on SQLite and PostgreSQL: the last admin, passwords hashed
by argon2, and nothing hashed when the module is imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from ofsted_csc.domain.errors import AuthenticationFailed, InvalidInput
from ofsted_csc.plans import accounts
from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import Role
from ofsted_csc.storage import Store


def test_the_last_admin_cannot_be_demoted_and_passwords_are_hashed(
    store: Store, people: dict[str, User]
) -> None:
    with pytest.raises(InvalidInput, match="last admin"):
        accounts.user_update(store, people["admin"], "ada", role=Role.VIEWER)
    assert accounts.authenticate(store, "ADA", "a long passphrase").username == "ada"
    with store.session() as s:
        stored = s.execute(text("SELECT password_hash FROM users WHERE username = 'ada'")).scalar()
    assert stored is not None and stored.startswith("$argon2id$") and "passphrase" not in stored
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.user_update(store, people["admin"], "ed", password="short")


IMPORT_AND_COUNT = """
import json
import argon2

hashed = []
real_hash = argon2.PasswordHasher.hash

def counting_hash(self, password, *args, **kwargs):
    hashed.append(1)
    return real_hash(self, password, *args, **kwargs)

argon2.PasswordHasher.hash = counting_hash
import ofsted_csc.plans.accounts as accounts
import ofsted_csc.api.users
import ofsted_csc.web.auth

print(json.dumps([len(hashed), accounts._dummy_hash.cache_info().currsize]))
"""


def test_importing_the_accounts_module_hashes_nothing() -> None:
    # a fresh interpreter: importing accounts (as every CLI plan command and the web app do)
    # makes no argon2 hash; the hash for unknown user names waits for the first sign-in
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_COUNT], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == [0, 0]


def test_an_unknown_user_name_is_checked_against_one_hash_made_on_first_use(
    store: Store, people: dict[str, User]
) -> None:
    accounts._dummy_hash.cache_clear()
    for _ in range(2):
        with pytest.raises(AuthenticationFailed, match="user name or password is not right"):
            accounts.authenticate(store, "nobody", "a long passphrase")
    made = accounts._dummy_hash.cache_info()
    assert (made.currsize, made.misses, made.hits) == (1, 1, 1)
    with pytest.raises(AuthenticationFailed, match="user name or password is not right"):
        accounts.authenticate(store, "ada", "the wrong passphrase")
