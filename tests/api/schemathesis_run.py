"""Property-based API testing from /openapi.json (schemathesis): for generated valid
(``test_api_schemathesis_positive``) and invalid (``..._negative``) requests to every
operation, no 5xx, and every response (status, content type, headers, body) is what the
schema documents. Two files, so that two test processes can share the work.

Authenticated as a platform admin, so every operation is reachable. Token revocation is
left out: it could revoke the very token the run uses. (schemathesis' own pytest loader
does not work with pytest 9 yet, so the operations are driven through hypothesis here.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from apihelpers import LiveApi
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ipops.accounts.models import User
from ipops.accounts.roles import Role

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def operations(base_url: str) -> list[Any]:
    # a generous timeout: building the schema takes seconds when the machine is busy
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", timeout=120)
    found = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    return [op for op in found if op.method.upper() != "DELETE"]


def check_every_operation(
    shared_api: LiveApi, role_users: dict[Role, User], mode: schemathesis.GenerationMode
) -> None:
    headers = {**shared_api.headers(role_users[Role.PLATFORM_ADMIN]), "Connection": "close"}
    checked = []
    for operation in operations(shared_api.base_url):
        if mode is schemathesis.GenerationMode.NEGATIVE and not has_inputs(operation):
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        conforms()
        checked.append(operation.label)
    assert len(checked) >= (12 if mode is schemathesis.GenerationMode.POSITIVE else 8), checked


def has_inputs(operation: Any) -> bool:
    """Whether there is anything to make invalid (parameters or a body)."""
    return bool(list(operation.iter_parameters()) or operation.body)
