"""Weighting schemes: the shipped ones, and every rule a user's file can break (with its line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipops.errors import ValidationError
from ipops.valuation.schemes import builtin_names, builtin_text, load_scheme, parse_scheme

GOOD = """\
name = "mine"
version = "2"

[degrees]
legal = 0.5
technical = 0.3
economic = 0.2

[legal]
remaining_term = 0.6
claims = 0.4

[technical]
fwd_citations_5y = 1.0

[economic]
licensed = 0.5
family_size = 0.5
"""


def test_the_builtin_schemes_load_and_differ() -> None:
    assert builtin_names() == ["default", "finance", "finance_rating", "licensing"]
    schemes = [load_scheme(name) for name in builtin_names()]
    assert [s.name for s in schemes] == builtin_names()
    assert len({s.digest for s in schemes}) == 4
    default = schemes[0]
    assert default.degrees == {"legal": 0.3623, "technical": 0.4664, "economic": 0.1713}
    assert default.sources["degrees"].startswith("AHP weights")


def test_a_copied_scheme_with_the_same_weights_has_the_same_digest(tmp_path: Path) -> None:
    text = builtin_text("finance").replace('name = "finance"', 'name = "my bank"')
    copy = tmp_path / "bank.toml"
    copy.write_text("# our copy\n" + text, encoding="utf-8")
    mine = load_scheme(copy)
    assert mine.name == "my bank" and mine.origin == str(copy)
    assert mine.digest == load_scheme("finance").digest


def test_a_valid_user_scheme() -> None:
    scheme = parse_scheme(GOOD, origin="mine.toml")
    assert scheme.label() == f"mine 2 ({scheme.digest})"
    assert scheme.indicators == (
        "fwd_citations_5y",
        "claims",
        "family_size",
        "remaining_term",
        "licensed",
    )


def _error(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_scheme(text, origin="mine.toml")
    return caught.value


def test_degree_weights_not_summing_to_one_name_the_degrees_line() -> None:
    error = _error(GOOD.replace("economic = 0.2", "economic = 0.3"))
    assert error.field == "mine.toml:4"  # the [degrees] header
    assert "sum to 1.1, not 1" in error.message


def test_indicator_weights_not_summing_to_one_name_the_table_line() -> None:
    error = _error(GOOD.replace("claims = 0.4", "claims = 0.35"))
    assert error.field == "mine.toml:9"
    assert "[legal] sum to 0.95" in error.message


def test_an_unknown_indicator_names_its_line() -> None:
    error = _error(GOOD.replace("claims = 0.4", "claimz = 0.4"))
    assert error.field == "mine.toml:11"
    assert "unknown indicator 'claimz'" in error.message


def test_a_negative_weight_names_its_line() -> None:
    text = GOOD.replace("licensed = 0.5\nfamily_size = 0.5", "licensed = 1.5\nfamily_size = -0.5")
    error = _error(text)
    assert error.field == "mine.toml:18"
    assert "must not be negative (-0.5)" in error.message


def test_an_unknown_table_and_a_missing_degree() -> None:
    assert _error(GOOD.replace("[technical]", "[technial]")).field == "mine.toml:13"
    missing = _error(GOOD.replace("economic = 0.2\n", ""))
    assert missing.field == "mine.toml:4" and "'economic'" in missing.message


def test_a_weight_that_is_not_a_number_and_broken_toml() -> None:
    assert "must be a number" in _error(GOOD.replace("= 0.6", '= "0.6"')).message
    broken = _error(GOOD.replace("[legal]", "[legal"))
    assert (
        broken.field == "mine.toml"
        and "not valid TOML" in broken.message
        and "line 9" in (broken.message)
    )


def test_a_degree_with_no_weight_needs_no_indicators() -> None:
    text = GOOD.replace("legal = 0.5", "legal = 0.7").replace("economic = 0.2", "economic = 0")
    text = text.replace("licensed = 0.5\nfamily_size = 0.5\n", "")
    scheme = parse_scheme(text)
    assert scheme.degrees["economic"] == 0 and scheme.weights["economic"] == {}


def test_name_and_version_are_required_and_unknown_names_are_refused() -> None:
    assert "'name'" in _error(GOOD.replace('name = "mine"\n', "")).message
    with pytest.raises(ValidationError, match="default, finance, finance_rating, licensing"):
        load_scheme("no-such-scheme")
