"""Users (ofsted_csc.plans.accounts), on SQLite and PostgreSQL: the last admin, passwords hashed
by argon2, and nothing hashed when the module is imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from ofsted_csc.domain.errors import (
    AuthenticationFailed,
    EmailNotVerified,
    InvalidInput,
    NoAccount,
)
from ofsted_csc.plans import accounts
from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import Permission, Role
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


def test_single_sign_on_finds_the_user_by_verified_email_and_makes_one_with_no_role(
    store: Store,
) -> None:
    with pytest.raises(NoAccount, match="no admin yet"):  # the first user is an admin, by hand
        accounts.single_sign_on_user(store, "ada@council.example", True, create=True)
    admin = accounts.user_create(
        store,
        None,
        "ada",
        role=Role.ADMIN,
        password="a long passphrase",
        email="Ada@Council.example",
    )
    assert accounts.single_sign_on_user(store, " ADA@council.EXAMPLE ", "true").id == admin.id
    for verified in (False, "false", None, 1, "yes"):
        with pytest.raises(EmailNotVerified):
            accounts.single_sign_on_user(store, "ada@council.example", verified)
    with pytest.raises(EmailNotVerified):
        accounts.single_sign_on_user(store, None, True)
    with pytest.raises(NoAccount, match="no account"):
        accounts.single_sign_on_user(store, "lee@council.example", True)
    # made: named from the address, with "-2" when the name is taken; no role, no password
    accounts.user_create(store, admin, "lee", role=Role.VIEWER)
    lee = accounts.single_sign_on_user(
        store, "Lee@council.example", True, create=True, display_name="Lee\u0007 Officer"
    )
    assert (lee.username, lee.role, lee.can_sign_in) == ("lee-2", Role.NONE, False)
    assert lee.display_name == "Lee Officer" and not any(lee.can(p) for p in Permission)
    odd = accounts.single_sign_on_user(store, "+@council.example", True, create=True)
    assert odd.username == "user" and odd.display_name == "user"
    # two users with one address: neither is chosen
    accounts.user_create(store, admin, "ada2", role=Role.VIEWER, email="ada@council.example")
    with pytest.raises(NoAccount, match="more than one"):
        accounts.single_sign_on_user(store, "ada@council.example", True)
    # deactivated: refused, and not replaced by a new user
    accounts.user_update(store, admin, "lee-2", active=False)
    with pytest.raises(NoAccount, match="deactivated"):
        accounts.single_sign_on_user(store, "lee@council.example", True, create=True)
    assert isinstance(NoAccount("x"), AuthenticationFailed)
