"""The edges: `ipops geo ...` commands and the web page, on a generated workspace."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ipops.accounts.demo import ensure_demo_users
from ipops.api.app import create_app
from ipops.cli.app import app
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.geo.analysis import subclass_field
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("geo-ws") / "ws"
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    target = LoadTarget(CorpusStore(workspace.corpus_dir), engine, workspace.rejects_dir)
    load_generated(target, patents=1500, seed=3)
    with session_scope(engine) as db_session:
        passwords = dict(ensure_demo_users(db_session))
    engine.dispose()
    return root, passwords


@pytest.fixture
def ipops(home: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("IPOPS_HOME", str(home[0]))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_clusters_json_and_map(ipops: CliRunner, tmp_path: Path) -> None:
    out = json.loads(run(ipops, "geo", "clusters", "--min-weight", "10", "--json"))
    assert out["engine"] == "duckdb" and out["source"] == "patents"
    assert out["layers"][0]["docs"] == 1500
    clusters = out["clusters"]
    assert clusters and clusters[0]["rank"] == 1
    assert all(c["weight"] >= 10 for c in clusters)
    assert clusters[0]["top_parties"] and clusters[0]["top_fields"]
    svg = tmp_path / "map.svg"
    run(ipops, "geo", "clusters", "--min-weight", "10", "--map", str(svg))
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_hotspots_print_the_share_of_the_top(ipops: CliRunner) -> None:
    text = run(ipops, "geo", "hotspots", "--top", "3", "--min-weight", "10")
    assert re.search(r"the top 3 of \d+ clusters hold\s+[\d.]+%", text)
    out = json.loads(run(ipops, "geo", "hotspots", "--top", "3", "--min-weight", "10", "--json"))
    assert len(out["clusters"]) == 3
    assert out["top_share"] == pytest.approx(sum(c["share"] for c in out["clusters"]), abs=1e-5)


def test_collaboration_by_year(ipops: CliRunner, tmp_path: Path) -> None:
    chart = tmp_path / "collab.png"
    out = json.loads(
        run(ipops, "geo", "collaboration", "--by", "year", "--json", "--chart", str(chart))
    )
    years = out["years"]
    assert sum(y["patents"] for y in years) == 1500
    assert all(0 <= y["team_share"] <= 1 for y in years)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_points_file(ipops: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    rows = ["lat,lon,weight"] + ["35.68,139.69,1"] * 5 + ["48.85,2.35,0.5"] * 2
    points.write_text("\n".join(rows) + "\n")
    out = json.loads(run(ipops, "geo", "clusters", "--points", str(points), "--min-weight", "3",
                         "--json"))  # fmt: skip
    assert [c["name"] for c in out["clusters"]] == ["Tokyo"]
    assert out["clusters"][0]["share"] == pytest.approx(5 / 6, abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--eps-km", "0"], "eps-km"),
        (["--years", "2019-2015"], "empty year range"),
        (["--engine", "spark", "--spark-master", "spark://127.0.0.1:9"], "cannot reach Spark"),
        (["--source", "publications"], "ingest-publications"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    ipops: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "map.svg"
    result = ipops.invoke(app, ["geo", "clusters", *args, "--map", str(target)])
    assert isinstance(result.exception, ValidationError), result.output
    assert result.exception.exit_code == 2  # `ipops` prints it as one line, exit code 2
    assert message in str(result.exception)
    assert not target.exists()


def test_a_point_outside_the_globe_is_named(ipops: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    points.write_text("lat,lon,weight\n10,10,1\n95,10,1\n")
    result = ipops.invoke(app, ["geo", "clusters", "--points", str(points)])
    assert isinstance(result.exception, ValidationError)
    assert "line 3" in str(result.exception) and "lat" in str(result.exception)


def test_ingest_publications_reports_the_match_rate(
    ipops: CliRunner, tmp_path: Path, medline_sample: Path
) -> None:
    out = json.loads(run(ipops, "geo", "ingest-publications", str(medline_sample), "--json"))
    assert out["papers"] == 175 and out["match_rate"] > 0.8
    both = json.loads(run(ipops, "geo", "clusters", "--source", "both", "--min-weight", "3",
                          "--json"))  # fmt: skip
    kinds = {layer["kind"] for layer in both["layers"]}
    assert kinds == {"patents", "publications"}
    assert any(c["publication_weight"] > 0 for c in both["clusters"])


def test_web_page_shows_map_ranking_and_chart(home: tuple[Path, dict[str, str]]) -> None:
    root, passwords = home
    client = TestClient(create_app(Settings(home=root)))
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    client.post(
        "/login",
        data={"csrf_token": token.group(1), "username": "bank.demo",
              "password": passwords["bank.demo"], "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    home_page = client.get("/").text
    assert 'href="/geo"' in home_page and "创新热点" in home_page
    page = client.get("/geo?min_weight=10&top=5")
    assert page.status_code == 200
    assert 'id="hotspots"' in page.text and 'id="collaboration"' in page.text
    image = client.get("/geo/map.svg?min_weight=10&top=5")
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg")
    chart = client.get("/geo/collaboration.svg?min_weight=10&top=5")
    assert chart.status_code == 200
    bad = client.get("/geo?eps_km=-1")
    assert bad.status_code == 200 and "半径：请填写大于 0 的公里数。" in bad.text


def test_api_clusters_and_collaboration(home: tuple[Path, dict[str, str]]) -> None:
    root, passwords = home
    client = TestClient(create_app(Settings(home=root), web=False))
    anonymous = client.get("/api/v1/geo/clusters")
    assert anonymous.status_code == 401
    issued = client.post(
        "/api/v1/auth/token",
        json={"username": "bank.demo", "password": passwords["bank.demo"], "name": "geo-test"},
    )
    assert issued.status_code == 201
    auth = {"Authorization": f"Bearer {issued.json()['token']}"}
    found = client.get("/api/v1/geo/clusters?min_weight=10&top=3", headers=auth)
    assert found.status_code == 200
    body = found.json()
    assert len(body["clusters"]) <= 3 and body["layers"][0]["docs"] == 1500
    years = client.get("/api/v1/geo/collaboration", headers=auth).json()["years"]
    assert sum(y["patents"] for y in years) == 1500
    bad = client.get("/api/v1/geo/clusters?years=2019-2015", headers=auth)
    assert bad.status_code == 422 and "years" in bad.text
    assert client.get("/api/v1/geo/clusters?eps_km=0", headers=auth).status_code == 422


@pytest.mark.parametrize(
    ("subclass", "name"),
    [
        ("A61K", "Pharmaceuticals"),
        ("H04N", "Audio-visual technology"),
        ("G01N", "Measurement"),
        ("B01D", "Chemical engineering"),
        ("C13B", "Food chemistry"),
        ("E01F", "Civil engineering"),
        ("F24F", "Thermal processes and apparatus"),  # a whole-subclass row
    ],
)
def test_cluster_fields_fall_back_through_main_groups_to_the_subclass(
    subclass: str, name: str
) -> None:
    """Subclasses the concordance maps only by main group still get a field name."""
    found = subclass_field(subclass)
    assert found is not None and found.name == name


def test_a_subclass_the_concordance_does_not_know_has_no_field() -> None:
    assert subclass_field("Y02E") is None


def test_collaboration_text_says_the_data_are_generated(ipops: CliRunner) -> None:
    out = " ".join(run(ipops, "geo", "collaboration", "--min-weight", "10").split())
    assert "generated data: all 1,500 patents are generated (synthetic)" in out
