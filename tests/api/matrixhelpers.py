"""What the authorization matrix is made of, shared by the domain modules ``matrix_*.py``.

A row maps (method, route template) to the set of callers allowed (role names, and
``anonymous``) and a ``Request`` builder: given the caller, the concrete path and the
keyword arguments of the request. An allowed caller must get a 2xx, any other a 401
(anonymous) or 403. A builder may create what the request needs (through
``caller.api.engine`` and the domain's service) before returning the path.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apihelpers import LiveApi

from ipops.accounts.models import User
from ipops.accounts.roles import Role

ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, *Role})
SIGNED_IN = frozenset(Role)
ADMIN = frozenset({Role.PLATFORM_ADMIN})
counter = itertools.count(1)


@dataclass
class Caller:
    name: str
    user: User | None
    api: LiveApi
    login_as: User

    def spare_token_id(self) -> int:
        """A token of the caller's own (anonymous: of some user) to revoke."""
        return self.api.issue_token(self.user or self.login_as, name="spare")[0]


Request = Callable[[Caller], tuple[str, dict[str, Any]]]


def fixed(path: str, **kwargs: Any) -> Request:
    return lambda _caller: (path, kwargs)


Rows = dict[tuple[str, str], tuple[frozenset[str], Request]]
