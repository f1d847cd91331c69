"""The alias table shipped as data: Chinese applicants and their registered English names.

``data/cn_applicants.csv`` has one row per legal entity: its full Chinese name
(``name_zh``, the entity's canonical name), the English names it files under abroad
(``names_en``, ``|``-separated, as printed on US, EP and PCT documents), the short names
in use (``short_zh``, ``short_en``) and the group it belongs to (``group_zh``, another
row's ``name_zh``) so that rankings can roll up to the group on request. Source: the
applicant and assignee names printed on the entities' published CN, US (USPTO grants,
PatentsView assignee table) and WO documents; see docs/names.md.

A variant that two rows share is ambiguous and links nothing (``AliasTable.ambiguous``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ipops.names.chinese import core_and_place, has_cjk
from ipops.names.normalize import entity_id_for, normalize_name

ALIAS_FILE = Path(__file__).with_name("data") / "cn_applicants.csv"


@dataclass(frozen=True, slots=True)
class AliasEntity:
    """One legal entity of the alias table."""

    name_zh: str
    key: str  # the normalised Chinese name: its entity id's source
    group_zh: str | None

    @property
    def entity_id(self) -> str:
        return entity_id_for(self.key)


@dataclass(frozen=True, slots=True)
class AliasTable:
    by_variant: dict[str, AliasEntity]
    by_name: dict[str, AliasEntity]
    ambiguous: frozenset[str]

    def lookup(self, normalized: str) -> AliasEntity | None:
        """The entity a normalised name is a listed variant of (for Chinese, also its core)."""
        found = self.by_variant.get(normalized)
        if found is None and has_cjk(normalized):
            core, place = core_and_place(normalized)
            found = self.by_variant.get(core)
            if found is not None and place and place != core_and_place(found.key)[1]:
                return None  # 格力电器(重庆) is a subsidiary, not 珠海格力电器
        return found

    def group_of(self, entity: AliasEntity) -> AliasEntity | None:
        return self.by_name.get(entity.group_zh) if entity.group_zh else None


def _variants(row: dict[str, str]) -> set[str]:
    names = [row["name_zh"], row["short_zh"], row["short_en"], *row["names_en"].split("|")]
    variants = {normalize_name(name) for name in names if name.strip()}
    core = core_and_place(normalize_name(row["name_zh"]))[0]
    if core:
        variants.add(core)
    return variants


@lru_cache(maxsize=4)
def load_aliases(path: Path = ALIAS_FILE) -> AliasTable:
    """The alias table at ``path`` (default: the one shipped with ipops)."""
    by_variant: dict[str, AliasEntity] = {}
    by_name: dict[str, AliasEntity] = {}
    ambiguous: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as source:
        for row in csv.DictReader(source):
            entity = AliasEntity(
                name_zh=row["name_zh"],
                key=normalize_name(row["name_zh"]),
                group_zh=row["group_zh"] or None,
            )
            by_name[entity.name_zh] = entity
            for variant in _variants(row):
                other = by_variant.get(variant)
                if other is not None and other != entity:
                    ambiguous.add(variant)
                by_variant[variant] = entity
    for variant in ambiguous:
        del by_variant[variant]
    return AliasTable(by_variant, by_name, frozenset(ambiguous))
