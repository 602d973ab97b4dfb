"""How many worker processes to start, and whether they may be forked.

Kept apart from the corpus modules, which load numpy, so that the command line
asks without loading it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def in_a_worker() -> bool:
    return multiprocessing.current_process().daemon


def default_workers() -> int:
    if in_a_worker():
        return 1  # pool workers may not start pools of their own
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def fork_is_safe() -> bool:
    """Whether worker processes may be forked: forking starts a worker in
    milliseconds and copies nothing, but is unsafe once other threads hold locks."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
