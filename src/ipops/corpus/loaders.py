"""Loads other than patent source files: legal-status events, family tables and generated
corpora."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipops.corpus import event_files, families, generate
from ipops.corpus.ingest import (
    LoadJob,
    LoadReport,
    LoadTarget,
    ProgressCallback,
    load,
)
from ipops.corpus.prepare import prepare_chunk
from ipops.corpus.sources import describe_sources, load_key_for
from ipops.errors import InputFormatError


def load_events(
    target: LoadTarget,
    path: Path,
    *,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """``ipops corpus events FILE``: legal-status events; patents' status derives from them."""
    job = _file_job(path, kind="events", source_format="events", options={}, strict=strict)
    return load(target, job, map(prepare_chunk, event_files.read_events(path)), progress=progress)


def _file_job(
    path: Path, *, kind: str, source_format: str, options: dict[str, Any], strict: bool
) -> LoadJob:
    """The job of a load from one file (events, families), after checking the file exists."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file", field="path")
    sources = describe_sources([path])
    return LoadJob(
        kind=kind,
        source_format=source_format,
        sources=sources,
        load_key=load_key_for(source_format, sources, options),
        options=options,
        strict=strict,
    )


def load_families(
    target: LoadTarget,
    path: Path,
    *,
    family_type: str | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """``ipops corpus families FILE``: DOCDB/INPADOC-style family members (``families``)."""
    job = _file_job(
        path,
        kind="families",
        source_format=families.SOURCE,
        options={"family_type": family_type},
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
