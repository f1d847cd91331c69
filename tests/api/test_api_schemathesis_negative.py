"""The API against its own schema with invalid generated requests (``schemathesis_run``)."""

from __future__ import annotations

import pytest
import schemathesis
from apihelpers import LiveApi
from schemathesis_run import check_every_operation

from ipops.accounts.models import User
from ipops.accounts.roles import Role


@pytest.mark.slow
def test_api_conforms_to_its_schema(shared_api: LiveApi, role_users: dict[Role, User]) -> None:
    check_every_operation(shared_api, role_users, schemathesis.GenerationMode.NEGATIVE)
