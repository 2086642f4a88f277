"""Per-report SHACL validation time on each engine: pyshacl-turbo (the default) against pySHACL (the
reference, PEELKG_SHACL_ENGINE=pyshacl), measured interleaved in the same process and run.

Not a test: run it by hand.

    .venv/bin/python benchmarks/bench_shacl_engines.py [--rounds 5]

Each round validates the Met report and then every grade-only report (the other reports of
data/reports) with the shapes of each engine in turn, the engines' order alternating between
rounds; the base (ontology, reference data) and shapes are loaded once per engine beforehand, as a
build worker does. It prints, per engine, the median over the rounds of the Met report's time and
of the grade-only reports' time (summed over them, and per report), the ratio of each to pySHACL's,
and the CPU seconds; then checks the engines gave the same problems.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MET = "peel-2015-effectiveness-metropolitan"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from peelkg.pipeline.context import Base
    from peelkg.project import Project
    from peelkg.rdf.io import read_many
    from peelkg.validation.engines import ENGINES, PYSHACL
    from peelkg.validation.shapes import Shapes

    project = Project(ROOT)
    base = Base(project)
    reports = {r.id: read_many(r.files) for r in project.reports()}
    grade_only = [rid for rid in reports if rid != MET]
    loaded = {name: Shapes(project.shapes_files, engine=name).on_base(base.ontology + base.reference)
              for name in ENGINES}
    wall: dict = {(e, part): [] for e in ENGINES for part in ("met", "grade-only")}
    cpu: dict = {key: [] for key in wall}
    results: dict = {e: {} for e in ENGINES}
    for round_ in range(args.rounds):
        order = ENGINES if round_ % 2 == 0 else tuple(reversed(ENGINES))
        for engine in order:
            for part, ids in (("met", [MET]), ("grade-only", grade_only)):
                started, started_cpu = time.perf_counter(), time.process_time()
                for rid in ids:
                    results[engine][rid] = loaded[engine].validate(reports[rid])
                wall[engine, part].append(time.perf_counter() - started)
                cpu[engine, part].append(time.process_time() - started_cpu)
    load = os.getloadavg()[0]
    print(f"{args.rounds} rounds, engines interleaved; 1-minute load {load:.1f} on {os.cpu_count()} cores; "
          f"grade-only: {len(grade_only)} reports")
    print(f"{'engine':15} {'part':11} {'wall s med':>10} {'min':>7} {'per report':>10} {'cpu s med':>9} {'ratio':>6}")
    for part in ("met", "grade-only"):
        count = 1 if part == "met" else len(grade_only)
        reference = statistics.median(wall[PYSHACL, part])
        for engine in ENGINES:
            median = statistics.median(wall[engine, part])
            print(f"{engine:15} {part:11} {median:10.3f} {min(wall[engine, part]):7.3f} {median / count:10.4f} "
                  f"{statistics.median(cpu[engine, part]):9.3f} {median / reference:6.2f}")
    same = all(results[e] == results[PYSHACL] for e in ENGINES)
    print("same problems on every report:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
