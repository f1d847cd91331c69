"""ipops: an open platform for IP operations (知识产权运营)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ipops")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
