"""A progress bar for long builds, shown only on a terminal and only after a few seconds."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Call ``update(done, total, label)``; prints nothing for builds shorter than ``delay``."""

    def __init__(self, noun: str, *, delay: float = 2.0, stream=None):
        self.noun = noun
        self.delay = delay
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown = False

    def update(self, done: int, total: int, label: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if elapsed < self.delay or not getattr(self.stream, "isatty", lambda: False)():
            return
        width = 30
        filled = int(width * done / max(total, 1))
        eta = elapsed / done * (total - done) if done else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.noun} "
            f"{elapsed:5.1f} s, about {eta:4.0f} s left  "
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
