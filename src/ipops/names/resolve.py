"""Organisation names to entities: normalisation, then links, then a scored comparison.

``resolve_names`` takes every mention of a collection (a CSV column, an ingest batch, a
benchmark) and gives each distinct raw name an ``Entity``. Steps, each recorded as the
``reason`` of the joins it makes (``explain`` shows them):

1. ``normalized``: names with one normalised form (``ipops.names.normalize``) are one.
2. ``user`` links: the user's decisions (``Link``; ``same=False`` keeps two names apart
   against every later step).
3. ``alias``: names listed for one entity in the alias table (``ipops.names.aliases``):
   Chinese full and short names, registered English names.
4. ``family`` links: the CN and foreign members of one family or priority claim name one
   applicant in two languages (``ipops.names.links.family_links``).
5. ``chinese_core``: Chinese names with one core (no place, no legal form) whose places do
   not disagree: 格力电器 and 珠海格力电器; never 北京小米科技 and 上海小米科技, and a core
   used with two places joins nothing without a place.
6. ``pinyin``: a Latin name that is the pinyin of exactly one Chinese name.
7. ``scored``: candidate pairs from blocking that spell the same words (``comparable``)
   scored by the pairwise model (``ipops.names.compare``); most frequent names first,
   each joins its best-scoring centre at or above the model's threshold.

An entity's id is ``entity_id_for`` of its alias-table name when it has one, else of its
most frequent normalised form, so one name alone keeps the id ``harmonize_name`` gives it.
Its readable name is the alias table's Chinese name or the most frequent raw spelling.
The group relation (``group_id``) comes from the alias table and never merges entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ipops.names.aliases import AliasTable, load_aliases
from ipops.names.chinese import core_and_place, has_cjk, pinyin_key
from ipops.names.compare import (
    PairwiseModel,
    candidate_pairs,
    comparable,
    features,
    shipped_model,
)
from ipops.names.normalize import entity_id_for, normalize_name

REASONS: dict[str, tuple[str, str]] = {
    "normalized": ("规范化后名称相同", "same normalised name"),
    "user": ("用户确认为同一主体", "confirmed by a user as one entity"),
    "alias": ("别名表中为同一主体", "listed for one entity in the alias table"),
    "family": ("同族或优先权中的同一申请人", "one applicant across a family or priority claim"),
    "chinese_core": (
        "去掉地名和组织形式后字号相同",
        "same trade name once place and legal form go",
    ),
    "pinyin": ("拼音与中文名称一致", "the pinyin of the Chinese name"),
    "scored": ("相似度模型判定为同一主体", "the pairwise model scores them as one"),
}


class _Joiner(Protocol):
    def __call__(self, a: str, b: str, reason: str, score: float | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class Link:
    """Two names that are (``same``) or are not one entity, and who says so."""

    name_a: str
    name_b: str
    same: bool = True
    source: str = "user"


@dataclass(frozen=True, slots=True)
class Entity:
    entity_id: str
    entity_name: str
    group_id: str
    group_name: str


@dataclass(frozen=True, slots=True)
class Join:
    """Why two normalised forms were put together."""

    a: str
    b: str
    reason: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    by_name: dict[str, Entity]
    normalized: dict[str, str]
    joins: tuple[Join, ...]
    refused: tuple[Join, ...]

    @property
    def entities(self) -> int:
        return len({entity.entity_id for entity in self.by_name.values()})


@dataclass
class _Forest:
    """Union-find over normalised forms, with cannot-link sets kept by root."""

    parent: dict[str, str] = field(default_factory=dict)
    apart: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def keep_apart(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        self.apart[root_a].add(root_b)
        self.apart[root_b].add(root_a)

    def blocked(self, a: str, b: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        return any(self.find(other) == root_b for other in self.apart.get(root_a, ()))

    def union(self, a: str, b: str) -> bool:
        """Join the sets of a and b unless kept apart; False when refused."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if self.blocked(a, b):
            return False
        self.parent[root_b] = root_a
        self.apart[root_a] |= self.apart.pop(root_b, set())
        return True


def resolve_names(
    names: Iterable[str],
    *,
    links: Sequence[Link] = (),
    aliases: AliasTable | None = None,
    model: PairwiseModel | None = None,
    threshold: float | None = None,
) -> Resolution:
    """An ``Entity`` for each distinct non-blank raw name of ``names`` (see the module)."""
    raw_counts = Counter(name for name in names if name and name.strip())
    table = aliases if aliases is not None else load_aliases()
    pairwise = model if model is not None else shipped_model()
    cut = pairwise.threshold if threshold is None else threshold
    normalized = {raw: normalize_name(raw) for raw in raw_counts}
    counts: Counter[str] = Counter()
    for raw, count in raw_counts.items():
        counts[normalized[raw]] += count
    forest = _Forest()
    joins: list[Join] = []
    refused: list[Join] = []

    def join(a: str, b: str, reason: str, score: float | None = None) -> None:
        if forest.find(a) == forest.find(b):
            return
        (joins if forest.union(a, b) else refused).append(Join(a, b, reason, score))

    for form in counts:
        forest.find(form)
    link_forms = [
        (normalize_name(link.name_a), normalize_name(link.name_b), link) for link in links
    ]
    for a, b, link in link_forms:
        if not link.same:
            forest.keep_apart(a, b)
    for a, b, link in link_forms:
        if link.same and link.source == "user":
            join(a, b, "user")
    _join_aliases(counts, table, join)
    for a, b, link in link_forms:
        if link.same and link.source != "user":
            join(a, b, "family")
    _join_chinese_cores(counts, join)
    _join_pinyin(counts, join)
    _join_scored(counts, pairwise, cut, join)
    return _entities(raw_counts, normalized, counts, forest, table, joins, refused)


def _join_aliases(counts: Counter[str], table: AliasTable, join: _Joiner) -> None:
    for form in list(counts):
        entity = table.lookup(form)
        if entity is not None and entity.key != form:
            join(entity.key, form, "alias")


def _join_chinese_cores(counts: Counter[str], join: _Joiner) -> None:
    by_core: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for form in counts:
        if has_cjk(form):
            core, place = core_and_place(form)
            if len(core) >= 2:
                by_core[core].append((place, form))
    for members in by_core.values():
        places = {place for place, _ in members if place}
        for place in places or {""}:
            same = [form for other, form in members if other == place or len(places) <= 1]
            for form in same[1:]:
                join(same[0], form, "chinese_core")


def _join_pinyin(counts: Counter[str], join: _Joiner) -> None:
    by_pinyin: dict[str, set[str]] = defaultdict(set)
    for form in counts:
        if has_cjk(form):
            core, _place = core_and_place(form)
            for text in {form.replace(" ", ""), core}:
                key = pinyin_key(text)
                if len(key) >= 8:
                    by_pinyin[key].add(form)
    for form in counts:
        if not has_cjk(form):
            targets = by_pinyin.get(form.replace(" ", ""), set())
            if len(targets) == 1:
                join(next(iter(targets)), form, "pinyin")


def _join_scored(
    counts: Counter[str], model: PairwiseModel, threshold: float, join: _Joiner
) -> None:
    """Star clustering: most frequent forms first; each joins its best-scoring centre.

    A form that joins nothing becomes a centre. Only centres attract, so a chain of
    similar names (general foods → universal foods → universal dynamics) cannot form.
    """
    latin = sorted(
        (form for form in counts if not has_cjk(form) and len(form) >= 3),
        key=lambda form: (-counts[form], form),
    )
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, j, cosine in candidate_pairs(latin):
        neighbours[max(i, j)].append((min(i, j), cosine))
    centres: set[int] = set()
    for index, form in enumerate(latin):
        best: tuple[float, int] | None = None
        for other, cosine in neighbours.get(index, ()):
            if other in centres and comparable(latin[other], form):
                centre = latin[other]
                values = features(centre, form, counts[centre], counts[form], cosine)
                probability = model.probability(values)
                if probability >= threshold and (best is None or probability > best[0]):
                    best = (probability, other)
        if best is None:
            centres.add(index)
        else:
            join(latin[best[1]], form, "scored", round(best[0], 4))


def _entities(
    raw_counts: Counter[str],
    normalized: dict[str, str],
    counts: Counter[str],
    forest: _Forest,
    table: AliasTable,
    joins: list[Join],
    refused: list[Join],
) -> Resolution:
    members: dict[str, list[str]] = defaultdict(list)
    for form in forest.parent:
        members[forest.find(form)].append(form)
    raw_by_form: dict[str, Counter[str]] = defaultdict(Counter)
    for raw, count in raw_counts.items():
        raw_by_form[normalized[raw]][raw] = count
    entity_of_root: dict[str, Entity] = {}
    for root, forms in members.items():
        entity_of_root[root] = _entity(forms, counts, raw_by_form, table)
    by_name = {raw: entity_of_root[forest.find(normalized[raw])] for raw in raw_counts}
    return Resolution(by_name, normalized, tuple(joins), tuple(refused))


def _entity(
    forms: list[str], counts: Counter[str], raw_by_form: dict[str, Counter[str]], table: AliasTable
) -> Entity:
    # the alias identity goes to the set holding the entity's own key: a name kept apart
    # from it by a user's link does not take it
    listed = sorted(
        {e.name_zh: e for f in forms if (e := table.lookup(f)) and e.key in forms}.values(),
        key=str,
    )
    if listed:
        alias = listed[0]
        group = table.group_of(alias) or alias
        return Entity(
            entity_id=alias.entity_id,
            entity_name=alias.name_zh,
            group_id=group.entity_id,
            group_name=group.name_zh,
        )
    top = min(forms, key=lambda form: (-counts[form], form))
    spellings: Counter[str] = Counter()
    for form in forms:
        spellings.update(raw_by_form.get(form, Counter()))
    name = min(spellings, key=lambda raw: (-spellings[raw], raw)) if spellings else top
    entity_id = entity_id_for(top)
    return Entity(entity_id=entity_id, entity_name=name, group_id=entity_id, group_name=name)
