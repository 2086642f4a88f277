"""Benchmark the shell: what `peelkg` costs from the command line beside the query it runs.

    .venv/bin/python benchmarks/bench_shell.py [--project DIR] [--build-dir DIR] [--runs 20] [--json FILE]

Run `peelkg build` first. In one run, interleaved (one run of each command in turn, so that a
machine growing busier slows them all alike), each in a fresh process:

- ``python -c pass``: the interpreter's own start, the floor of any command;
- ``peelkg --help``, ``peelkg queries`` and ``peelkg query grades-by-question`` (output thrown away);

then, in this process, on the store opened once:

- the same query through peelkg's query path (look it up, resolve and bind its parameter, run it,
  write the table): what `peelkg query` does after it has started;
- the same bound query text on raw pyoxigraph (``store.query``, every row read).

Each figure is the median of ``--runs`` runs (after one warm-up), wall and CPU time (the child's
user + system, from the OS); the overhead is `peelkg query` end to end minus the in-process query
path, and the ratios are to the in-process path and to raw pyoxigraph. CPU time is the steadier
figure on a busy machine. The commands run with bytecode caching allowed (PYTHONDONTWRITEBYTECODE
removed from their environment), as a user's installation has it: the warm-up writes the caches.

``measure_shell(build_dir, project, runs)`` returns the figures as a dict, for other benchmarks.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERY = "grades-by-question"
COMMANDS = {  # label -> arguments after `python`
    "python -c pass": ["-c", "pass"],
    "peelkg --help": ["-m", "peelkg", "--help"],
    "peelkg queries": ["-m", "peelkg", "queries"],
    f"peelkg query {QUERY}": ["-m", "peelkg", "query", QUERY],
}
SHELL_QUERY = f"peelkg query {QUERY}"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process (its output thrown away)."""
    cpu, started = _child_cpu(), time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A blocking wait, with a timer as the backstop for a hung command: subprocess.run(timeout=...)
    # waits by polling, in sleeps of up to 50 ms, which rounded every figure up to the next poll
    # (medians of 114.6 or 165.2 ms for commands that took 70-120 ms).
    killer = threading.Timer(120, child.kill)
    killer.start()
    try:
        code = child.wait()
    finally:
        killer.cancel()
    if code != 0:
        raise subprocess.CalledProcessError(code, [sys.executable, *args])
    return time.perf_counter() - started, _child_cpu() - cpu


def _summary(seconds: list[float]) -> dict:
    return {"median_ms": 1000 * statistics.median(seconds), "min_ms": 1000 * min(seconds),
            "max_ms": 1000 * max(seconds)}


def _in_process(build_dir: Path, project: Path, runs: int) -> dict:
    """The query through peelkg's query path, and raw pyoxigraph, on a store opened once."""
    from peelkg.pipeline.store import open_store
    from peelkg.project import Project
    from peelkg.query.local import Limits, LocalEngine
    from peelkg.query.output import write
    from peelkg.query.binding import bind
    from peelkg.query.params import Resolver
    from peelkg.query.runner import answer, prepare

    peelkg_project = Project.locate(str(project))
    store = open_store(build_dir)
    engine = LocalEngine(store, Limits(timeout=60.0))  # as `peelkg query` runs it

    def query_path() -> None:
        query, values = prepare(peelkg_project, QUERY, None, [])
        write(answer(engine, query, values), "table")

    query, values = prepare(peelkg_project, QUERY, None, [])
    bound = bind(query.text, Resolver(engine.lookup).resolve_all(query, values))

    def raw() -> None:
        solutions = store.query(bound)
        names = [v.value for v in solutions.variables]
        [[row[n] for n in names] for row in solutions]

    figures = {}
    for label, work in (("query path", query_path), ("raw pyoxigraph", raw)):
        work()  # warm-up
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            seconds.append(time.perf_counter() - started)
        figures[label] = _summary(seconds)
    return figures


def measure_shell(build_dir: Path | str, project: Path | str, runs: int) -> dict:
    """Median (and min, max) wall and CPU ms of each command in fresh processes, the query in
    process, and `peelkg query`'s overhead and ratios; the load average before and after."""
    build_dir, project = Path(build_dir), Path(project)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PEELKG_PROJECT=str(project), PEELKG_BUILD_DIR=str(build_dir))
    load_before = os.getloadavg()[0]
    wall: dict[str, list[float]] = {label: [] for label in COMMANDS}
    cpu: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for round_ in range(runs + 1):
        for label, args in COMMANDS.items():
            seconds, cpu_seconds = _run_once(args, env)
            if round_:  # the first round is the warm-up
                wall[label].append(seconds)
                cpu[label].append(cpu_seconds)
    shell = {label: {"wall": _summary(wall[label]), "cpu": _summary(cpu[label])} for label in COMMANDS}
    in_process = _in_process(build_dir, project, runs)
    end_to_end = shell[SHELL_QUERY]["wall"]["median_ms"]
    path = in_process["query path"]["median_ms"]
    return {
        "runs": runs,
        "load_average": {"before": load_before, "after": os.getloadavg()[0]},
        "shell": shell,
        "in_process": in_process,
        "query_end_to_end_ms": end_to_end,
        "query_overhead_ms": end_to_end - path,
        "ratio_to_query_path": end_to_end / path,
        "ratio_to_raw": end_to_end / in_process["raw pyoxigraph"]["median_ms"],
        "ratio_to_python": end_to_end / shell["python -c pass"]["wall"]["median_ms"],
    }


def report(figures: dict) -> str:
    """The figures as a Markdown table and the verdict lines."""
    raw = figures["in_process"]["raw pyoxigraph"]["median_ms"]
    lines = [f"median of {figures['runs']} runs each (min-max); load average "
             f"{figures['load_average']['before']:.2f} before, {figures['load_average']['after']:.2f} after",
             "",
             "| what | wall ms | cpu ms | wall / raw pyoxigraph |",
             "|---|---:|---:|---:|"]
    for label, row in figures["shell"].items():
        w, c = row["wall"], row["cpu"]
        lines.append(f"| `{label}` (fresh process) | {w['median_ms']:.1f} ({w['min_ms']:.1f}-{w['max_ms']:.1f}) "
                     f"| {c['median_ms']:.1f} | {w['median_ms'] / raw:.1f} |")
    for label, w in figures["in_process"].items():
        lines.append(f"| {label}, in process, store open | {w['median_ms']:.2f} ({w['min_ms']:.2f}-{w['max_ms']:.2f}) "
                     f"| | {w['median_ms'] / raw:.2f} |")
    lines += ["",
              f"`{SHELL_QUERY}`: {figures['query_end_to_end_ms']:.1f} ms end to end (target 100), "
              f"{figures['query_overhead_ms']:.1f} ms over the in-process query path (target 80); "
              f"{figures['ratio_to_query_path']:.1f}x the query path, {figures['ratio_to_raw']:.1f}x raw pyoxigraph, "
              f"{figures['ratio_to_python']:.1f}x `python -c pass`."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO, help="the project (default: this repository)")
    parser.add_argument("--build-dir", type=Path, default=None, help="the build (default: PROJECT/build)")
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args()
    figures = measure_shell(args.build_dir or args.project / "build", args.project, args.runs)
    print(report(figures), end="")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
