"""Bad input gets one error format naming the field; hostile text is stored verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apihelpers import PASSWORD, LiveApi, error_of, live_server, workspace_settings

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.api.app import create_app
from ipops.api.errors import MAX_BODY_BYTES


@pytest.fixture
def api(shared_api: LiveApi) -> LiveApi:
    return shared_api


@pytest.fixture
def admin(role_users: dict[Role, User]) -> User:
    return role_users[Role.PLATFORM_ADMIN]


@pytest.fixture
def analyst(role_users: dict[Role, User]) -> User:
    return role_users[Role.ANALYST]


def create_user(api: LiveApi, admin: User, **body: object) -> dict[str, object]:
    response = api.request("POST", "/api/v1/users", admin, json=body)
    return {"status": response.status_code, **(error_of(response) if response.is_error else {})}


def test_unknown_fields_are_refused_by_name(api: LiveApi, admin: User) -> None:
    result = create_user(
        api, admin, username="li", password=PASSWORD, role="analyst", is_admin=True
    )
    assert result["status"] == 422
    assert result["field"] == "is_admin"
    assert "Extra inputs are not permitted" in str(result["message"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "li", "password": PASSWORD, "role": "king"}, "role"),
        (
            {"username": "li", "password": PASSWORD, "role": "analyst", "organisation_id": "x"},
            "organisation_id",
        ),
        ({"username": ["li"], "password": PASSWORD, "role": "analyst"}, "username"),
        ({"password": PASSWORD, "role": "analyst"}, "username"),
        ({"username": "li", "password": "short", "role": "analyst"}, "password"),
        ({"username": "../../etc", "password": PASSWORD, "role": "analyst"}, "username"),
        (
            {"username": "li", "password": PASSWORD, "role": "analyst", "organisation_id": 99},
            "organisation_id",
        ),
    ],
)
def test_wrong_values_and_types_name_the_field(
    api: LiveApi, admin: User, body: dict[str, object], field: str
) -> None:
    result = create_user(api, admin, **body)
    assert (result["status"], result["field"]) == (422, field)
    assert str(result["message"]).startswith(f"{field}:")


def test_a_taken_username_is_a_conflict(api: LiveApi, admin: User) -> None:
    assert create_user(api, admin, username="li", password=PASSWORD, role="analyst") == {
        "status": 201
    }
    again = create_user(api, admin, username="LI", password=PASSWORD, role="expert")
    assert (again["status"], again["code"], again["field"]) == (409, "conflict", "username")


def test_malformed_json_and_wrong_content_type(api: LiveApi, admin: User) -> None:
    headers = {**api.headers(admin), "Content-Type": "application/json"}
    broken = api.client.post("/api/v1/users", content=b'{"username": ', headers=headers)
    assert broken.status_code == 422
    assert error_of(broken)["field"] == "body"
    as_text = api.client.post(
        "/api/v1/users",
        content=b'{"username": "li"}',
        headers={**api.headers(admin), "Content-Type": "text/plain"},
    )
    assert 400 <= as_text.status_code < 500
    error_of(as_text)


def test_oversized_bodies_are_refused(api: LiveApi, admin: User) -> None:
    big = b'{"username": "' + b"x" * MAX_BODY_BYTES + b'"}'
    declared = api.request("POST", "/api/v1/users", admin, content=big)
    assert declared.status_code == 413
    assert error_of(declared)["code"] == "payload_too_large"

    def chunks() -> Iterator[bytes]:
        yield b'{"username": "'
        for _ in range(20):
            yield b"y" * 65536
        yield b'"}'

    streamed = api.request(
        "POST",
        "/api/v1/users",
        admin,
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert error_of(streamed)["code"] == "payload_too_large"


def test_sql_and_html_are_stored_and_returned_verbatim(api: LiveApi, admin: User) -> None:
    hostile = "Robert'); DROP TABLE users;-- <script>alert(1)</script> & 李"
    made = api.request(
        "POST",
        "/api/v1/users",
        admin,
        json={
            "username": "bobby",
            "password": PASSWORD,
            "role": "analyst",
            "display_name": hostile,
        },
    )
    assert made.status_code == 201
    assert made.json()["display_name"] == hostile
    listed = api.request("GET", "/api/v1/users", admin, params={"page_size": 200}).json()
    assert [u["display_name"] for u in listed["items"] if u["username"] == "bobby"] == [hostile]
    org = api.request(
        "POST", "/api/v1/organisations", admin, json={"name": hostile, "kind": "enterprise"}
    )
    assert org.json()["name"] == hostile
    search = api.request("GET", "/api/v1/corpus/patents", admin, params={"q": "'; DROP--"})
    assert search.status_code == 200
    assert search.json()["total"] == 0


@pytest.mark.parametrize(
    "number",
    ["..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cwindows", "%2E%2E", "CN1%00", "' OR 1=1 --", "x" * 65],
)
def test_path_traversal_and_junk_in_path_params_are_4xx(
    api: LiveApi, analyst: User, number: str
) -> None:
    response = api.request("GET", f"/api/v1/corpus/patents/{number}", analyst)
    assert 400 <= response.status_code < 500, response.text
    error_of(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page_size=201", "page_size"),
        ("page=abc", "page"),
        ("sort=password_hash", "sort"),
        ("sort=-title,,", "sort"),
        ("year_from=2015&year_to=2010", "year_to"),
        ("year_from=99999", "year_from"),
        ("doc_type=utility", "doc_type"),
        ("ipc=F24F%2511", "ipc"),
        ("number=xyz", "number"),
    ],
)
def test_list_parameters_are_checked(api: LiveApi, analyst: User, query: str, field: str) -> None:
    response = api.request("GET", f"/api/v1/corpus/patents?{query}", analyst)
    assert response.status_code == 422, response.text
    assert error_of(response)["field"] == field


def test_an_unexpected_failure_is_a_generic_500(
    tmp_path: Path, registry_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(workspace_settings(tmp_path / "ws", registry_url, None), web=False)

    def explode() -> None:
        raise RuntimeError("secret detail: password=hunter2")

    app.add_api_route("/api/v1/explode", explode)
    with live_server(app) as base_url:
        import httpx

        response = httpx.get(f"{base_url}/api/v1/explode")
    assert response.status_code == 500
    assert error_of(response)["code"] == "internal_error"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "secret detail" in caplog.text
