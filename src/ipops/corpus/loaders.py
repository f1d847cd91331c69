"""Loads other than patent source files: legal-status events, family tables and generated
corpora."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipops.corpus import events, families, generate
from ipops.corpus.ingest import (
    LoadJob,
    LoadReport,
    LoadTarget,
    ProgressCallback,
    describe_sources,
    load,
    load_key_for,
)
from ipops.corpus.prepare import prepare_chunk
from ipops.errors import InputFormatError


def load_events(
    target: LoadTarget,
    path: Path,
    *,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """``ipops corpus events FILE``: legal-status events; patents' status derives from them."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file", field="path")
    sources = describe_sources([path])
    job = LoadJob(
        kind="events",
        source_format="events",
        sources=sources,
        load_key=load_key_for("events", sources, {}),
        options={},
        strict=strict,
    )
    return load(target, job, map(prepare_chunk, events.read_events(path)), progress=progress)


def load_families(
    target: LoadTarget,
    path: Path,
    *,
    family_type: str | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """``ipops corpus families FILE``: DOCDB/INPADOC-style family members (``families``)."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file", field="path")
    sources = describe_sources([path])
    options: dict[str, Any] = {"family_type": family_type}
    job = LoadJob(
        kind="families",
        source_format=families.SOURCE,
        sources=sources,
        load_key=load_key_for(families.SOURCE, sources, options),
        options=options,
        strict=strict,
    )
    chunks = families.read_family_table(path, family_type=family_type)
    return load(target, job, map(prepare_chunk, chunks), progress=progress)


def load_generated(
    target: LoadTarget,
    *,
    patents: int,
    seed: int,
    progress: ProgressCallback | None = None,
    allow_generated: bool = False,
) -> LoadReport:
    """``ipops corpus generate``: a synthetic corpus, every record marked generated.

    Refused (Conflict) in a corpus holding real patents unless ``allow_generated``."""
    options: dict[str, Any] = {"patents": patents, "seed": seed, "generator": 1}
    job = LoadJob(
        kind="patents",
        source_format="generated",
        sources=[],
        load_key=load_key_for("generated", [], options),
        options=options,
        allow_generated=allow_generated,
    )
    chunks = generate.generate_corpus(patents=patents, seed=seed)
    return load(target, job, map(prepare_chunk, chunks), progress=progress, progress_total=patents)
