"""The accounts domain in one import (``from ipops.accounts import service``): the use cases
of :mod:`organisations`, :mod:`users`, :mod:`logins`, :mod:`tokens` and :mod:`websessions`.

Services are keyword-only, take an explicit session and flush only (the edge commits); every
change is audited through the ``actor`` argument.
"""

from __future__ import annotations

from ipops.accounts.logins import (
    LOGIN_HISTORY_KEPT,
    LOGIN_WINDOW,
    MAX_FAILED_LOGINS,
    authenticate,
    check_login_allowed,
)
from ipops.accounts.organisations import (
    ORG_SORTABLE,
    create_organisation,
    ensure_organisation,
    get_organisation,
    get_organisation_by_name,
    list_organisations,
    organisation_snapshot,
)
from ipops.accounts.tokens import (
    TOKEN_CACHE_SECONDS,
    TOKEN_LIFETIME,
    TOKEN_PREFIX,
    TOKEN_SORTABLE,
    TOKEN_TOUCH_INTERVAL,
    forget_known_tokens,
    get_token,
    hash_token,
    issue_token,
    list_tokens,
    remembered_user_for_token,
    revoke_token,
    user_for_token,
    watch_revocations,
)
from ipops.accounts.users import (
    USER_SORTABLE,
    Credential,
    change_own_password,
    check_username,
    create_user,
    end_sessions_of,
    get_user,
    get_user_by_username,
    list_users,
    normalize_username,
    require_user_by_username,
    set_password,
    set_user_active,
    user_snapshot,
)
from ipops.accounts.websessions import (
    ENDED_SESSIONS_KEPT,
    WEB_SESSION_LIFETIME,
    end_web_session,
    start_web_session,
    user_for_web_session,
)

__all__ = [
    "ENDED_SESSIONS_KEPT",
    "LOGIN_HISTORY_KEPT",
    "LOGIN_WINDOW",
    "MAX_FAILED_LOGINS",
    "ORG_SORTABLE",
    "TOKEN_CACHE_SECONDS",
    "TOKEN_LIFETIME",
    "TOKEN_PREFIX",
    "TOKEN_SORTABLE",
    "TOKEN_TOUCH_INTERVAL",
    "USER_SORTABLE",
    "WEB_SESSION_LIFETIME",
    "Credential",
    "authenticate",
    "change_own_password",
    "check_login_allowed",
    "check_username",
    "create_organisation",
    "create_user",
    "end_sessions_of",
    "end_web_session",
    "ensure_organisation",
    "forget_known_tokens",
    "get_organisation",
    "get_organisation_by_name",
    "get_token",
    "get_user",
    "get_user_by_username",
    "hash_token",
    "issue_token",
    "list_organisations",
    "list_tokens",
    "list_users",
    "normalize_username",
    "organisation_snapshot",
    "remembered_user_for_token",
    "require_user_by_username",
    "revoke_token",
    "set_password",
    "set_user_active",
    "start_web_session",
    "user_for_token",
    "user_for_web_session",
    "user_snapshot",
    "watch_revocations",
]
