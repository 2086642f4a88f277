"""Scale benchmark of `peelkg build` and the stored queries on synthetic corpora (issue 14).

    nice -n 10 .venv/bin/python benchmarks/bench_scale.py --sizes 1,43,430,4300 [--out benchmarks/out]

For each size N: generate a corpus of N reports (benchmarks/generate_corpus.py; not timed), then,
each in a fresh process,

a. floor (a): pyoxigraph parses the corpus's input files (ontology, reference data, reports) and
   bulk-loads them into a fresh on-disk store (benchmarks/bench_floor.py); wall and CPU seconds;
b. full build: `peelkg --project P --build-dir B build --full -q`; wall time, CPU seconds (user +
   sys of the build and its workers), peak RSS of the largest process (/usr/bin/time -v) and peak
   memory of the whole process tree (sum of PSS, sampled every 0.2 s); the build's stages as the
   build reports them in build/manifest.json. A build running over --build-timeout s or taking
   the tree over --build-memory MiB is stopped and reported as such;
c. floor (b): the built store dumped to N-Quads (not timed) and that file bulk-loaded into a fresh
   on-disk store: the cost of writing what the build wrote;
d. incremental rebuild: one statistic value changed in one report file, `peelkg build` again
   (median of --incremental-runs edits);
e. every stored query (queries/*.rq, default parameters), opened once with peelkg.pipeline.store.open_store
   and run with peelkg.query.local.run_local, --runs times, against the same bound query text run with
   raw pyoxigraph (store.query(...) on the default graph, which holds each triple once, and every row materialised);
f. the shell: `peelkg --project P --build-dir B query grades-by-question` in fresh processes
   (median of --shell-runs) against the same query in process (e);
g. the naive way, for sizes up to --naive-max (not with --skip-naive): rdflib parse of everything,
   owlrl OWL RL closure of the union, pyshacl (SHACL Core and SHACL-SPARQL) on it, killed after
   --naive-timeout s.

Results: tables and issue 14's targets on stdout, benchmarks/out/results.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_floor  # noqa: E402
import bench_process  # noqa: E402
import generate_corpus as gen  # noqa: E402
from bench_process import TreeMemory, child_env, log, run_measured, source_digest  # noqa: E402
from bench_report import SHELL_QUERY, render, summary_tables, targets  # noqa: E402

PY = sys.executable
EDIT_STAT = "statistic/recorded-crime-change-one-year-mps"  # unit:percent-change: any value is valid
REPORT_BYTES = 300_000  # a generated report file (measured: 12.7 MB for 43 reports with the shared files)


# -- (b, d) builds: the build reports its own stage timings (manifest.json summary) ----

def build_once(project: Path, build_dir: Path, full: bool, jobs: int | None, timeout: float | None = None,
               memory_mib: float | None = None) -> dict:
    peelkg_args = ["--project", str(project), "--build-dir", str(build_dir), "build", "-q"]
    if full:
        peelkg_args.append("--full")
    if jobs:
        peelkg_args += ["--jobs", str(jobs)]
    result = run_measured([PY, "-m", "peelkg", *peelkg_args], timeout, memory_mib)
    try:
        result["summary"] = json.loads((build_dir / "manifest.json").read_text())["summary"]
    except (OSError, ValueError, KeyError):
        result["summary"] = None
    return result


def edit_one_statistic(project: Path, report_id: str, delta: int) -> str:
    """Change one statistic value of one report file (re-serialised as the generator writes it)."""
    import pyoxigraph as ox

    path = gen.report_file(project, report_id)
    triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    target = gen.ID + f"report/{report_id}/{EDIT_STAT}"
    changed = None
    for i, t in enumerate(triples):
        if t.subject.value == target and t.predicate.value == gen.PEEL + "value":
            changed = int(t.object.value) + delta
            triples[i] = ox.Triple(t.subject, t.predicate, ox.Literal(str(changed), datatype=gen.XSD_INTEGER))
    if changed is None:
        raise RuntimeError(f"{target} has no peel:value in {path}")
    force_id = report_id.split("-effectiveness-", 1)[1]
    force = next(f for f in gen.load_forces() if f.id == force_id)
    gen.write_turtle(path, triples, gen.report_prefixes(report_id, force))
    return f"{EDIT_STAT} of {report_id} -> {changed}"


# -- (e) stored queries ----

def _focus_report(project_root: Path) -> str:
    """The report the stored queries' defaults name (the Met 2015 report) if the corpus has it,
    else the corpus's first report."""
    reports = sorted(p.name for p in (project_root / "data" / "reports").iterdir() if p.is_dir())
    return gen.TEMPLATE_ID if gen.TEMPLATE_ID in reports else reports[0]


def _substitute(value: str, focus: str) -> str:
    """A default value naming the Met report or force, made to name the focus report and force."""
    force = focus.split("-effectiveness-", 1)[1]
    return value.replace(gen.TEMPLATE_ID, focus).replace(gen.TEMPLATE_FORCE, force)


def _query_worker(project_dir: str, build_dir: str, runs: int, start: int = 0) -> int:
    """Runs the stored queries from number ``start`` on; prints one JSON line when opening the
    store, before each query and after it (so that the parent can stop a runaway query)."""
    import pyoxigraph as ox

    from peelkg.errors import UserError
    from peelkg.project import Project
    from peelkg.query.library import Library
    from peelkg.query.binding import bind
    from peelkg.query.params import Resolver
    from peelkg.pipeline.store import open_store
    from peelkg.query.local import lookup_on, run_local

    project = Project(Path(project_dir))
    t0 = time.perf_counter()
    store = open_store(Path(build_dir))
    open_s = time.perf_counter() - t0
    print(json.dumps({"open_store_s": open_s}), flush=True)
    resolver = Resolver(lookup_on(store))
    focus = _focus_report(project.root)
    required = {"report": focus, "force": focus.split("-effectiveness-", 1)[1], "grade": "good",
                "question": "q2", "year": focus.split("-")[1], "integer": "1", "string": "a"}

    def raw(text: str) -> int:
        answer = store.query(text)
        if isinstance(answer, ox.QuerySolutions):
            variables = answer.variables
            return len([[row[v] for v in variables] for row in answer])
        if isinstance(answer, ox.QueryBoolean):
            return int(bool(answer))
        return len(list(answer))

    for index, query in enumerate(Library(project.queries_dir).queries.values()):
        if index < start:
            continue
        print(json.dumps({"start": index, "name": query.name}), flush=True)
        entry = {"name": query.name, "notes": []}
        values = {}
        try:
            for param in query.params:
                value = param.default
                if value is None:
                    if param.type not in required:
                        raise UserError(f"required parameter {param.name} ({param.type}) has no benchmark value")
                    value = required[param.type]
                    entry["notes"].append(f"{param.name}={value} (required)")
                elif focus != gen.TEMPLATE_ID and _substitute(value, focus) != value:
                    value = _substitute(value, focus)
                    entry["notes"].append(f"{param.name}={value}")
                elif param.type == "entity" and ":" not in value:
                    # A unit's id (falcon-team) is every force's in a corpus of several forces:
                    # the default means the focus force's unit.
                    value = f"force:{required['force']}/{value}"
                    entry["notes"].append(f"{param.name}={value}")
                values[param.name] = value
            # As `peelkg query` does: questions and grades in the context of the report's cycle.
            text = bind(query.text, resolver.resolve_all(query, values))
            result = run_local(store, text)  # warm-up
            entry["rows"] = len(result.rows) if result.rows is not None else (
                len(result.graph) if result.graph is not None else int(bool(result.boolean)))
            raw(text)
            local_ms, raw_ms = [], []
            for _ in range(runs):
                t = time.perf_counter()
                run_local(store, text)
                local_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                raw(text)
                raw_ms.append((time.perf_counter() - t) * 1000)
            entry.update(local_ms=local_ms, raw_ms=raw_ms)
        except UserError as exc:
            entry["error"] = str(exc)
        print(json.dumps({"done": index, "entry": entry}), flush=True)
    return 0


def run_queries(project: Path, build_dir: Path, runs: int, timeout: float, memory_mib: float) -> dict:
    """The query worker in a fresh process; a query running longer than ``timeout`` s or taking
    the worker over ``memory_mib`` is stopped, recorded as such, and the worker restarted after it."""
    import queue

    entries: list[dict] = []
    opens: list[float] = []
    start = 0
    while True:
        cmd = [PY, str(Path(__file__).resolve()), "_queries", str(project), str(build_dir), str(runs), str(start)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, env=child_env())
        sampler = TreeMemory(proc.pid, 0.1)
        sampler.start()
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout] and None, daemon=True).start()
        current, since, stopped = None, time.perf_counter(), None
        while True:
            try:
                msg = json.loads(lines.get(timeout=0.1))
            except queue.Empty:
                msg = None
            except ValueError:
                continue
            if msg is not None:
                if "open_store_s" in msg:
                    opens.append(msg["open_store_s"])
                elif "start" in msg:
                    current, since = msg, time.perf_counter()
                elif "done" in msg:
                    entries.append(msg["entry"])
                    current = None
                continue
            if proc.poll() is not None and lines.empty():
                break
            if current is not None:
                if time.perf_counter() - since > timeout:
                    stopped = f"stopped after {timeout:.0f} s"
                elif sampler.current_kb / 1024 > memory_mib:
                    stopped = f"stopped at {sampler.current_kb / 1024:.0f} MiB after {time.perf_counter() - since:.0f} s"
            if stopped:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
        sampler.stop()
        if stopped:
            log(f"    query {current['name']}: {stopped}")
            entries.append({"name": current["name"], "notes": [], "error": stopped})
            start = current["start"] + 1
            continue
        if proc.returncode != 0:
            entries.append({"name": "(worker)", "notes": [], "error": proc.stderr.read()[-2000:]})
        break
    for q in entries:
        if "local_ms" in q:
            q["median_ms"] = statistics.median(q["local_ms"])
            q["max_ms"] = max(q["local_ms"])
            q["raw_median_ms"] = statistics.median(q["raw_ms"])
            q["ratio"] = q["median_ms"] / q["raw_median_ms"] if q["raw_median_ms"] > 0 else None
            q["ratio_best"] = min(q["local_ms"]) / min(q["raw_ms"]) if min(q["raw_ms"]) > 0 else None
    return {"open_store_s": opens[0] if opens else None, "queries": entries}


# -- (g) the naive way ----

def _naive_worker(project_dir: str) -> int:
    """rdflib + owlrl full closure + pyshacl over the union; prints one JSON line per step."""
    import owlrl
    import pyshacl
    import rdflib
    from rdflib.namespace import RDF, SH

    from peelkg.project import Project

    def say(**kw) -> None:
        print(json.dumps(kw), flush=True)

    project = Project(Path(project_dir))
    t0 = time.perf_counter()
    graph = rdflib.Graph()
    files = project.ontology_files + project.reference_files + [f for r in project.reports() for f in r.files]
    for path in files:
        graph.parse(path, format="turtle")
    shapes = rdflib.Graph()
    for path in project.shapes_files:
        shapes.parse(path, format="turtle")
    t1 = time.perf_counter()
    say(step="parse", seconds=t1 - t0, triples=len(graph))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    t2 = time.perf_counter()
    say(step="closure", seconds=t2 - t1, triples=len(graph))
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    t3 = time.perf_counter()
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violations = sum(1 for r in results if report.value(r, SH.resultSeverity) == SH.Violation)
    say(step="validate", seconds=t3 - t2, conforms=bool(conforms), results=len(results), violations=violations)
    return 0


def run_naive(project: Path, timeout: float) -> dict:
    result = run_measured([PY, str(Path(__file__).resolve()), "_naive", str(project)], timeout=timeout)
    steps = {}
    for line in result["stdout"].splitlines():
        try:
            step = json.loads(line)
            steps[step.pop("step")] = step
        except ValueError:
            pass
    return {"wall_s": result["wall_s"], "timed_out": result["timed_out"], "returncode": result["returncode"],
            "steps": steps, "tree_peak_mib": result["tree_peak_mib"], "timeout_s": timeout,
            "stderr": result["stderr"][-1000:] if result["returncode"] not in (0, None) and not result["timed_out"] else ""}


# -- (f) the shell ----

def shell_params(notes: list[str]) -> list[str]:
    """`-p NAME VALUE` options for the parameter values the query worker substituted or supplied
    (its notes read 'report=peel-... (required)' or 'report=peel-...')."""
    options = []
    for note in notes:
        name, _, value = note.removesuffix(" (required)").partition("=")
        options += ["-p", name, value]
    return options


def measure_shell(project: Path, build_dir: Path, runs: int, in_process: dict | None) -> dict:
    """`peelkg query` end to end in fresh processes (one untimed warm-up, then ``runs`` timed), as
    a user types it, beside the same query's in-process median from the query worker."""
    script = Path(PY).parent / "peelkg"
    command = [str(script)] if script.exists() else [PY, "-m", "peelkg"]
    argv = [*command, "--project", str(project), "--build-dir", str(build_dir), "query", SHELL_QUERY,
            *shell_params((in_process or {}).get("notes", []))]
    # With bytecode caching allowed, as a user's installation has it (bench_shell does the same):
    # the warm-up run writes the caches.
    env = {k: v for k, v in child_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    times_ms = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        elapsed = (time.perf_counter() - started) * 1000
        if done.returncode != 0:
            return {"argv": argv[len(command):], "error": f"exit code {done.returncode}: {done.stderr.strip()[-500:]}"}
        if i:
            times_ms.append(elapsed)
    median = statistics.median(times_ms)
    in_ms = (in_process or {}).get("median_ms")
    return {"argv": argv[len(command):], "runs_ms": times_ms, "median_ms": median, "min_ms": min(times_ms),
            "in_process_ms": in_ms, "overhead_ms": None if in_ms is None else median - in_ms}


# -- The benchmark ----

def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check_disk(out: Path, n: int) -> None:
    """Refuse a size whose corpus and build would not fit: the build's store was 46x the corpus
    at 43 reports (580 MB for 12.7 MB), so about 50x, with 2 GiB to spare. Floor (b) checks its
    own room (bench_floor.measure_written) and is skipped, saying so, without it."""
    need = 50 * n * REPORT_BYTES + 2 * 2**30
    free = shutil.disk_usage(out).free
    if free < need:
        raise SystemExit(f"{n} reports need about {need / 2**30:.0f} GiB of disk in {out}; "
                         f"{free / 2**30:.0f} GiB are free. Give --out on a bigger disk or a smaller size.")


def bench_size(n: int, args) -> dict:
    out: Path = args.out
    project, build_dir = out / f"corpus-{n}", out / f"build-{n}"
    if build_dir.exists():
        shutil.rmtree(build_dir)
    check_disk(out, n)
    log(f"[{n}] generating corpus")
    t0 = time.perf_counter()
    ids = gen.generate(project, n, args.seed)
    entry: dict = {"reports": n, "generate_s": time.perf_counter() - t0, "peelkg_source": source_digest(),
                   "started": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "nice": os.nice(0),
                   "load": load_average(), "floor": {}}
    try:
        _bench_built(n, ids, project, build_dir, entry, args)
    finally:
        if not args.keep:
            shutil.rmtree(project, ignore_errors=True)
            shutil.rmtree(build_dir, ignore_errors=True)
    entry["load_end"] = load_average()
    return entry


def _bench_built(n: int, ids: list[str], project: Path, build_dir: Path, entry: dict, args) -> None:
    log(f"[{n}] floor (a): parse + bulk load of the corpus's files")
    entry["floor"]["inputs"] = bench_floor.measure_inputs(project, args.out, args.build_timeout, args.build_memory)

    log(f"[{n}] full build (stopped after {args.build_timeout:.0f} s or at {args.build_memory:.0f} MiB)")
    full = build_once(project, build_dir, True, args.jobs, args.build_timeout, args.build_memory)
    entry["full"] = _strip(full)
    if full["stopped"] or full["returncode"] != 0:
        log(f"[{n}] full build {full['stopped'] or 'failed: ' + full['stderr'][-2000:]}")
        return
    entry["triples"] = full["summary"]["triples"] if full["summary"] else None
    entry["corpus_bytes"] = bench_floor.dir_bytes(project)  # for the disk needed at larger sizes
    entry["store_bytes"] = bench_floor.dir_bytes(bench_floor.built_store(build_dir))

    log(f"[{n}] floor (b): bulk load of everything the build wrote")
    entry["floor"]["written"] = bench_floor.measure_written(build_dir, args.out, args.build_timeout, args.build_memory)

    edited = ids[len(ids) // 2]
    entry["incremental"] = []
    for i in range(args.incremental_runs):
        what = edit_one_statistic(project, edited, i + 1)
        log(f"[{n}] incremental build {i + 1}/{args.incremental_runs} ({what})")
        inc = build_once(project, build_dir, False, args.jobs, args.build_timeout, args.build_memory)
        inc["edit"] = what
        entry["incremental"].append(_strip(inc))
        if inc["returncode"] != 0 or inc["stopped"]:
            log(f"[{n}] incremental build {inc['stopped'] or 'failed: ' + inc['stderr'][-2000:]}")
            break

    log(f"[{n}] stored queries")
    entry["queries"] = run_queries(project, build_dir, args.runs, args.query_timeout, args.query_memory)

    log(f"[{n}] `peelkg query {SHELL_QUERY}` from the shell, {args.shell_runs} runs")
    in_process = next((q for q in entry["queries"]["queries"] if q["name"] == SHELL_QUERY and "median_ms" in q), None)
    entry["shell"] = measure_shell(project, build_dir, args.shell_runs, in_process)

    if not args.skip_naive and n <= args.naive_max:
        log(f"[{n}] naive rdflib + owlrl + pyshacl (timeout {args.naive_timeout:.0f} s)")
        entry["naive"] = run_naive(project, args.naive_timeout)


def _strip(result: dict) -> dict:
    keep = {k: v for k, v in result.items() if k not in ("stdout",)}
    if result.get("returncode") == 0:
        keep.pop("stderr", None)
    return keep


def _write(entries: list[dict], args) -> str:
    text = render(entries, args)
    (args.out / "results.json").write_text(json.dumps(entries, indent=1, default=str))
    (args.out / "results.md").write_text(text)
    return text


def _print_summary(entries: list[dict], args) -> None:
    print("\n".join(summary_tables(entries)))
    print()
    print("\n".join(targets(entries)))
    print(f"\nfull results: {args.out / 'results.md'}")


def rerun_queries(sizes: list[int], args) -> int:
    """Run only the stored queries (and the shell) again on builds kept by an earlier run (--keep)."""
    if not args.live_src and (args.out / "peelkg-snapshot").is_dir():
        bench_process.use_snapshot(args.out / "peelkg-snapshot")  # the code the builds were made with
    entries = json.loads((args.out / "results.json").read_text())
    for entry in entries:
        if entry["reports"] in sizes:
            n = entry["reports"]
            project, build_dir = args.out / f"corpus-{n}", args.out / f"build-{n}"
            log(f"[{n}] stored queries (again)")
            entry["queries"] = run_queries(project, build_dir, args.runs, args.query_timeout, args.query_memory)
            entry["queries"]["rerun"] = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
            in_process = next((q for q in entry["queries"]["queries"] if q["name"] == SHELL_QUERY), None)
            entry["shell"] = measure_shell(project, build_dir, args.shell_runs, in_process)
    _write(entries, args)
    _print_summary(entries, args)
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,43,430", help="comma-separated report counts (default 1,43,430)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="output folder (default benchmarks/out)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="runs of each stored query (default 5)")
    parser.add_argument("--incremental-runs", type=int, default=3, help="incremental rebuilds (default 3)")
    parser.add_argument("--shell-runs", type=int, default=5,
                        help=f"timed runs of `peelkg query {SHELL_QUERY}` from the shell (default 5)")
    parser.add_argument("--build-timeout", type=float, default=1800,
                        help="stop a build (or a floor step) after this many seconds (default 1800: 3x the 4,300 target)")
    parser.add_argument("--build-memory", type=float, default=6144,
                        help="stop a build (or a floor step) whose process tree passes this many MiB "
                             "(default 6144: 3x the 2 GiB target; the machine's memory is shared)")
    parser.add_argument("--naive-max", type=int, default=43, help="largest size for the naive pipeline (default 43)")
    parser.add_argument("--skip-naive", action="store_true", help="do not run the naive pipeline at any size")
    parser.add_argument("--naive-timeout", type=float, default=300, help="seconds (default 300)")
    parser.add_argument("--query-timeout", type=float, default=60,
                        help="stop a stored query after this many seconds (default 60)")
    parser.add_argument("--query-memory", type=float, default=4096,
                        help="stop a stored query when its process passes this many MiB (default 4096)")
    parser.add_argument("--jobs", type=int, default=None, help="peelkg build --jobs (default: one per core)")
    parser.add_argument("--live-src", action="store_true",
                        help="run the checkout's src/peelkg instead of a copy taken at the start")
    parser.add_argument("--merge", action="store_true",
                        help="keep the results of other sizes already in OUT/results.json")
    parser.add_argument("--queries-only", action="store_true",
                        help="only run the stored queries and the shell again, on the corpora and builds kept in OUT")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and builds in --out")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_queries"]:
        return _query_worker(argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 0)
    if argv[:1] == ["_naive"]:
        return _naive_worker(argv[1])
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.queries_only:
        return rerun_queries(sizes, args)
    if not args.live_src:
        bench_process.snapshot_peelkg(args.out)

    previous = []
    if args.merge and (args.out / "results.json").exists():
        previous = [e for e in json.loads((args.out / "results.json").read_text()) if e["reports"] not in sizes]
    entries = list(previous)
    for n in sizes:
        entries.append(bench_size(n, args))
        entries.sort(key=lambda e: e["reports"])
        _write(entries, args)
    _print_summary(entries, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
