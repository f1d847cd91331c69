"""Name services: harmonise a CSV column, read confirmed links, explain two names."""

from __future__ import annotations

import csv
import io
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.errors import InputFormatError, NotFound, ValidationError
from ipops.names.chinese import has_cjk
from ipops.names.compare import candidate_pairs, comparable, features, shipped_model
from ipops.names.models import NameLink
from ipops.names.resolve import REASONS, Entity, Join, Link, resolve_names

OUTPUT_COLUMNS = ("name_normalized", "entity_id", "entity_name")
GROUP_COLUMNS = ("group_id", "group_name")
LINK_COLUMNS = ("name_a", "name_b", "same")
SAME_WORDS = {"1": True, "yes": True, "same": True, "true": True, "是": True,
              "0": False, "no": False, "apart": False, "false": False, "否": False}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HarmonizeSummary:
    """What ``harmonize_csv`` did; ``text`` holds the CSV when no output file was given."""

    rows: int
    entities: int
    blank: int
    output: Path | None
    text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "entities": self.entities,
            "blank": self.blank,
            "output": str(self.output) if self.output else None,
        }


def harmonize_csv(
    input: Path,
    column: str,
    output: Path | None,
    *,
    links: tuple[Link, ...] = (),
    groups: bool = False,
) -> HarmonizeSummary:
    """Copy a CSV (UTF-8, with or without BOM) adding name_normalized, entity_id, entity_name.

    The names of the whole column are resolved together (``resolve_names``), with the
    user's ``links``; ``groups`` adds group_id and group_name for roll-ups.
    """
    fields, rows = _read_csv(input, "file")
    if column not in fields:
        raise ValidationError(
            f"no column {column!r} in {input.name}; columns: {', '.join(fields) or 'none'}",
            field=column,
        )
    resolution = resolve_names((row.get(column) or "" for row in rows), links=links)
    added = OUTPUT_COLUMNS + (GROUP_COLUMNS if groups else ())
    blank = 0
    for row in rows:
        name = row.get(column) or ""
        if not name.strip():
            row.update(dict.fromkeys(added, ""))
            blank += 1
            continue
        entity = resolution.by_name[name]
        row.update(
            name_normalized=resolution.normalized[name],
            entity_id=entity.entity_id,
            entity_name=entity.entity_name,
            group_id=entity.group_id,
            group_name=entity.group_name,
        )
    text = _to_csv(rows, fields + [name for name in added if name not in fields])
    if output is not None:
        output.write_text(text, encoding="utf-8", newline="")
    return HarmonizeSummary(
        rows=len(rows),
        entities=resolution.entities,
        blank=blank,
        output=output,
        text=None if output is not None else text,
    )


def read_links(path: Path) -> tuple[Link, ...]:
    """User-confirmed links from a CSV with columns name_a, name_b, same (yes/no, 是/否)."""
    fields, rows = _read_csv(path, "links")
    missing = [name for name in LINK_COLUMNS if name not in fields]
    if missing:
        raise ValidationError(
            f"{path.name} lacks column(s) {', '.join(missing)}; needs {', '.join(LINK_COLUMNS)}",
            field="links",
        )
    links: list[Link] = []
    for number, row in enumerate(rows, start=2):
        same = SAME_WORDS.get((row["same"] or "").strip().lower())
        if same is None or not (row["name_a"] or "").strip() or not (row["name_b"] or "").strip():
            raise ValidationError(
                f"{path.name} row {number}: needs two names and same = yes or no",
                field="links",
            )
        links.append(Link(row["name_a"], row["name_b"], same, "user"))
    return tuple(links)


def _read_csv(path: Path, field: str) -> tuple[list[str], list[dict[str, Any]]]:
    if not path.is_file():
        raise NotFound(f"no such file: {path}", field=field)
    try:
        with path.open(encoding="utf-8-sig", newline="") as source:
            reader = csv.DictReader(source)
            return list(reader.fieldnames or []), list(reader)
    except UnicodeDecodeError as error:
        raise InputFormatError(
            f"{path.name} is not UTF-8 text ({error.reason})", field=field
        ) from error


def _to_csv(rows: list[dict[str, Any]], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Explanation:
    """Whether two names are one entity, and the joins (or their absence) that say why."""

    name_a: str
    name_b: str
    normalized_a: str
    normalized_b: str
    entity_a: Entity
    entity_b: Entity
    path: tuple[Join, ...]
    score: float | None
    comparable: bool
    threshold: float
    refused: tuple[Join, ...]
    same_group: bool

    @property
    def same(self) -> bool:
        return self.entity_a.entity_id == self.entity_b.entity_id

    def lines(self, lang: str = "zh") -> list[str]:
        """The explanation as sentences in Chinese (``zh``) or English (``en``)."""
        zh = lang == "zh"
        out = [
            f"{'名称' if zh else 'name'} A: {self.name_a} → {self.normalized_a}",
            f"{'名称' if zh else 'name'} B: {self.name_b} → {self.normalized_b}",
        ]
        if self.same:
            out.append(
                f"{'同一主体' if zh else 'one entity'}: {self.entity_a.entity_name} "
                f"({self.entity_a.entity_id})"
            )
            for join in self.path:
                reason = REASONS[join.reason][0 if zh else 1]
                score = f" ({'得分' if zh else 'score'} {join.score:.3f})" if join.score else ""
                out.append(f"  {join.a} ↔ {join.b}: {reason}{score}")
            return out
        out.append(
            f"{'不同主体' if zh else 'two entities'}: {self.entity_a.entity_name} "
            f"({self.entity_a.entity_id}) / {self.entity_b.entity_name} ({self.entity_b.entity_id})"
        )
        if self.score is not None and not self.comparable:
            out.append(
                "  两个名称的词语不同（多一个或少一个词），相似度模型不予合并"
                if zh
                else "  not spellings of the same words (a word more or less): "
                "the pairwise model never joins them"
            )
        elif self.score is not None:
            verdict = (
                f"相似度模型得分 {self.score:.3f}，低于阈值 {self.threshold:.3f}"
                if zh
                else f"pairwise model score {self.score:.3f}, below its threshold "
                f"{self.threshold:.3f}"
            )
            out.append("  " + verdict)
        else:
            out.append(
                "  规范化名称不同，无别名、链接或相似度候选"
                if zh
                else "  different normalised names; no alias, link or scored candidate"
            )
        for join in self.refused:
            out.append(
                f"  {join.a} ↔ {join.b}: "
                + ("被用户标记为不同主体" if zh else "kept apart by a user's link")
            )
        if self.same_group:
            out.append(
                f"  {'同属集团' if zh else 'same group'}: {self.entity_a.group_name} "
                f"({self.entity_a.group_id})"
            )
        return out


def explain(name_a: str, name_b: str, *, links: tuple[Link, ...] = ()) -> Explanation:
    """Why ``name_a`` and ``name_b`` are, or are not, one entity (``resolve_names`` on both)."""
    for field, name in (("name_a", name_a), ("name_b", name_b)):
        if not name.strip():
            raise ValidationError(f"{field} is blank", field=field)
    resolution = resolve_names([name_a, name_b], links=links)
    norm_a, norm_b = resolution.normalized[name_a], resolution.normalized[name_b]
    entity_a, entity_b = resolution.by_name[name_a], resolution.by_name[name_b]
    model = shipped_model()
    score = None
    if norm_a != norm_b and not has_cjk(norm_a) and not has_cjk(norm_b):
        pairs = candidate_pairs([norm_a, norm_b])
        cosine = pairs[0][2] if pairs else 0.0
        score = model.probability(features(norm_a, norm_b, 1, 1, cosine))
    return Explanation(
        name_a=name_a,
        name_b=name_b,
        normalized_a=norm_a,
        normalized_b=norm_b,
        entity_a=entity_a,
        entity_b=entity_b,
        path=_path(resolution.joins, norm_a, norm_b),
        score=score,
        comparable=comparable(norm_a, norm_b),
        threshold=model.threshold,
        refused=resolution.refused,
        same_group=entity_a.group_id == entity_b.group_id,
    )


def _path(joins: tuple[Join, ...], start: str, end: str) -> tuple[Join, ...]:
    """The joins linking ``start`` to ``end`` (breadth first), empty when none does."""
    edges: dict[str, list[tuple[str, Join]]] = defaultdict(list)
    for join in joins:
        edges[join.a].append((join.b, join))
        edges[join.b].append((join.a, join))
    came: dict[str, tuple[str, Join] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for other, join in edges[node]:
            if other not in came:
                came[other] = (node, join)
                queue.append(other)
    if end not in came or start == end:
        return ()
    steps: list[Join] = []
    node = end
    while (step := came[node]) is not None:
        node, join = step
        steps.append(join)
    return tuple(reversed(steps))


def confirm_link(
    *, db_session: Session, name_a: str, name_b: str, same: bool, confirmed_by: str
) -> Link:
    """Record a user's decision that two names are (or are not) one entity; replaces an
    earlier decision on the same pair, in either order."""
    for field, name in (("name_a", name_a), ("name_b", name_b)):
        if not name.strip():
            raise ValidationError(f"{field} is blank", field=field)
        if len(name) > 500:
            raise ValidationError(f"{field} is longer than 500 characters", field=field)
    existing = db_session.scalars(
        select(NameLink).where(
            ((NameLink.name_a == name_a) & (NameLink.name_b == name_b))
            | ((NameLink.name_a == name_b) & (NameLink.name_b == name_a))
        )
    ).first()
    row = existing or NameLink(name_a=name_a, name_b=name_b)
    row.same, row.confirmed_by, row.confirmed_at = same, confirmed_by, datetime.now(UTC)
    db_session.add(row)
    db_session.flush()
    return Link(row.name_a, row.name_b, same, "user")


def confirmed_links(*, db_session: Session) -> tuple[Link, ...]:
    """Every link users confirmed, oldest first."""
    rows = db_session.scalars(select(NameLink).order_by(NameLink.id))
    return tuple(Link(row.name_a, row.name_b, row.same, "user") for row in rows)
