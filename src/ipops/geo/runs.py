"""Geography over a workspace: choose the engine, the sources, run, write files atomically.

The CLI and the web pages call these; the Python API for a DuckDB connection is
``ipops.geo.service``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.geo import analysis, charts
from ipops.geo.aggregate import Source, patent_source, publication_source
from ipops.geo.analysis import ClusterResult, CollaborationYear, check_years
from ipops.geo.clusters import DEFAULT_EPS_KM, check_parameters
from ipops.geo.engines import (
    ENGINES,
    SPARK_LOCAL,
    DuckDBEngine,
    QueryEngine,
    SparkEngine,
    spark_session,
)
from ipops.geo.publications import FOLDER, PublicationStore, register_views

SOURCES = ("patents", "publications", "both")
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


@dataclass(frozen=True)
class GeoOptions:
    source: str = "patents"
    years: tuple[int, int] | None = None
    eps_km: float = DEFAULT_EPS_KM
    min_weight: float | None = None
    grid_km: float | None = None
    engine: str = "duckdb"
    spark_master: str = SPARK_LOCAL

    def checked(self) -> GeoOptions:
        if self.source not in SOURCES:
            raise ValidationError(
                f"unknown source {self.source!r} (one of {', '.join(SOURCES)})", field="source"
            )
        if self.engine not in ENGINES:
            raise ValidationError(
                f"unknown engine {self.engine!r} (one of {', '.join(ENGINES)})", field="engine"
            )
        check_years(self.years)
        check_parameters(self.eps_km, self.min_weight if self.min_weight is not None else 1.0)
        if self.grid_km is not None and not 0 < self.grid_km <= 10:
            raise ValidationError(
                f"the grid must be above 0 and at most 10 km, got {self.grid_km}", field="grid-km"
            )
        return self


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``2015-2019`` or ``2017``; a range that ends before it starts is refused."""
    if text is None or not text.strip():
        return None
    match = _YEARS.match(text)
    if match is None:
        raise ValidationError(f"not a year range: {text!r} (e.g. 2015-2019)", field="years")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    years = (first, last)
    check_years(years)
    return years


@dataclass(frozen=True)
class GeoWorkspace:
    corpus: CorpusStore
    publications: PublicationStore

    @classmethod
    def at(cls, root: Path, corpus: CorpusStore) -> GeoWorkspace:
        return cls(corpus, PublicationStore(root / FOLDER))


@contextmanager
def open_engine(ws: GeoWorkspace, options: GeoOptions) -> Iterator[QueryEngine]:
    """DuckDB over the corpus views, or Spark over the same Parquet files."""
    if options.engine == "spark":
        with spark_session(options.spark_master) as session:
            spark = SparkEngine(session)
            spark.register_corpus(ws.corpus)
            files = ws.publications.files()
            if files is not None:
                spark.register_parquet("publications", files[0])
                spark.register_parquet("publication_authors", files[1])
            yield spark
        return
    con = ws.corpus.connect()
    try:
        register_views(con, ws.publications)
        yield DuckDBEngine(con)
    finally:
        con.close()


def _sources(ws: GeoWorkspace, options: GeoOptions) -> list[Source]:
    wanted = ["patents", "publications"] if options.source == "both" else [options.source]
    if "publications" in wanted and ws.publications.files() is None:
        raise ValidationError(
            "no publications in this workspace: run `ipops geo ingest-publications FILE` first",
            field="source",
        )
    sources = []
    for kind in wanted:
        if kind == "patents":
            sources.append(patent_source(years=options.years))
        else:
            sources.append(publication_source(years=options.years))
    return sources


def workspace_clusters(ws: GeoWorkspace, options: GeoOptions) -> ClusterResult:
    options = options.checked()
    sources = _sources(ws, options)
    with open_engine(ws, options) as engine:
        return analysis.find_clusters(
            engine,
            sources,
            eps_km=options.eps_km,
            min_weight=options.min_weight,
            grid_km=options.grid_km,
            years=options.years,
        )


def workspace_collaboration(
    ws: GeoWorkspace, options: GeoOptions, *, top_hotspots: int
) -> tuple[list[CollaborationYear], ClusterResult]:
    options = options.checked()
    if options.source == "both":
        raise ValidationError(
            "collaboration is per source: patents or publications", field="source"
        )
    if top_hotspots < 1:
        raise ValidationError(f"must be 1 or more, got {top_hotspots}", field="top")
    source = _sources(ws, options)[0]
    with open_engine(ws, options) as engine:
        found = analysis.find_clusters(
            engine,
            [source],
            eps_km=options.eps_km,
            min_weight=options.min_weight,
            grid_km=options.grid_km,
            years=options.years,
            profile=False,
        )
        years = analysis.collaboration(
            engine, source, hot=found.hot_places(top_hotspots, kind=source.kind)
        )
    return years, found


# ------------------------------------------------------------------ points files


def read_points(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A CSV with columns lat, lon and (optional) weight; a bad row is named."""
    if not path.is_file():
        raise ValidationError(f"no such file: {path}", field="points")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        for needed in ("lat", "lon"):
            if needed not in columns:
                raise ValidationError(
                    f"{path.name}: no column {needed!r} (columns: lat, lon, weight)",
                    field="points",
                )
        lat, lon, weight = [], [], []
        for number, row in enumerate(reader, start=2):
            lat.append(_number(row[columns["lat"]], path, number, "lat"))
            lon.append(_number(row[columns["lon"]], path, number, "lon"))
            raw = row[columns["weight"]] if "weight" in columns else "1"
            weight.append(_number(raw, path, number, "weight"))
    arrays = (np.array(lat, dtype=np.float64), np.array(lon, dtype=np.float64))
    w = np.array(weight, dtype=np.float64)
    for values, name, low, high in ((arrays[0], "lat", -90, 90), (arrays[1], "lon", -180, 180)):
        bad = (values < low) | (values > high)
        if bad.any():
            line = int(np.flatnonzero(bad)[0]) + 2
            raise ValidationError(
                f"{path.name} line {line}: {name} {values[line - 2]} outside [{low}, {high}]",
                field=name,
            )
    if (w < 0).any():
        line = int(np.flatnonzero(w < 0)[0]) + 2
        raise ValidationError(f"{path.name} line {line}: negative weight", field="weight")
    return arrays[0], arrays[1], w


def _number(text: str | None, path: Path, line: int, column: str) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        raise ValidationError(
            f"{path.name} line {line}: {column} is not a number: {text!r}", field=column
        ) from None
    if not np.isfinite(value):
        raise ValidationError(f"{path.name} line {line}: {column} is not finite", field=column)
    return value


def points_clusters(path: Path, options: GeoOptions) -> ClusterResult:
    options = options.checked()
    lat, lon, weight = read_points(path)
    layer = analysis.points_layer(lat, lon, weight, grid_km=options.grid_km)
    return analysis.find_clusters(
        None,
        [],
        eps_km=options.eps_km,
        min_weight=options.min_weight,
        grid_km=options.grid_km,
        points=layer,
    )


# ------------------------------------------------------------------ files


def figure_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in charts.FORMATS:
        raise ValidationError(f"{path.name}: the file must end in .svg or .png", field="out")
    return fmt


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    if not path.parent.is_dir():
        raise ValidationError(f"no such folder: {path.parent}", field="out")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class DemoHotspots:
    clusters: int
    top: list[str]
    top_share: float
    min_weight: float

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def demo_summary(corpus: CorpusStore, *, top: int = 5) -> DemoHotspots:
    """The demo's hotspots in one line: the top clusters and their share of the world."""
    with corpus.connect() as con:
        found = analysis.find_clusters(DuckDBEngine(con), [patent_source()], profile=False)
    return DemoHotspots(
        clusters=len(found.clusters),
        top=[c.name for c in found.clusters[:top]],
        top_share=round(found.top_share(top), 6),
        min_weight=found.min_weight.get("patents", 0.0),
    )
