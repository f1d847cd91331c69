"""The workspace: one folder holding the registry (by default), the corpus and run artefacts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ipops import __version__
from ipops.config import Settings, load_settings
from ipops.errors import NoWorkspace

MARKER = "ipops-workspace.json"


@dataclass(frozen=True)
class Workspace:
    root: Path
    database_url: str

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def rejects_dir(self) -> Path:
        return self.root / "rejects"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def marker(self) -> Path:
        return self.root / MARKER

    @property
    def revocation_stamp(self) -> Path:
        """Replaced whenever a token or user changes, so that every process of the
        workspace forgets the token answers it remembers (``accounts.tokens``)."""
        return self.root / "accounts.stamp"


def create_workspace(settings: Settings | None = None) -> Workspace:
    """Create (or re-open) the workspace folder and its sub-folders; idempotent."""
    settings = settings or load_settings()
    root = settings.resolved_home()
    ws = Workspace(root=root, database_url=settings.registry_url())
    for folder in (ws.root, ws.corpus_dir, ws.rejects_dir, ws.reports_dir):
        folder.mkdir(parents=True, exist_ok=True)
    if not ws.marker.exists():
        ws.marker.write_text(json.dumps({"format": 1, "created_by": __version__}) + "\n")
    return ws


def open_workspace(settings: Settings | None = None) -> Workspace:
    """Open an existing workspace, or say clearly how to make one."""
    settings = settings or load_settings()
    root = settings.resolved_home()
    if not (root / MARKER).exists():
        raise NoWorkspace(
            f"no ipops workspace at {root}. Run `ipops init` first "
            "(or point IPOPS_HOME at an existing workspace)."
        )
    return Workspace(root=root, database_url=settings.registry_url())
