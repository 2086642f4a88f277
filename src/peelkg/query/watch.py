"""Keeping the command line in charge while pyoxigraph computes.

pyoxigraph evaluates a query in Rust without returning to Python until it has a row (for an
aggregate over a cartesian product, or a ``(<p>|!<p>)*`` path, that can be hours), so neither
Ctrl-C nor a deadline checked between rows can stop it. The query therefore runs on a worker
thread (pyoxigraph releases the GIL while it computes) and the main thread waits in short
steps: Ctrl-C raises KeyboardInterrupt there at once (the CLI exits with 130), and once the
deadline has passed the wait ends with ``on_timeout``. The abandoned worker dies with the
process, which the CLI ends right after; it only ever reads the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

STEP = 0.1  # seconds between checks for Ctrl-C and the deadline


def run_watched(work: Callable[[], T], seconds: float | None, on_timeout: Callable[[], BaseException]) -> T:
    """``work()``'s value, computed on a worker thread; raises ``on_timeout()`` after ``seconds``
    (None: no deadline), and KeyboardInterrupt as soon as Ctrl-C is pressed."""
    outcome: dict = {}

    def worker() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread, raised there
            outcome["error"] = exc

    thread = threading.Thread(target=worker, name="peelkg-query", daemon=True)
    deadline = None if seconds is None else time.monotonic() + seconds
    thread.start()
    while thread.is_alive():
        thread.join(STEP)
        if deadline is not None and time.monotonic() > deadline and thread.is_alive():
            raise on_timeout()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
