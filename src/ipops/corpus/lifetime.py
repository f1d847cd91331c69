"""Worker processes that end with the process that started them.

``ipops corpus ingest`` parses USPTO XML in forked workers (hundreds of MB each). Killed
with ``kill -9``, the loader cannot stop them; without help they would be reparented to
PID 1 and run on. Each worker therefore asks Linux to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``) and, on any system, watches its parent's pid once a
second and exits when it changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Initializer of a worker process: end when ``parent_pid`` ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still ends the worker
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    watcher = threading.Thread(target=_watch, args=(parent_pid,), daemon=True)
    watcher.start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
