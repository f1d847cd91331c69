"""The pool domain for scripts (``ipops.open(home).pool``):
each method is keyword-only, runs one use case in one transaction and returns its frozen records."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipops.platform import Platform


class PoolAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform
