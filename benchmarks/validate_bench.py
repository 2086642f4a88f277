"""How long `peelkg validate` takes on one report of the Met report's size (~4,000 triples).

Not a test: run it by hand and compare with the goals.

    .venv/bin/python benchmarks/validate_bench.py [--runs 5]

(i)  from the shell: `peelkg validate data/reports/peel-2015-effectiveness-metropolitan` in a new
     process each time (interpreter start, imports, loading the ontology, reference data and
     shapes, validation, output); median of the runs. Goal: at most 4 s.
(ii) warm, in-process: the ontology, reference data and shapes (Base) loaded once, then the
     report validated again and again; median. Goal: at most 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "reports" / "peel-2015-effectiveness-metropolitan"
PEELKG = Path(sys.executable).with_name("peelkg")
GOALS = {"shell": 4.0, "warm": 2.0}


def shell_runs(runs: int) -> list[float]:
    command = [str(PEELKG), "--project", str(ROOT), "validate", str(REPORT)]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"peelkg validate failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return times


def warm_runs(runs: int) -> tuple[float, list[float]]:
    from peelkg.pipeline.context import Base
    from peelkg.project import Project
    from peelkg.validation.validator import Validator

    project = Project(ROOT)
    started = time.perf_counter()
    validator = Validator(project, Base(project))
    load = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = validator.validate([REPORT])
        times.append(time.perf_counter() - started)
        assert not outcome.violations, outcome.violations
    return load, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from peelkg.project import Report
    from peelkg.rdf.io import read_many

    triples = len(read_many(Report(REPORT.name, REPORT).files))
    print(f"report: {REPORT.relative_to(ROOT)} ({triples} triples), {args.runs} runs each")
    shell = shell_runs(args.runs)
    load, warm = warm_runs(args.runs)
    ok = True
    for name, times in (("shell", shell), ("warm", warm)):
        median = statistics.median(times)
        verdict = "ok" if median <= GOALS[name] else "OVER GOAL"
        ok &= median <= GOALS[name]
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"({'i' if name == 'shell' else 'ii'}) {name:5}  median {median:.2f} s  (goal <= {GOALS[name]:.0f} s: {verdict})  runs: {runs}")
    print(f"     loading ontology, reference data and shapes once: {load:.2f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
