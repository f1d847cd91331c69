"""Clusters and collaboration from the engine's aggregates (the same code for both engines).

``aggregate`` produces integer counts on DuckDB or Spark; this module turns them into
weighted places, runs DBSCAN (``clusters``), names and profiles the clusters, and computes
the per-year collaboration shares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.neighbors import KDTree  # type: ignore[import-untyped]

from ipops.errors import ValidationError
from ipops.geo import aggregate, clusters
from ipops.geo.aggregate import Source
from ipops.geo.engines import QueryEngine
from ipops.geo.placenames import cluster_name, nearest_city_names
from ipops.valuation.fields import WipoField, concordance, field_of

TOP_ITEMS = 5
DEFAULT_TOP_HOTSPOTS = 10


@dataclass(frozen=True)
class Cluster:
    """One hotspot. Weights are fractional counts; shares are of the world total weight."""

    rank: int
    name: str
    lat: float
    lon: float
    weight: float  # patent_weight + publication_weight
    share: float  # patent share, publication share, or their mean for both sources
    members: int  # places (unique coordinates or grid cells) in the cluster
    patent_weight: float = 0.0
    publication_weight: float = 0.0
    patent_share: float = 0.0
    publication_share: float = 0.0
    extent_km: float = 0.0
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # south, west, north, east
    countries: tuple[tuple[str, float], ...] = ()
    top_places: tuple[tuple[str, float], ...] = ()
    top_parties: tuple[tuple[str, float], ...] = ()
    top_fields: tuple[tuple[str, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        for key in ("countries", "top_places", "top_parties", "top_fields"):
            payload[key] = [{"name": n, "weight": round(w, 3)} for n, w in payload[key]]
        return payload


@dataclass(frozen=True)
class LayerTotals:
    """What one source contributed: documents, weight located on the map and not."""

    kind: str
    docs: int
    docs_with_people: int
    unlocated_docs: int  # no located inventor (author): counted, not on the map
    total_weight: float  # = documents with at least one person
    located_weight: float


@dataclass(frozen=True)
class ClusterResult:
    clusters: list[Cluster]
    layers: list[LayerTotals]
    eps_km: float
    min_weight: dict[str, float]
    engine: str
    source: str
    years: tuple[int, int] | None = None
    places: int = 0
    grid_km: float | None = None
    # raw coordinates of every clustered place with its cluster's rank, per layer kind
    place_clusters: dict[str, pa.Table] = field(default_factory=dict, repr=False, compare=False)

    def hot_places(self, top: int, kind: str = "patents") -> pa.Table:
        """Coordinates of the places in the ``top`` highest-ranked clusters."""
        table = self.place_clusters.get(kind)
        if table is None:
            return aggregate.PLACE_KEY_SCHEMA.empty_table()
        chosen = table.filter(pc.less_equal(table["cluster"], top))
        return chosen.select(["latitude", "longitude"])

    def top_share(self, top: int) -> float:
        return sum(c.share for c in self.clusters[:top])

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "engine": self.engine,
            "years": list(self.years) if self.years else None,
            "eps_km": self.eps_km,
            "min_weight": self.min_weight,
            "grid_km": self.grid_km,
            "places": self.places,
            "layers": [asdict(layer) for layer in self.layers],
            "clusters": [c.as_dict() for c in self.clusters],
        }


@dataclass(frozen=True)
class CollaborationYear:
    """One year. Shares: teams / with_inventors; international / with_inventors;
    international_hotspot / international (0 where a denominator is 0)."""

    year: int | None
    patents: int  # documents of the year (patents or papers)
    with_inventors: int  # documents with at least one inventor (author) listed
    teams: int  # two or more inventors
    international: int  # inventors with two or more distinct countries
    international_hotspot: int  # international, with an inventor located in a top-N hotspot
    unlocated: int  # no located inventor
    team_share: float
    international_share: float
    hotspot_international_share: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Layer:
    """One source's weighted places and their cluster labels."""

    kind: str
    rows: pa.Table  # the located aggregate rows
    row_weight: np.ndarray
    places: clusters.Places
    labels: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    totals: LayerTotals | None = None


# ------------------------------------------------------------------ points


def points_layer(
    latitude: np.ndarray, longitude: np.ndarray, weight: np.ndarray, *, grid_km: float | None
) -> _Layer:
    clusters.check_points(latitude, longitude, weight)
    rows = pa.table({"latitude": latitude, "longitude": longitude, "country": [None] * len(weight)})
    places = clusters.collapse(latitude, longitude, weight, grid_km=grid_km)
    total = float(weight.sum())
    totals = LayerTotals("points", len(weight), len(weight), 0, total, total)
    return _Layer("points", rows, weight, places, totals=totals)


def source_layer(
    engine: QueryEngine, source: Source, *, grid_km: float | None
) -> tuple[_Layer, pa.Table]:
    """Aggregate on the engine, collapse to places; also the raw aggregate (for countries)."""
    table = aggregate.place_years(engine, source)
    all_weight = aggregate.weights(table)
    rows = aggregate.located(table)
    row_weight = aggregate.weights(rows)
    lat = rows["latitude"].to_numpy(zero_copy_only=False)
    lon = rows["longitude"].to_numpy(zero_copy_only=False)
    places = clusters.collapse(lat, lon, row_weight, grid_km=grid_km)
    docs, with_people, unlocated = aggregate.doc_totals(engine, source)
    totals = LayerTotals(
        source.kind, docs, with_people, unlocated, float(all_weight.sum()), float(row_weight.sum())
    )
    return _Layer(source.kind, rows, row_weight, places, totals=totals), table


# ------------------------------------------------------------------ clustering


def find_clusters(
    engine: QueryEngine | None,
    sources: Sequence[Source],
    *,
    eps_km: float = clusters.DEFAULT_EPS_KM,
    min_weight: float | None = None,
    grid_km: float | None = None,
    years: tuple[int, int] | None = None,
    points: _Layer | None = None,
    profile: bool = True,
) -> ClusterResult:
    """Clusters of each source, united where they touch (GII: union of the two sets)."""
    clusters.check_parameters(eps_km, min_weight if min_weight is not None else 1.0)
    layers: list[_Layer] = [points] if points is not None else []
    for source in sources:
        assert engine is not None
        layers.append(source_layer(engine, source, grid_km=grid_km)[0])
    minimums: dict[str, float] = {}
    for layer in layers:
        assert layer.totals is not None
        minimum = min_weight or clusters.default_min_weight(layer.totals.total_weight)
        minimums[layer.kind] = minimum
        layer.labels = clusters.dbscan_labels(
            layer.places.latitude,
            layer.places.longitude,
            layer.places.weight,
            eps_km=eps_km,
            min_weight=minimum,
        )
    groups = _united(layers, eps_km)
    ranked = _build(layers, groups)
    place_clusters = _place_clusters_by_kind(layers, ranked)
    built = [cluster for cluster, _ in ranked]
    if profile and engine is not None and "patents" in place_clusters:
        patent_sources = [s for s in sources if s.kind == "patents"]
        built = _with_profiles(engine, patent_sources[0], place_clusters["patents"], built)
    return ClusterResult(
        clusters=built,
        layers=[layer.totals for layer in layers if layer.totals is not None],
        eps_km=eps_km,
        min_weight=minimums,
        engine=engine.name if engine is not None else "points file",
        source="+".join(layer.kind for layer in layers),
        years=years,
        places=sum(len(layer.places.weight) for layer in layers),
        grid_km=grid_km,
        place_clusters=place_clusters,
    )


def _united(layers: list[_Layer], eps_km: float) -> list[list[tuple[int, int]]]:
    """Groups of (layer, label): clusters of different layers within the radius are one."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(key: tuple[int, int]) -> tuple[int, int]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for n, layer in enumerate(layers):
        for label in np.unique(layer.labels[layer.labels != clusters.NOISE]):
            parent[(n, int(label))] = (n, int(label))
    for a in range(len(layers)):
        for b in range(a + 1, len(layers)):
            for pair in _touching(layers[a], layers[b], eps_km):
                ra, rb = find((a, pair[0])), find((b, pair[1]))
                if ra != rb:
                    parent[rb] = ra
    grouped: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for key in parent:
        grouped[find(key)].append(key)
    return list(grouped.values())


def _touching(a: _Layer, b: _Layer, eps_km: float) -> set[tuple[int, int]]:
    in_a, in_b = a.labels != clusters.NOISE, b.labels != clusters.NOISE
    if not in_a.any() or not in_b.any():
        return set()
    tree = KDTree(clusters.unit_vectors(a.places.latitude[in_a], a.places.longitude[in_a]))
    hits = tree.query_radius(
        clusters.unit_vectors(b.places.latitude[in_b], b.places.longitude[in_b]),
        r=clusters.chord(eps_km),
    )
    labels_a, labels_b = a.labels[in_a], b.labels[in_b]
    return {(int(labels_a[i]), int(labels_b[j])) for j, found in enumerate(hits) for i in found}


def _build(
    layers: list[_Layer], groups: list[list[tuple[int, int]]]
) -> list[tuple[Cluster, list[tuple[int, int]]]]:
    """The clusters, ranked by share, each with the (layer, label) pairs it unites."""
    built = [(_cluster_of(layers, group), group) for group in groups]
    built.sort(key=lambda item: (-item[0].share, -item[0].weight, item[0].name))
    return [(_with_rank(c, rank), group) for rank, (c, group) in enumerate(built, start=1)]


def _with_rank(cluster: Cluster, rank: int) -> Cluster:
    return Cluster(**{**cluster.__dict__, "rank": rank})


def _cluster_of(layers: list[_Layer], group: list[tuple[int, int]]) -> Cluster:
    lat_parts: list[np.ndarray] = []
    lon_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    by_kind: dict[str, float] = defaultdict(float)
    countries: dict[str, float] = defaultdict(float)
    for n, label in group:
        layer = layers[n]
        members = np.flatnonzero(layer.labels == label)
        lat_parts.append(layer.places.latitude[members])
        lon_parts.append(layer.places.longitude[members])
        weight_parts.append(layer.places.weight[members])
        by_kind[layer.kind] += float(layer.places.weight[members].sum())
        for country, share in _countries(layer, members).items():
            countries[country] += share
    lat, lon, weight = (np.concatenate(p) for p in (lat_parts, lon_parts, weight_parts))
    places = clusters.Places(lat, lon, weight, np.arange(len(lat)))
    shape = clusters.shapes(places, np.zeros(len(lat), dtype=np.int64))[0]
    names = nearest_city_names(lat, lon)
    shares = _shares(layers, by_kind)
    return Cluster(
        rank=0,
        name=cluster_name(names, weight),
        lat=shape.latitude,
        lon=shape.longitude,
        weight=round(sum(by_kind.values()), 6),
        share=round(sum(shares.values()) / max(1, len(_kinds(layers))), 6),
        members=len(lat),
        patent_weight=round(by_kind.get("patents", 0.0) + by_kind.get("points", 0.0), 6),
        publication_weight=round(by_kind.get("publications", 0.0), 6),
        patent_share=round(shares.get("patents", 0.0) + shares.get("points", 0.0), 6),
        publication_share=round(shares.get("publications", 0.0), 6),
        extent_km=shape.extent_km,
        bbox=(shape.south, shape.west, shape.north, shape.east),
        countries=_top(countries, TOP_ITEMS),
        top_places=_top(_sum_by(names, weight), TOP_ITEMS),
    )


def _kinds(layers: list[_Layer]) -> set[str]:
    return {layer.kind for layer in layers}


def _shares(layers: list[_Layer], by_kind: dict[str, float]) -> dict[str, float]:
    totals = {layer.kind: layer.totals.total_weight for layer in layers if layer.totals}
    return {kind: (w / totals[kind] if totals.get(kind) else 0.0) for kind, w in by_kind.items()}


def _countries(layer: _Layer, members: np.ndarray) -> dict[str, float]:
    if "country" not in layer.rows.column_names or layer.rows.num_rows == 0:
        return {}
    in_cluster = pa.array(np.isin(layer.places.index, members))
    rows = pa.table(
        {"country": layer.rows["country"], "weight": pa.array(layer.row_weight)}
    ).filter(in_cluster)
    summed = rows.group_by("country").aggregate([("weight", "sum")]).to_pylist()
    return {r["country"]: float(r["weight_sum"]) for r in summed if r["country"]}


def _sum_by(names: list[str], weights: np.ndarray) -> dict[str, float]:
    result: dict[str, float] = defaultdict(float)
    for name, weight in zip(names, weights, strict=True):
        result[name] += float(weight)
    return result


@cache
def subclass_field(subclass: str) -> WipoField | None:
    """The WIPO field of a bare subclass, falling back through its main groups.

    The concordance (Schmoch 2008) maps many subclasses only by main group (``A61K 8/%``
    to organic fine chemistry, every other ``A61K`` group to pharmaceuticals): a subclass
    without a whole-subclass row takes the field most of its main-group rows name (ties:
    the lower field number). None when the concordance does not mention the subclass.
    """
    found = field_of(subclass)
    if found is not None:
        return found
    votes: dict[int, tuple[int, WipoField]] = {}
    for entry in concordance():
        if entry.subclass == subclass.strip().upper():
            count, _ = votes.get(entry.field.number, (0, entry.field))
            votes[entry.field.number] = (count + 1, entry.field)
    if not votes:
        return None
    return min(votes.items(), key=lambda item: (-item[1][0], item[0]))[1][1]


def _top(values: dict[str, float], n: int) -> tuple[tuple[str, float], ...]:
    ranked = sorted(values.items(), key=lambda item: (-item[1], item[0]))[:n]
    return tuple((name, round(weight, 3)) for name, weight in ranked)


# ------------------------------------------------------------------ profiles


def _with_profiles(
    engine: QueryEngine, source: Source, place_clusters: pa.Table, built: list[Cluster]
) -> list[Cluster]:
    """Top parties and technology fields of each cluster, from its patents' records."""
    engine.register(aggregate.PLACE_CLUSTERS, place_clusters)
    party_weights = aggregate.profile_weights(engine, aggregate.cluster_parties_sql(source))
    by_subclass = aggregate.profile_weights(engine, aggregate.cluster_subclasses_sql(source))
    field_weights: dict[int, dict[str, float]] = {}
    for cluster, subclasses in by_subclass.items():
        named = field_weights.setdefault(cluster, {})
        for subclass, weight in sorted(subclasses.items()):
            wipo = subclass_field(subclass)
            label = wipo.name if wipo is not None else subclass
            named[label] = named.get(label, 0.0) + weight
    return [
        Cluster(
            **{
                **c.__dict__,
                "top_parties": _top(party_weights.get(c.rank, {}), TOP_ITEMS),
                "top_fields": _top(field_weights.get(c.rank, {}), TOP_ITEMS),
            }
        )
        for c in built
    ]


def _place_clusters_by_kind(
    layers: list[_Layer], ranked: list[tuple[Cluster, list[tuple[int, int]]]]
) -> dict[str, pa.Table]:
    """Per layer kind: distinct raw coordinates of its clustered rows, with the rank."""
    result = {}
    for n, layer in enumerate(layers):
        rank_of_label = {label: c.rank for c, group in ranked for m, label in group if m == n}
        place_label = layer.labels[layer.places.index] if len(layer.labels) else layer.labels
        lookup = np.full(int(layer.labels.max(initial=-1)) + 2, -1, dtype=np.int64)
        for label, rank in rank_of_label.items():
            lookup[label] = rank
        ranks = lookup[place_label] if len(place_label) else np.empty(0, dtype=np.int64)
        keep = pa.array(ranks > 0)
        table = pa.table(
            {
                "latitude": layer.rows["latitude"].filter(keep),
                "longitude": layer.rows["longitude"].filter(keep),
                "cluster": pa.array(ranks).filter(keep),
            }
        ).cast(aggregate.PLACE_CLUSTER_SCHEMA)
        result[layer.kind] = table.group_by(["latitude", "longitude", "cluster"]).aggregate([])
    return result


# ------------------------------------------------------------------ collaboration


def collaboration(
    engine: QueryEngine, source: Source, *, hot: pa.Table | None = None
) -> list[CollaborationYear]:
    """Per-year team, international and hotspot-international shares (see the class)."""
    table = aggregate.collaboration_counts(engine, source, hot)
    return [_collaboration_year(row) for row in table.to_pylist()]


def _collaboration_year(row: dict[str, Any]) -> CollaborationYear:
    with_people, international = int(row["with_people"]), int(row["international"])
    return CollaborationYear(
        year=row["year"],
        patents=int(row["docs"]),
        with_inventors=with_people,
        teams=int(row["teams"]),
        international=international,
        international_hotspot=int(row["international_hot"]),
        unlocated=int(row["unlocated"]),
        team_share=_ratio(int(row["teams"]), with_people),
        international_share=_ratio(international, with_people),
        hotspot_international_share=_ratio(int(row["international_hot"]), international),
    )


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def check_years(years: tuple[int, int] | None) -> None:
    if years is not None and years[0] > years[1]:
        raise ValidationError(f"empty year range {years[0]}-{years[1]}", field="years")
