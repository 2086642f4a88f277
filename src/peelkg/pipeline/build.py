"""`peelkg build`: parse, reason, validate and store the whole project.

The pipeline never reasons over or validates the union of all reports:

1. the ontology is closed once with owlrl and compiled into rule tables (reasoning.TBox);
2. each report is reasoned and validated on its own (validation.validator, the validator
   `peelkg validate` uses), with the ontology and reference data only,
   spread over the machine's cores; a report whose files, and whose ontology, reference data and
   shapes, are unchanged since the last build is skipped (content hashes in build/manifest.json);
3. the cross-report check (two reports with the same IRI) runs once on the result, instead of
   each report searching the other folders as `peelkg validate` does;
4. the store (pyoxigraph, on disk) is written as a new version next to the one in use and, only
   when everything conforms, published with its manifest by one rename (pipeline.publish), under
   a lock that keeps a second build out (pipeline.lock).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, UserError, ValidationFailed
from ..project import Project, Report
from ..query.library import known_headers
from ..rdf.io import read_many
from ..rdf import vocab as ns
from ..rdf.names import compact
from ..timing import Stopwatch, describe
from ..validation.shapes import Problem
from ..validation.corpus import Corpus, Declarations
from .context import Base, ReportResult
from .lock import build_lock
from .publish import current_dir, new_version, publish, write_query_headers
from .reasoning import TBox
from .reuse import Hashes, read_declarations, read_tbox, report_hashes, write_declarations, write_tbox
from .store import STORE, read_manifest, store_opens
from .write import StoreWrite

@dataclass
class BuildSummary:
    triples: int = 0
    asserted: int = 0
    inferred: int = 0
    reports: int = 0
    rebuilt: int = 0
    judgments: int = 0
    findings: int = 0
    recommendations: int = 0
    statistics: int = 0
    entities: int = 0
    definitions: int = 0
    violations: int = 0
    warnings: int = 0
    seconds: float = 0.0
    warning_messages: list[str] = field(default_factory=list)
    # Wall seconds per stage of this build, of loading the ontology, reference data and shapes,
    # and per step of building a report summed over the reports rebuilt (inside the worker
    # processes, so on several cores they add up to more than the "reports" stage).
    stages: dict[str, float] = field(default_factory=dict)
    load_stages: dict[str, float] = field(default_factory=dict)
    report_stages: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"triples      {self.triples} distinct ({self.asserted} asserted, {self.inferred} inferred, in named graphs)",
            f"reports      {self.reports} ({self.rebuilt} rebuilt, {self.reports - self.rebuilt} unchanged)",
            f"judgments    {self.judgments}",
            f"findings     {self.findings}",
            f"recommendations {self.recommendations}",
            f"statistics   {self.statistics}",
            f"entities     {self.entities}",
            f"definitions  {self.definitions}",
            f"violations   {self.violations}",
            f"warnings     {self.warnings}",
            f"time         {self.seconds:.2f} s",
            f"stages       {describe(self.stages)} (s)",
            f"load         {describe(self.load_stages)} (s)",
            f"per report   {describe(self.report_stages)} (s, summed over {self.rebuilt} rebuilt)",
        ]


# Worker processes build their own Base once (initializer) and then take reports one by one.
_worker_base: Base | None = None
_worker_corpus: Corpus | None = None


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this worker when the build's main process dies (kill -9 included): the
    pool's workers would otherwise wait for work forever, since each holds the task pipe open."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(root: str, corpus: Corpus, tbox: TBox, parent: int) -> None:
    global _worker_base, _worker_corpus
    _die_with_parent(parent)
    _worker_base = Base(Project(Path(root)), tbox)
    _worker_corpus = corpus


def _build_in_worker(report: Report) -> ReportResult:
    assert _worker_base is not None and _worker_corpus is not None
    return _worker_base.build_report(report, corpus=_worker_corpus.excluding(report.id))


def _workers(jobs: int | None, tasks: int) -> int:
    """How many worker processes for ``tasks``: ``jobs`` (default one per core), at most one a task."""
    return max(1, min(jobs or os.cpu_count() or 1, tasks))


def _read_declarations(reports: list[Report], known: dict[str, Declarations], jobs: int | None
                       ) -> dict[str, Declarations]:
    """``known`` with what the other report folders declare, read on ``jobs`` processes: a full
    build read every folder in the main process while the other cores waited (5.9 s of a
    124 s build at 430 reports). A folder that cannot be read is left out, as Corpus.of_project
    leaves it (its own validation reports the error)."""
    missing = [r for r in reports if r.id not in known]
    jobs = _workers(jobs, len(missing))
    if jobs == 1 or len(missing) < 4 * jobs:
        return known
    with ProcessPoolExecutor(jobs, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            found = list(pool.map(_declarations_of, missing, chunksize=max(1, len(missing) // (8 * jobs))))
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return known | {r.id: d for r, d in zip(missing, found) if d is not None}


def _declarations_of(report: Report) -> Declarations | None:
    try:
        return Declarations.of(read_many(report.files))
    except InputError:
        return None


def build(project: Project, build_dir: Path | None = None, **options) -> BuildSummary:
    """Build the project's store; raises ValidationFailed (nothing written) on violations, and
    BuildLocked if another build is writing the same folder (pipeline.lock)."""
    build_dir = Path(build_dir or project.default_build_dir())
    with build_lock(build_dir):
        return _build(project, build_dir, **options)


def _build(
    project: Project,
    build_dir: Path,
    *,
    jobs: int | None = None,
    incremental: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildSummary:
    started = time.perf_counter()
    watch, per_report = Stopwatch(), Stopwatch()
    reports = project.reports()
    if not reports:
        raise UserError(f"No reports found in {project.reports_dir}: add a folder of Turtle files per report.")
    previous = current_dir(build_dir)  # resolved once: its store and manifest belong together
    manifest = read_manifest(previous) if incremental else {}
    with watch.stage("hash"):
        base_hash = project.base_hash()
        # Each report's files are hashed once here (or keep the hash the manifest recorded, if
        # their stat is unchanged: pipeline.reuse); the hash goes into the manifest below.
        hashed = report_hashes(reports, manifest)
        hashes = hashed.hashes
    reusable = (
        manifest.get("base_hash") == base_hash and "reports" in manifest and store_opens(previous / STORE)
    )
    old_reports = manifest.get("reports", {}) if reusable else {}

    with watch.stage("load"):
        base = Base(project, read_tbox(previous, base_hash) if reusable else None)
    with watch.stage("check reference data"):
        problems: list[Problem] = list(base.check_reference())
    to_build = [r for r in reports if old_reports.get(r.id, {}).get("hash") != hashes[r.id]]
    version = new_version(build_dir)
    reuse_store = reusable and len(to_build) < len(reports)
    # What every report declares, so that references between reports (carried-forward
    # judgments, revisits) are resolved against the corpus, as `peelkg validate` does.
    with watch.stage("corpus"):
        saved = read_declarations(previous, base_hash, hashes) if reusable else None
        known = _read_declarations(reports, saved.declarations if saved else {}, jobs)
        corpus = Corpus.of_project(project, reports, known)
    writer = StoreWrite(version / STORE, base, reuse=previous if reuse_store else None,
                        removed=set(old_reports) - {r.id for r in reports} if reuse_store else set())
    try:
        with watch.stage("reports"):  # the store is written as the results arrive
            results = _build_reports(project, base, to_build, jobs, progress, corpus, writer.add)
        for result in results.values():
            problems.extend(result.problems)
            per_report.add(result.seconds)
        for report in reports:
            if report.id not in results:  # reused: its warnings were kept in the manifest
                problems.extend(Problem(**w) for w in old_reports[report.id].get("warnings", []))
                # ... but the reports it points to may have changed since.
                declared = corpus.declarations.get(report.id)
                if declared is None or declared.cross_references:
                    problems.extend(base.cross_report_problems(report, corpus.excluding(report.id)))
        with watch.stage("duplicate reports"):
            problems.extend(_duplicate_reports(reports, results, old_reports))
        violations = [p for p in problems if p.severity == "Violation"]
        if violations:
            raise ValidationFailed(_format_failure(violations), exit_code=1)
        with watch.stage("store"):  # what is left of the loads once the last report is in
            store = writer.finish()
            write_declarations(version, base_hash, hashes, corpus.declarations, saved)
            write_tbox(version, base_hash, base.tbox)
            write_query_headers(version, known_headers(project.queries_dir))
    except BaseException:
        writer.abandon()
        shutil.rmtree(version, ignore_errors=True)
        with contextlib.suppress(OSError):  # a build folder this build created is removed (pipeline.lock)
            version.parent.rmdir()
        raise
    entries = _manifest_entries(reports, results, hashed, old_reports)
    with watch.stage("summary"):
        old_triples = manifest.get("summary", {}).get("triples") if reuse_store else None
        known = old_triples + writer.added - writer.removed if isinstance(old_triples, int) else None
        summary = _summarise(store, reports, results, problems, entries, base, known)
    del store, writer
    summary.seconds = time.perf_counter() - started
    summary.stages, summary.load_stages = watch.seconds, base.seconds
    summary.report_stages = per_report.seconds
    new_manifest = {"base_hash": base_hash, "hashed_at": hashed.hashed_at, "reports": entries,
                    "summary": asdict(summary)}
    publish(build_dir, version, new_manifest)
    return summary


def _build_reports(project: Project, base: Base, to_build: list[Report], jobs: int | None,
                   progress: Callable[[int, int, str], None] | None, corpus: Corpus,
                   write: Callable[[ReportResult], None]) -> dict[str, ReportResult]:
    """Reason over and validate each report on its own, on the machine's cores, handing each
    result to ``write`` as it arrives (in the order the reports finish)."""
    results: dict[str, ReportResult] = {}
    total = len(to_build)
    jobs = _workers(jobs, total)

    def arrived(result: ReportResult) -> None:
        write(result)
        results[result.id] = result
        if progress:
            progress(len(results), total, result.id)

    if jobs == 1 or total < 4:
        for report in to_build:
            arrived(base.build_report(report, corpus=corpus.excluding(report.id)))
    else:
        # The workers need the lookups, not each folder's declarations again (as many bytes);
        # the described IRIs are merged once here, not in every worker.
        corpus.subjects.sort()
        lookups = replace(corpus, declarations={})
        with ProcessPoolExecutor(jobs, initializer=_init_worker,
                                 initargs=(str(project.root), lookups, base.tbox, os.getpid())) as pool:
            futures = [pool.submit(_build_in_worker, report) for report in to_build]
            try:
                for future in as_completed(futures):
                    arrived(future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return results


def _manifest_entries(reports: list[Report], results: dict[str, ReportResult], hashed: Hashes,
                      old_reports: dict) -> dict[str, dict]:
    entries = {}
    for report in reports:
        if report.id in results:
            result = results[report.id]
            entries[report.id] = {
                "hash": hashed.hashes[report.id],
                "asserted": result.asserted,
                "inferred": result.inferred,
                "report_iris": result.report_iris,
                "warnings": [asdict(p) for p in result.problems],
            }
        else:
            entries[report.id] = dict(old_reports[report.id])
        # The stat its files had when hashed now (a reused report's may have changed, its content not).
        entries[report.id]["stat"] = hashed.stats[report.id]
    return entries


def _duplicate_reports(reports: list[Report], results: dict, old_reports: dict) -> list[Problem]:
    """Two report folders that declare the same report IRI would merge silently: refuse."""
    owners: dict[str, list[str]] = {}
    for report in reports:
        if report.id in results:
            iris = results[report.id].report_iris
        else:
            iris = old_reports[report.id].get("report_iris", [str(ns.report_iri(report.id))])
        for iri in iris:
            owners.setdefault(iri, []).append(report.id)
    return [
        Problem(
            focus=iri,
            message=f"The report {iri} is declared in more than one report folder ({', '.join(sorted(ids))}); "
            "give each report its own IRI.",
            shape="peelkg:duplicate-report",
        )
        for iri, ids in sorted(owners.items())
        if len(ids) > 1
    ]


def _count(store: ox.Store, query: str) -> int:
    rows = list(store.query(query))
    return int(rows[0]["n"].value) if rows else 0


def _summarise(store: ox.Store, reports, results, problems, entries: dict, base: Base,
               triples: int | None) -> BuildSummary:
    """The build's figures. The triples of each graph come from the manifest's entries and the
    base (counting millions of quads again took longer than an incremental build); ``triples``,
    the distinct triples, is counted in the store only when not known (a full build)."""
    prefix = f"PREFIX peel: <{ns.PEEL}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "

    def count_instances(cls: str) -> int:
        # COUNT(*), not COUNT(DISTINCT ?x): the default graph holds each triple once, so each
        # instance matches once; DISTINCT made pyoxigraph hash every one (4,300 generated
        # reports, 645,000 findings: 506 ms, COUNT(*) 203 ms).
        return _count(store, prefix + f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a {cls} }}")

    asserted = len(set(base.ontology)) + len(set(base.reference)) + sum(e["asserted"] for e in entries.values())
    inferred = len(base.reference_inferred) + sum(e["inferred"] for e in entries.values())
    total = triples if triples is not None else _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return BuildSummary(
        triples=total,
        asserted=asserted,
        inferred=inferred,
        reports=len(reports),
        rebuilt=len(results),
        judgments=count_instances("peel:Judgment"),
        findings=count_instances("peel:Finding"),
        recommendations=count_instances("peel:Recommendation"),
        statistics=count_instances("peel:Statistic"),
        entities=_count(
            store,
            prefix
            + "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?r peel:mentions ?x }",
        ),
        definitions=count_instances("peel:GlossaryEntry"),
        violations=sum(p.severity == "Violation" for p in problems),
        warnings=sum(p.severity == "Warning" for p in problems),
        warning_messages=warning_lines(problems),
    )


def warning_lines(problems: list[Problem]) -> list[str]:
    """One line per distinct warning, sorted. A node that several reports state (a force's
    command, a partnership) gets the same warning from each of them: it is shown once, with how
    many reports gave it, rather than once per report."""
    counts: dict[str, int] = {}
    for p in sorted(problems):
        if p.severity == "Warning":
            line = f"{compact(p.focus)}: {p.message}"
            counts[line] = counts.get(line, 0) + 1
    return [line if n == 1 else f"{line} (from {n} reports)" for line, n in counts.items()]


def _format_failure(violations: list[Problem]) -> str:
    lines = [f"The data does not conform: {len(violations)} violation(s). Nothing was written."]
    for problem in violations[:50]:
        where = compact(problem.focus)
        path = f" ({compact(problem.path)})" if problem.path else ""
        lines.append(f"  {where}{path}: {problem.message}")
    if len(violations) > 50:
        lines.append(f"  ... and {len(violations) - 50} more; run `peelkg validate` on the report for all of them.")
    return "\n".join(lines)
