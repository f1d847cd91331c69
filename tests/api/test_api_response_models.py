"""Every pool and finance endpoint documents what it answers: a named response model in
/openapi.json (issue 14, "one shape for every domain"), and the fixed-shape parts of those
models are typed (nested models, typed maps) rather than open objects."""

from __future__ import annotations

from typing import Any

from apihelpers import LiveApi

DOMAINS = ("/api/v1/finance/", "/api/v1/pool/")
# the claims answer rows as JSON or the claims file (csv, xlsx) by ``format``
NOT_JSON = {("get", "/api/v1/finance/claims")}


def _answers(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    found = []
    for path, operations in spec["paths"].items():
        if not path.startswith(DOMAINS):
            continue
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                if code.startswith("2"):
                    schema = response.get("content", {}).get("application/json", {}).get("schema")
                    found.append((method, path, schema))
    return found


def _named(schema: dict[str, Any] | None) -> bool:
    """A model of its own (or a list or page of one), not an open object."""
    if schema is None:
        return False
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items"))
    return any(_named(s) for s in schema.get("anyOf", ()))


def test_every_pool_and_finance_answer_is_a_named_model(api: LiveApi) -> None:
    spec = api.client.get("/openapi.json").json()
    answers = _answers(spec)
    assert len(answers) > 40
    untyped = [
        f"{method.upper()} {path}: {schema}"
        for method, path, schema in answers
        if (method, path) not in NOT_JSON and not _named(schema)
    ]
    assert not untyped, "\n".join(untyped)


def _open_fields(spec: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> list[str]:
    """Fields of the models ``schema`` reaches that are open objects (``dict[str, Any]``)."""
    found: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return found
        seen.add(name)
        model = spec["components"]["schemas"][name]
        for field, sub in model.get("properties", {}).items():
            if _is_open(sub):
                found.append(f"{name}.{field}")
            found += _open_fields(spec, sub, seen)
        return found
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _open_fields(spec, schema[key], seen)
    for sub in schema.get("anyOf", ()):
        found += _open_fields(spec, sub, seen)
    return found


def _is_open(schema: dict[str, Any]) -> bool:
    """An object with no fields of its own and any values (or a list of them)."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "array" and _is_open(option.get("items", {})):
            return True
        if (
            option.get("type") == "object"
            and option.get("additionalProperties") in (None, True)
            and "properties" not in option
        ):
            return True
    return False


# Open still (issue 14, left): the stored programme registration of a loan (JSON kept as
# the loan was filed) and the rating card's explanation, read back from stored JSON.
STILL_OPEN = [
    "LoanDetail.registration",
    "LoanRecord.registration",
    "RatingCard.adjustments",
    "RatingCard.components",
    "RatingCard.default_probability",
    "RatingCard.features",
    "RatingCard.financial_inputs",
    "RatingCard.inputs",
]


def test_fixed_shapes_in_pool_and_finance_answers_are_typed(api: LiveApi) -> None:
    spec = api.client.get("/openapi.json").json()
    seen: set[str] = set()
    found = sorted(
        field
        for _method, _path, schema in _answers(spec)
        if schema is not None
        for field in _open_fields(spec, schema, seen)
    )
    assert found == STILL_OPEN
