"""The backup archive itself: what it holds, writing it with checksums, and reading it back
verified (every member's SHA-256 checked before a restore changes anything).

The archive is a gzip-compressed tar file (docs/operations.md); see :mod:`ipops.ops.backup`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import lzma
import tarfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ipops.errors import InputFormatError
from ipops.ops.tables import (
    TableDump,
)

FORMAT_NAME = "ipops-backup"
FORMAT_VERSION = 1
HEADER = "backup.json"
TOP_LEVEL = frozenset({HEADER, "registry", "corpus", "rejects"})
COMPRESS_LEVEL = 3
BLOCK = 1 << 20

ProgressCallback = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name inside, and where its bytes are now."""

    name: str
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


# -- backup: the archive -----------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile, hashing and counting what passes."""

    def __init__(self, handle: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.on_bytes = on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.on_bytes(len(data))
        return data


def _tar_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o644
    info.type = tarfile.REGTYPE
    return info


def write_archive(
    target: Path,
    members: list[Member],
    header: dict[str, Any],
    progress: ProgressCallback | None = None,
) -> dict[str, dict[str, Any]]:
    """Write ``members`` and then ``backup.json`` (with their checksums) as a .tar.gz."""
    sizes = {m.name: m.size for m in members}
    total, done = sum(sizes.values()), 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("writing archive", done, total)

    checksums: dict[str, dict[str, Any]] = {}
    mtime = time.time()
    with tarfile.open(target, "w:gz", compresslevel=COMPRESS_LEVEL) as tar:
        for member in members:
            with member.path.open("rb") as handle:
                reader = _HashingReader(handle, advance)
                tar.addfile(_tar_info(member.name, sizes[member.name], mtime), reader)
            checksums[member.name] = {
                "sha256": reader.digest.hexdigest(),
                "bytes": sizes[member.name],
            }
        data = json.dumps({**header, "members": checksums}, ensure_ascii=False, indent=1).encode()
        tar.addfile(_tar_info(HEADER, len(data), mtime), _BytesReader(data))
    return checksums


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# -- restore: reading and verifying ------------------------------------------------------


@dataclass
class Extracted:
    folder: Path
    header: dict[str, Any]
    digests: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def revision(self) -> str | None:
        value = self.header.get("alembic_revision")
        return str(value) if value else None

    def table_dumps(self) -> dict[str, TableDump]:
        tables = self.header["registry"]["tables"]
        return {name: TableDump.from_dict(name, spec) for name, spec in tables.items()}


_CORRUPT_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError)


def extract_verified(
    source: Path, folder: Path, progress: ProgressCallback | None = None
) -> Extracted:
    """Unpack ``source`` into ``folder`` and check it against its ``backup.json``."""
    total = source.stat().st_size
    try:
        with source.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:

            def advance() -> None:
                if progress:
                    progress("verifying archive", raw.tell(), total)

            digests = _extract_members(tar, folder, advance)
            _drain(tar)
    except _CORRUPT_ERRORS as exc:
        raise InputFormatError(
            f"{source}: the archive is corrupt or truncated ({exc or type(exc).__name__}); "
            "nothing was changed",
            field="archive",
        ) from exc
    extracted = Extracted(folder, _read_header(source, folder), digests)
    _verify_members(source, extracted)
    return extracted


def _drain(tar: tarfile.TarFile) -> None:
    """Read the compressed stream to its end, so that its own checksum is verified."""
    stream = tar.fileobj
    if stream is not None:
        while stream.read(BLOCK):
            pass


def safe_member_name(member: tarfile.TarInfo) -> str:
    """The member's path if it is a plain file or folder inside the archive's own layout."""
    name = member.name
    path = PurePosixPath(name)
    unsafe = (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or path.parts[0] not in TOP_LEVEL
    )
    if unsafe:
        raise InputFormatError(
            f"the archive holds an unsafe path {name!r} (absolute, '..' or outside the "
            "backup layout); refusing it, nothing was changed",
            field="archive",
        )
    if not (member.isreg() or member.isdir()):
        raise InputFormatError(
            f"the archive holds {name!r}, which is not a plain file (a link or device); "
            "refusing it, nothing was changed",
            field="archive",
        )
    return path.as_posix()


def _extract_members(
    tar: tarfile.TarFile, folder: Path, advance: Callable[[], None]
) -> dict[str, dict[str, Any]]:
    digests: dict[str, dict[str, Any]] = {}
    root = folder.resolve()
    for member in tar:
        name = safe_member_name(member)
        destination = (folder / name).resolve()
        if not destination.is_relative_to(root):
            raise InputFormatError(f"the archive path {name!r} leaves the folder", field="archive")
        if member.isdir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        if name in digests:
            raise InputFormatError(f"the archive holds {name!r} twice", field="archive")
        digests[name] = _extract_file(tar, member, destination)
        advance()
    return digests


def _extract_file(
    tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path
) -> dict[str, Any]:
    handle = tar.extractfile(member)
    if handle is None:
        raise InputFormatError(f"cannot read {member.name!r} from the archive", field="archive")
    digest, size = hashlib.sha256(), 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with handle, destination.open("wb") as out:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
            out.write(block)
            size += len(block)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _read_header(source: Path, folder: Path) -> dict[str, Any]:
    path = folder / HEADER
    if not path.is_file():
        raise InputFormatError(
            f"{source}: the archive is corrupt or truncated, or not an ipops backup: it has "
            f"no {HEADER}; nothing was changed",
            field="archive",
        )
    try:
        header: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputFormatError(f"{source}: {HEADER} is not valid JSON", field="archive") from exc
    if header.get("format") != FORMAT_NAME:
        raise InputFormatError(f"{source}: not an ipops backup archive", field="archive")
    if not isinstance(header.get("members"), dict) or not isinstance(
        header.get("registry", {}).get("tables"), dict
    ):
        raise InputFormatError(f"{source}: {HEADER} lacks members or tables", field="archive")
    if int(header.get("format_version", 0)) > FORMAT_VERSION:
        raise InputFormatError(
            f"{source}: backup format {header['format_version']} is newer than this ipops "
            f"reads ({FORMAT_VERSION}); upgrade ipops",
            field="archive",
        )
    return header


def _verify_members(source: Path, extracted: Extracted) -> None:
    listed: dict[str, dict[str, Any]] = extracted.header.get("members", {})
    found = {k: v for k, v in extracted.digests.items() if k != HEADER}
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    damaged = sorted(n for n in set(listed) & set(found) if listed[n] != found[n])
    problems = [
        f"{len(missing)} member(s) missing (first: {missing[0]})" if missing else "",
        f"{len(extra)} unexpected member(s) (first: {extra[0]})" if extra else "",
        f"{len(damaged)} member(s) fail the checksum (first: {damaged[0]})" if damaged else "",
    ]
    if any(problems):
        raise InputFormatError(
            f"{source}: the archive does not match its {HEADER}: "
            + "; ".join(p for p in problems if p)
            + "; nothing was changed",
            field="archive",
        )
