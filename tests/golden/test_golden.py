"""Behaviour kept: the demo world's CLI ``--json`` outputs and API responses equal the ones
recorded before the redesign (see goldenworld.py for what is recorded and how to rewrite)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from goldenworld import api_answers, build_world, cli_answers

EXPECTED = Path(__file__).parent / "expected"

pytestmark = [
    pytest.mark.slow,
    # finance.enterprise_book.link_exact_bulk (the demo programme) still calls Result.tuples()
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    return build_world(tmp_path_factory.mktemp("golden"))


def _check(name: str, answers: dict[str, Any]) -> None:
    path = EXPECTED / f"{name}.json"
    text = json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("IPOPS_GOLDEN_WRITE") == "1":
        EXPECTED.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(answers) == sorted(expected), "the set of recorded commands changed"
    for key in sorted(expected):
        assert answers[key] == expected[key], f"{key} answers differently"


def test_cli_json_outputs_are_unchanged(world: tuple[Any, dict[str, str]]) -> None:
    settings, _ = world
    _check("cli", cli_answers(settings))


def test_api_responses_are_unchanged(world: tuple[Any, dict[str, str]]) -> None:
    settings, passwords = world
    _check("api", api_answers(settings, passwords))
