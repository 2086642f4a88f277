"""The floor a build is measured against: what pyoxigraph alone takes to load the same data.

    python benchmarks/bench_floor.py inputs PROJECT STORE_DIR     # floor (a)
    python benchmarks/bench_floor.py dump BUILD_DIR NQUADS_FILE    # not timed
    python benchmarks/bench_floor.py load NQUADS_FILE STORE_DIR    # floor (b)

(a) parse + bulk load of the project's input files (ontology/*.ttl, data/reference/*.ttl,
    data/reports/*/*.ttl) into a fresh on-disk Store, then optimize (the build optimizes after a
    full build too). The files are parsed by ox.parse and streamed into one Store.bulk_extend,
    pyoxigraph's bulk loader fed by an iterator: one Store.bulk_load call per file was 3x
    slower at 43 reports (9-10 s against 3.4 s), because each call writes and ingests its own
    files, which is no floor.
(b) the built store dumped to one N-Quads file (not timed), then that file loaded with one
    Store.bulk_load into a fresh on-disk Store, then optimize: the cost of writing exactly the
    quads the build wrote.

Each step runs in a fresh process (bench_process.run_measured) and prints one JSON line with
its in-process figures; the measured wall and CPU seconds are the process's own.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_process import run_measured  # noqa: E402

PY = sys.executable


def input_files(project: Path) -> list[Path]:
    """The RDF files a build of ``project`` reads into its store (CSV reference files are not RDF)."""
    return (sorted((project / "ontology").glob("*.ttl")) + sorted((project / "data" / "reference").glob("*.ttl"))
            + sorted((project / "data" / "reports").glob("*/*.ttl")))


def built_store(build_dir: Path) -> Path:
    """The store of the build in use: the version BUILD_DIR/current points at, else BUILD_DIR/store
    (the layout of peelkg.pipeline.publish, read here so that the floor imports pyoxigraph only)."""
    current = build_dir / "current"
    return (current.resolve() if current.is_symlink() else build_dir) / "store"


def _timed(work) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    quads = work()
    return {"quads": quads, "in_process_s": time.perf_counter() - started, "in_process_cpu_s": time.process_time() - cpu}


def _load_inputs(project: str, store_dir: str) -> dict:
    import pyoxigraph as ox

    files = input_files(Path(project))

    def work() -> int:
        store = ox.Store(store_dir)
        store.bulk_extend(itertools.chain.from_iterable(
            ox.parse(path=str(f), format=ox.RdfFormat.TURTLE) for f in files))
        store.optimize()
        return len(store)

    return {"files": len(files), **_timed(work)}


def _dump(build_dir: str, nquads: str) -> dict:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(built_store(Path(build_dir))))
    store.dump(nquads, ox.RdfFormat.N_QUADS)
    return {"bytes": Path(nquads).stat().st_size}


def _load_dump(nquads: str, store_dir: str) -> dict:
    import pyoxigraph as ox

    def work() -> int:
        store = ox.Store(store_dir)
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
        store.optimize()
        return len(store)

    return {"bytes": Path(nquads).stat().st_size, **_timed(work)}


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _step(name: str, args: list[str], timeout: float | None, memory_mib: float | None) -> dict:
    """One step in a fresh process; its figures, or why it has none."""
    result = run_measured([PY, str(Path(__file__).resolve()), name, *args], timeout, memory_mib)
    entry = {k: result[k] for k in ("wall_s", "cpu_s", "tree_peak_mib", "returncode", "stopped")}
    lines = [line for line in result["stdout"].splitlines() if line.startswith("{")]
    if result["returncode"] == 0 and lines:
        entry.update(json.loads(lines[-1]))
    else:
        entry["error"] = result["stopped"] or result["stderr"][-2000:] or f"exit code {result['returncode']}"
    return entry


def measure_inputs(project: Path, work: Path, timeout: float | None = None, memory_mib: float | None = None) -> dict:
    """Floor (a); the store it makes is deleted afterwards."""
    store_dir = work / "floor-inputs-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    try:
        return _step("inputs", [str(project), str(store_dir)], timeout, memory_mib)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def measure_written(build_dir: Path, work: Path, timeout: float | None = None, memory_mib: float | None = None) -> dict:
    """Floor (b): dump (not timed), then a timed load; the dump and the store are deleted afterwards.
    Skipped, and said so, when the disk has not room for a dump and a store about 3x the built store."""
    nquads, store_dir = work / "floor-written.nq", work / "floor-written-store"
    need = 3 * dir_bytes(built_store(build_dir)) + 2**30
    free = shutil.disk_usage(work).free
    if free < need:
        return {"error": f"skipped: needs about {need / 2**30:.1f} GiB of disk, {free / 2**30:.1f} GiB free"}
    shutil.rmtree(store_dir, ignore_errors=True)
    try:
        dumped = _step("dump", [str(build_dir), str(nquads)], timeout, memory_mib)
        if "error" in dumped:
            return {"error": f"dump failed: {dumped['error']}"}
        entry = _step("load", [str(nquads), str(store_dir)], timeout, memory_mib)
        entry["dump_s"] = dumped["wall_s"]
        return entry
    finally:
        nquads.unlink(missing_ok=True)
        shutil.rmtree(store_dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    steps = {"inputs": _load_inputs, "dump": _dump, "load": _load_dump}
    if len(argv) != 3 or argv[0] not in steps:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(steps[argv[0]](argv[1], argv[2])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
