"""Generated data kept apart from real data: a load never mixes them unless told to."""

from __future__ import annotations

from pathlib import Path

import pytest
from loadhelpers import make_target
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.corpus.ingest import ingest_files
from ipops.corpus.loaders import load_generated
from ipops.errors import Conflict

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "uspto" / "ipg130416.sample.xml"


def test_generated_data_are_refused_next_to_real_patents(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    ingest_files(target, [REAL], workers=1)
    snapshot = target.store.manifest().snapshot_id
    with pytest.raises(Conflict) as refused:
        load_generated(target, patents=50, seed=1)
    assert refused.value.field == "allow-generated"
    assert target.store.manifest().snapshot_id == snapshot  # nothing written
    mixed = load_generated(target, patents=50, seed=1, allow_generated=True)
    assert mixed.status == "committed"


def test_real_data_are_refused_in_a_generated_corpus(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load_generated(target, patents=50, seed=1)
    with pytest.raises(Conflict, match="--allow-generated"):
        ingest_files(target, [REAL], workers=1)
    with target.store.connect() as con:
        assert con.execute("SELECT bool_and(generated) FROM patents").fetchone() == (True,)


def test_stats_text_says_generated_data_are_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    real = runner.invoke(app, ["corpus", "ingest", str(REAL)], catch_exceptions=False)
    assert real.exit_code == 0, real.output
    assert "generated data" not in runner.invoke(app, ["corpus", "stats"]).stdout
    refused = runner.invoke(app, ["corpus", "generate", "--patents", "40"])
    assert isinstance(refused.exception, Conflict)
    allowed = runner.invoke(
        app, ["corpus", "generate", "--patents", "40", "--allow-generated"], catch_exceptions=False
    )
    assert allowed.exit_code == 0, allowed.output
    stats = " ".join(runner.invoke(app, ["corpus", "stats"]).stdout.split())
    assert "generated data: 40 of 46 patents are generated (synthetic)" in stats
