"""Users through the API: adding and changing them, signing in, the user the CLI acts as,
their personal access tokens for the JSON API, the web app's server-side sessions and its
sign-in rate limit's counts (shared by every server process). The CLI's `user` commands and
the web app's sign-in, user pages and API tokens call only these.

    from ofsted_csc.api import users
    admin = users.user_create(store, None, "ada", role=Role.ADMIN, password="...")
    users.authenticate(store, "ada", "...")          # AuthenticationFailed if not right
    new = users.token_create(store, admin, name="uploads", scope=TokenScope.READ_WRITE)
    users.token_authenticate(store, new.secret)      # the API token's user and scope

Errors are typed (ofsted_csc.domain.errors); roles are `ofsted_csc.plans.rules.Role`.
"""

from __future__ import annotations

from ofsted_csc.plans.accounts import (
    acting_reader,
    acting_user,
    authenticate,
    lead_candidates,
    single_sign_on_user,
    user_by_id,
    user_create,
    user_get,
    user_list,
    user_update,
)
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.memberships import (
    Group,
    Membership,
    council_urn,
    group_add,
    group_create,
    group_remove,
    groups,
    membership_remove,
    membership_set,
    memberships,
    sharing,
    sharing_set,
)
from ofsted_csc.plans.rules import TokenScope
from ofsted_csc.plans.tokens import (
    NewToken,
    Token,
    TokenUser,
    token_authenticate,
    token_create,
    token_list,
    token_revoke,
)
from ofsted_csc.storage import Store
from ofsted_csc.storage.rate_limits import (
    rate_clear,
    rate_delete_ended,
    rate_hit,
    rate_hits,
    rate_window_end,
)
from ofsted_csc.storage.sessions import (
    session_data,
    session_delete,
    session_save,
    sessions_delete_expired,
)

__all__ = [
    "OPERATOR",
    "Group",
    "Membership",
    "NewToken",
    "Store",
    "Token",
    "TokenScope",
    "TokenUser",
    "User",
    "acting_reader",
    "acting_user",
    "authenticate",
    "council_urn",
    "group_add",
    "group_create",
    "group_remove",
    "groups",
    "lead_candidates",
    "membership_remove",
    "membership_set",
    "memberships",
    "rate_clear",
    "rate_delete_ended",
    "rate_hit",
    "rate_hits",
    "rate_window_end",
    "session_data",
    "session_delete",
    "session_save",
    "sessions_delete_expired",
    "sharing",
    "sharing_set",
    "single_sign_on_user",
    "token_authenticate",
    "token_create",
    "token_list",
    "token_revoke",
    "user_by_id",
    "user_create",
    "user_get",
    "user_list",
    "user_update",
]
