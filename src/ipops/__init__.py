"""ipops: an open platform for IP operations (知识产权运营).

For scripts: ``ipops.open(home)`` returns the platform with ``corpus``, ``value``, ``pool``,
``finance``, ``geo`` and ``reports`` (see docs/python.md).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from ipops.platform import Platform

try:
    __version__ = version("ipops")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def open(home: str | Path | None = None) -> Platform:
    """The workspace at ``home`` (default: ``IPOPS_HOME``, else ./ipops-data), opened."""
    from ipops.platform import open_platform

    return open_platform(home)


__all__ = ["__version__", "open"]
