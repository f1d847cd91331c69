"""One error format for the whole API, mapped once from the ipops error hierarchy.

Every error body is ``{"error": {"status": 422, "code": "validation_error",
"message": "...", "field": "..."}}``; unexpected failures are a generic 500 whose details
stay in the server log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipops.errors import (
    Conflict,
    Forbidden,
    InputFormatError,
    InvalidTransition,
    IpopsError,
    NotAuthenticated,
    NotFound,
    NoWorkspace,
    TooManyAttempts,
    ValidationError,
)

log = logging.getLogger("ipops.api")

MAX_BODY_BYTES = 1024 * 1024

# Most specific first: the first class an error is an instance of decides.
ERROR_STATUS: tuple[tuple[type[IpopsError], int, str], ...] = (
    (TooManyAttempts, 429, "too_many_attempts"),
    (NotAuthenticated, 401, "not_authenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (InvalidTransition, 409, "invalid_transition"),
    (Conflict, 409, "conflict"),
    (InputFormatError, 422, "input_format_error"),
    (ValidationError, 422, "validation_error"),
    (NoWorkspace, 503, "no_workspace"),
)

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def _documented(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("Malformed request"),
    401: _documented("Missing, invalid or revoked credentials"),
    403: _documented("The role or the object's scope does not allow this"),
    404: _documented("No such object"),
    405: _documented("Method not allowed"),
    409: _documented("Conflicts with what is stored"),
    413: _documented(f"Request body larger than {MAX_BODY_BYTES} bytes"),
    415: _documented("Unsupported content type"),
    422: _documented("Invalid input; `field` names it"),
    429: _documented("Too many failed logins; see Retry-After"),
    500: _documented("Unexpected server error"),
}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def status_of(exc: IpopsError) -> tuple[int, str]:
    for cls, status, code in ERROR_STATUS:
        if isinstance(exc, cls):
            return status, code
    return 400, "error"


async def handle_ipops_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IpopsError)
    status, code = status_of(exc)
    headers = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status, code, str(exc), exc.field, headers)


async def handle_request_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    field, message = describe_validation_error(errors[0]) if errors else (None, "invalid input")
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(422, "validation_error", message, field)


def describe_validation_error(error: dict[str, Any]) -> tuple[str, str]:
    """The field (dotted, without "body"/"query"/"path") and a readable reason."""
    loc = [str(part) for part in error.get("loc", ())]
    if error.get("type") == "json_invalid":
        reason = error.get("ctx", {}).get("error", "not valid JSON")
        return "body", f"body: invalid JSON ({reason})"
    field = ".".join(loc[1:]) or (loc[0] if loc else "body")
    return field, f"{field}: {error.get('msg', 'invalid')}"


async def handle_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    code = HTTP_CODES.get(status) or _phrase_code(status)
    message = exc.detail if isinstance(exc.detail, str) else _phrase(status)
    return error_response(status, code, message, headers=exc.headers)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error; the log has details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IpopsError, handle_ipops_error)
    app.add_exception_handler(RequestValidationError, handle_request_validation)
    app.add_exception_handler(HTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected)


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` (declared or streamed) with a 413."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return
        await self.app(scope, self._limited(receive), send)

    def _limited(self, receive: Receive) -> Receive:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._message())
            return message

        return limited_receive

    def _too_large(self) -> JSONResponse:
        return error_response(413, "payload_too_large", self._message())

    def _message(self) -> str:
        return f"request body larger than {self.max_bytes} bytes"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _phrase_code(status: int) -> str:
    return _phrase(status).lower().replace(" ", "_").replace("-", "_")
