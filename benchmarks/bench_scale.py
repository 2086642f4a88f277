"""Scale benchmark of `peelkg build` and the stored queries on synthetic corpora.

    nice -n 10 .venv/bin/python benchmarks/bench_scale.py --sizes 1,43,430 [--out benchmarks/out]

For each size N: generate a corpus of N reports (benchmarks/generate_corpus.py; not timed), then,
each in a fresh process,

a. full build: `peelkg --project P --build-dir B build --full -q`; wall time, peak RSS of the
   largest process (/usr/bin/time -v) and peak memory of the whole process tree (sum of PSS of
   the build and its workers, sampled every 0.2 s); the build's stages as the build reports them
   in build/manifest.json;
b. incremental rebuild: one statistic value changed in one report file, `peelkg build` again
   (median of --incremental-runs edits);
c. every stored query (queries/*.rq, default parameters), opened once with peelkg.pipeline.store.open_store
   and run with peelkg.query.local.run_local, --runs times, against the same bound query text run with
   raw pyoxigraph (store.query(...) on the default graph, which holds each triple once, and every row materialised);
d. the naive way, for sizes up to --naive-max: rdflib parse of everything, owlrl OWL RL closure
   of the union, pyshacl (SHACL Core and SHACL-SPARQL) on it, killed after --naive-timeout s.

Results: a table on stdout, benchmarks/out/results.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_corpus as gen  # noqa: E402

PY = sys.executable
TIME = "/usr/bin/time"
TARGETS = {
    "full_build_s": 600.0,  # 430 reports
    "peak_mib": 4096.0,  # 430 reports
    "incremental_s": 5.0,
    "query_max_ms": 500.0,
    "query_median_ms": 50.0,
    "query_ratio": 2.0,
}
EDIT_STAT = "statistic/recorded-crime-change-one-year-mps"  # unit:percent-change: any value is valid


# -- A frozen copy of peelkg ----
# The build's base hash covers peelkg's own source files, and src/ changes while people work:
# every measured process imports a copy of src/peelkg taken when the benchmark starts.
SNAPSHOT: Path | None = None


def snapshot_peelkg(out: Path) -> Path:
    global SNAPSHOT
    target = out / "peelkg-snapshot"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "src" / "peelkg", target / "peelkg", ignore=shutil.ignore_patterns("__pycache__"))
    SNAPSHOT = target
    return target


def source_digest() -> str:
    """A short hash of the peelkg source the measured processes run."""
    import hashlib

    root = (SNAPSHOT or REPO / "src") / "peelkg"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _env() -> dict:
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SNAPSHOT), env.get("PYTHONPATH")]))
    return env


# -- Memory of a process tree ----

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry))
    return children


def _memory_kb(pid: int) -> int:
    """PSS of a process (its share of shared pages), else RSS, in kB."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed memory of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb, self.current_kb = pid, interval, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            children = _children_map()
            stack, total = [self.pid], 0
            while stack:
                pid = stack.pop()
                total += _memory_kb(pid)
                stack.extend(children.get(pid, ()))
            self.current_kb = total
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kb


def run_measured(argv: list[str], timeout: float | None = None) -> dict:
    """Run argv in a new process group; wall time, exit code, output and memory peaks."""
    use_time = os.access(TIME, os.X_OK)
    cmd = [TIME, "-v", *argv] if use_time else argv
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=_env())
    sampler = TreeMemory(proc.pid)
    sampler.start()
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    tree_kb = sampler.stop()
    max_proc_kb = None
    if use_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        max_proc_kb = int(match.group(1)) if match else None
        err = "\n".join(line for line in err.splitlines()
                        if not line.startswith(("\t", "Command exited with non-zero status")))
    return {"wall_s": wall, "returncode": proc.returncode, "timed_out": timed_out, "stdout": out,
            "stderr": err.strip(), "tree_peak_mib": tree_kb / 1024,
            "max_proc_rss_mib": None if max_proc_kb is None else max_proc_kb / 1024}


# -- (a, b) builds: the build reports its own stage timings (manifest.json summary) ----

def build_once(project: Path, build_dir: Path, full: bool, jobs: int | None) -> dict:
    peelkg_args = ["--project", str(project), "--build-dir", str(build_dir), "build", "-q"]
    if full:
        peelkg_args.append("--full")
    if jobs:
        peelkg_args += ["--jobs", str(jobs)]
    result = run_measured([PY, "-m", "peelkg", *peelkg_args])
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


# -- (c) stored queries ----

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
    from peelkg.query.params import Resolver, bind
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
        bindings = {}
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
                bindings["_" + param.name] = resolver.resolve(param, value)
            text = bind(query.text, bindings)
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
                                start_new_session=True, env=_env())
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


# -- (d) the naive way ----

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


# -- The benchmark ----

def bench_size(n: int, args) -> dict:
    out: Path = args.out
    project, build_dir = out / f"corpus-{n}", out / f"build-{n}"
    if build_dir.exists():
        shutil.rmtree(build_dir)
    log(f"[{n}] generating corpus")
    t0 = time.perf_counter()
    ids = gen.generate(project, n, args.seed)
    entry: dict = {"reports": n, "generate_s": time.perf_counter() - t0, "peelkg_source": source_digest(),
                   "started": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "nice": os.nice(0)}

    log(f"[{n}] full build")
    full = build_once(project, build_dir, True, args.jobs)
    entry["full"] = _strip(full)
    if full["returncode"] != 0:
        log(f"[{n}] full build failed: {full['stderr'][-2000:]}")
        return entry
    entry["triples"] = full["summary"]["triples"] if full["summary"] else None

    edited = ids[len(ids) // 2]
    entry["incremental"] = []
    for i in range(args.incremental_runs):
        what = edit_one_statistic(project, edited, i + 1)
        log(f"[{n}] incremental build {i + 1}/{args.incremental_runs} ({what})")
        inc = build_once(project, build_dir, False, args.jobs)
        inc["edit"] = what
        entry["incremental"].append(_strip(inc))
        if inc["returncode"] != 0:
            log(f"[{n}] incremental build failed: {inc['stderr'][-2000:]}")
            break

    log(f"[{n}] stored queries")
    entry["queries"] = run_queries(project, build_dir, args.runs, args.query_timeout, args.query_memory)

    if n <= args.naive_max:
        log(f"[{n}] naive rdflib + owlrl + pyshacl (timeout {args.naive_timeout:.0f} s)")
        entry["naive"] = run_naive(project, args.naive_timeout)
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(build_dir, ignore_errors=True)
    return entry


def _strip(result: dict) -> dict:
    keep = {k: v for k, v in result.items() if k not in ("stdout",)}
    if result.get("returncode") == 0:
        keep.pop("stderr", None)
    return keep


def log(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


# -- Reporting ----

def _fmt(value, spec: str = ".1f", missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def _incremental_s(entry: dict) -> tuple[float | None, float | None]:
    runs = [r["wall_s"] for r in entry.get("incremental", []) if r.get("returncode") == 0]
    return (statistics.median(runs), max(runs)) if runs else (None, None)


def _queries_ok(entry: dict) -> list[dict]:
    return [q for q in entry.get("queries", {}).get("queries", []) if "median_ms" in q]


def _naive_cell(entry: dict) -> str:
    naive = entry.get("naive")
    if naive is None:
        return "not run"
    if naive["timed_out"]:
        reached = ", ".join(f"{k} {v['seconds']:.0f} s" for k, v in naive["steps"].items())
        return f"> {naive['timeout_s']:.0f} s" + (f" ({reached} done)" if reached else "")
    if naive["returncode"] != 0:
        return "failed"
    return f"{naive['wall_s']:.1f}"


def main_table(entries: list[dict]) -> list[str]:
    lines = [
        "| reports | triples | full build s | peak memory MiB (tree / largest process) | incremental s (median / max) "
        "| query median ms | query max ms | ratio to raw pyoxigraph | naive s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in entries:
        full = e.get("full", {})
        inc_med, inc_max = _incremental_s(e)
        qs = _queries_ok(e)
        q_med = max((q["median_ms"] for q in qs), default=None)
        q_max = max((q["max_ms"] for q in qs), default=None)
        n_stopped = sum(1 for q in e.get("queries", {}).get("queries", []) if q.get("error", "").startswith("stopped"))
        ratio = max((q["ratio"] for q in qs if q["ratio"] is not None), default=None)
        build_cell = _fmt(full.get("wall_s")) if full.get("returncode") == 0 else "failed"
        lines.append(
            f"| {e['reports']} | {_fmt(e.get('triples'), ',')} | {build_cell} "
            f"| {_fmt(full.get('tree_peak_mib'), '.0f')} / {_fmt(full.get('max_proc_rss_mib'), '.0f')} "
            f"| {_fmt(inc_med, '.2f')} / {_fmt(inc_max, '.2f')} | {_fmt(q_med, '.2f')} "
            f"| {_fmt(q_max, '.2f')}{f' (+{n_stopped} stopped)' if n_stopped else ''} "
            f"| {_fmt(ratio, '.2f')} | {_naive_cell(e)} |"
        )
    return lines


def query_table(entries: list[dict]) -> list[str]:
    lines = ["| reports | query | rows | median ms | max ms | raw pyoxigraph median ms | ratio (medians) "
             "| ratio (best runs) | parameters |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for e in entries:
        for q in e.get("queries", {}).get("queries", []):
            if "median_ms" not in q:
                lines.append(f"| {e['reports']} | {q['name']} | | | | | | | {q.get('error', '')} |")
                continue
            lines.append(f"| {e['reports']} | {q['name']} | {q['rows']} | {q['median_ms']:.2f} | {q['max_ms']:.2f} "
                         f"| {q['raw_median_ms']:.2f} | {_fmt(q['ratio'], '.2f')} | {_fmt(q.get('ratio_best'), '.2f')} "
                         f"| {'; '.join(q['notes'])} |")
    return lines


def phase_table(entries: list[dict]) -> list[str]:
    """Where the build's time goes, as the build reports it (summary in manifest.json): its
    stages, the stages of loading ontology, reference data and shapes, and the steps of building
    a report summed over the reports rebuilt (inside the workers)."""
    lines = []
    for e in entries:
        for label, run in [("full build", e.get("full"))] + [
                (f"incremental build {i + 1}", r) for i, r in enumerate(e.get("incremental", [])[:1])]:
            summary = (run or {}).get("summary")
            if not summary or "stages" not in summary:
                continue
            n_built = summary["rebuilt"]
            lines += [f"**{e['reports']} reports, {label}** (wall {run['wall_s']:.2f} s including interpreter start; "
                      f"{summary['seconds']:.2f} s inside the build; {n_built} report(s) built)", "",
                      "| stage | s |", "|---|---:|"]
            for key, value in sorted(summary["stages"].items(), key=lambda kv: -kv[1]):
                lines.append(f"| {key} | {value:.2f} |")
            for key, value in sorted(summary.get("load_stages", {}).items(), key=lambda kv: -kv[1]):
                lines.append(f"| load: {key} | {value:.2f} |")
            per = summary.get("report_stages") or {}
            if per and n_built:
                lines += ["", f"per-report steps, summed over all workers (seconds; /{n_built} = per report):", "",
                          "| per-report step | total s | per report ms |", "|---|---:|---:|"]
                for key in sorted(per, key=lambda k: -per[k]):
                    lines.append(f"| {key} | {per[key]:.2f} | {per[key] / n_built * 1000:.0f} |")
            lines.append("")
    return lines


def targets(entries: list[dict]) -> list[str]:
    """One line per target and size: the worst value, met or MISSED (and which queries missed)."""
    lines = []
    for e in entries:
        n = e["reports"]
        full = e.get("full", {})
        checks = []
        if n >= 430:
            checks.append(("full build ≤ 10 min", full.get("wall_s"), TARGETS["full_build_s"], "s", ""))
            checks.append(("peak memory ≤ 4 GiB (process tree)", full.get("tree_peak_mib"), TARGETS["peak_mib"],
                           "MiB", ""))
        checks.append(("incremental ≤ 5 s (slowest run)", _incremental_s(e)[1], TARGETS["incremental_s"], "s", ""))
        qs = _queries_ok(e)
        for label, key, limit, unit in (("every query ≤ 500 ms (slowest run)", "max_ms", TARGETS["query_max_ms"], "ms"),
                                        ("every query median ≤ 50 ms", "median_ms", TARGETS["query_median_ms"], "ms"),
                                        ("every query within 2× raw pyoxigraph (medians)", "ratio",
                                         TARGETS["query_ratio"], "×")):
            if not qs:
                continue
            worst = max(qs, key=lambda q: q[key] or 0)
            missed = [f"{q['name']} {q[key]:.2f}" for q in qs if q[key] is not None and q[key] > limit]
            detail = f" (worst: {worst['name']})" + (f"; missed by {', '.join(missed)}" if missed else "")
            checks.append((f"{label}", worst[key], limit, unit, detail))
        all_q = e.get("queries", {}).get("queries", [])
        stopped = [f"{q['name']} ({q['error']})" for q in all_q if q.get("error", "").startswith("stopped")]
        errors = [q["name"] for q in all_q if "error" in q and not q["error"].startswith("stopped")]
        for name, value, limit, unit, detail in checks:
            ok = value is not None and value <= limit
            lines.append(f"- {n} reports: {name}: {_fmt(value, '.2f')} {unit} — {'met' if ok else 'MISSED'}{detail}")
        if stopped:
            lines.append(f"- {n} reports: every query ≤ 500 ms — MISSED: stopped by the benchmark: {', '.join(stopped)}")
        if errors:
            lines.append(f"- {n} reports: queries not run (error): {', '.join(errors)}")
    return lines


def naive_lines(entries: list[dict]) -> list[str]:
    lines = []
    for e in entries:
        naive = e.get("naive")
        if not naive:
            continue
        steps = "; ".join(
            f"{k} {v['seconds']:.1f} s" + (f" ({v['triples']:,} triples)" if "triples" in v else "")
            + (f" (conforms={v['conforms']}, {v['violations']} violations)" if "conforms" in v else "")
            for k, v in naive["steps"].items())
        lines.append(f"- {e['reports']} reports: {_naive_cell(e)} s total; {steps or 'no step finished'}; "
                     f"peak memory {naive['tree_peak_mib']:.0f} MiB")
    return lines


def versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}"]
    for pkg in ("pyoxigraph", "rdflib", "pyshacl", "owlrl"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except Exception:  # noqa: BLE001
            pass
    return ", ".join(parts)


def render(entries: list[dict], args) -> str:
    lines = [
        "# peelkg scale benchmark", "",
        f"Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores (shared), "
        f"nice {sorted({e.get('nice', os.nice(0)) for e in entries})}; "
        f"{versions()}; seed {args.seed}; {args.runs} query runs, {args.incremental_runs} incremental runs; "
        f"build jobs: {args.jobs or 'default (one per core)'}.", "",
        *main_table(entries), "",
        "Measured: " + "; ".join(f"{e['reports']} reports at {e.get('started', '?')} (peelkg source "
                                 f"{e.get('peelkg_source', '?')})" for e in entries) + ".", "",
        "Full build and incremental: wall time of `peelkg build` in a fresh process (interpreter start "
        "included). Peak memory: sum of PSS over the build process and its workers (sampled every 0.2 s) / "
        "peak RSS of the largest single process (/usr/bin/time -v). Query columns: the worst stored query "
        "(highest median, highest max, highest ratio of peelkg's run_local median to raw pyoxigraph median). "
        "Naive: rdflib parse + owlrl OWL RL closure + pyshacl with SHACL-SPARQL over the union of all reports.", "",
        "## Targets", "", *targets(entries), "",
        "## Stored queries", "", *query_table(entries), "",
        "## Naive pipeline", "", *(naive_lines(entries) or ["- not run"]), "",
        "## Where the build's time goes", "", *phase_table(entries),
    ]
    return "\n".join(lines) + "\n"


def rerun_queries(sizes: list[int], args) -> int:
    """Run only the stored queries again on builds kept by an earlier run (--keep)."""
    global SNAPSHOT
    if not args.live_src and (args.out / "peelkg-snapshot").is_dir():
        SNAPSHOT = args.out / "peelkg-snapshot"  # the code the builds were made with
    results_json = args.out / "results.json"
    entries = json.loads(results_json.read_text())
    for entry in entries:
        if entry["reports"] in sizes:
            n = entry["reports"]
            log(f"[{n}] stored queries (again)")
            entry["queries"] = run_queries(args.out / f"corpus-{n}", args.out / f"build-{n}", args.runs,
                                           args.query_timeout, args.query_memory)
            entry["queries"]["rerun"] = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    results_json.write_text(json.dumps(entries, indent=1, default=str))
    (args.out / "results.md").write_text(render(entries, args))
    print("\n".join(main_table(entries)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_queries"]:
        return _query_worker(argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 0)
    if argv[:1] == ["_naive"]:
        return _naive_worker(argv[1])

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,43,430", help="comma-separated report counts (default 1,43,430)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="output folder (default benchmarks/out)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="runs of each stored query (default 5)")
    parser.add_argument("--incremental-runs", type=int, default=3, help="incremental rebuilds (default 3)")
    parser.add_argument("--naive-max", type=int, default=43, help="largest size for the naive pipeline (default 43)")
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
                        help="only run the stored queries again, on the corpora and builds kept in OUT")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and builds in --out")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.queries_only:
        return rerun_queries(sizes, args)
    if not args.live_src:
        snapshot_peelkg(args.out)

    results_json = args.out / "results.json"
    previous = []
    if args.merge and results_json.exists():
        previous = [e for e in json.loads(results_json.read_text()) if e["reports"] not in sizes]
    entries = list(previous)
    for n in sizes:
        entries.append(bench_size(n, args))
        entries.sort(key=lambda e: e["reports"])
        results_json.write_text(json.dumps(entries, indent=1, default=str))
        (args.out / "results.md").write_text(render(entries, args))
    text = render(entries, args)
    (args.out / "results.md").write_text(text)
    print("\n".join(main_table(entries)))
    print()
    print("\n".join(targets(entries)))
    print(f"\nfull results: {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
