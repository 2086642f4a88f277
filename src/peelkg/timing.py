"""Seconds spent per named stage: the build reports its own timings (summary and manifest)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


class Stopwatch:
    """Adds up the wall time spent in each named stage, in the order the stages first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def add(self, seconds: Mapping[str, float]) -> None:
        """Add stages timed elsewhere (a worker process's)."""
        for name, value in seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value


def describe(seconds: Mapping[str, float]) -> str:
    """``load 0.52, reports 0.61`` (seconds, two decimals), for the build summary."""
    return ", ".join(f"{name} {value:.2f}" for name, value in seconds.items()) or "-"
