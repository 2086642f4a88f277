"""The one validator: the shapes and the checks on one report, each problem placed and described.

`peelkg validate`, `peelkg add` and `peelkg build` all call it. The files given (or the RDF files
of a report folder) are read together as ONE report and validated with the ontology and the
reference data against the shapes, never against the whole corpus; then the checks that SHACL
cannot make on one report alone run (validation.checks). Each problem is placed at the file and
line where its node is written, and described in PEEL terms."""

from __future__ import annotations

import contextlib
import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..project import Project
from ..rdf.index import Index
from ..rdf.io import read_many, rdf_files
from ..rdf.names import Namer, compact
from ..rdf.vocab import IN_SCHEME, PEEL, TYPE, peel
from ..timing import Stopwatch
from .checks import Checks, ReferenceData
from .corpus import Corpus
from .describe import Describer, report_id, text_of
from .locate import Locator
from .report import Issue, Outcome
from .shapes import Problem
from .sourcetext import SourceText, read_source


_GRADE_SCALE = "Judgment-gradeScale"
_QUESTION_IN_CYCLE = ("Judgment-questionGraded", "UngradedJudgment-questionUngraded")


@contextlib.contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal ("2016-13"^^xsd:gYearMonth); the
    shapes report those literals, so the log would only be noise."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class Validator:
    """Validates reports of one project; the ontology, reference data and shapes load once.

    ``base`` holds ``ontology`` and ``reference`` (triples) and ``shapes`` (validation.shapes),
    as pipeline.context.Base does."""

    def __init__(self, project: Project, base):
        self.project = project
        self.base = base
        self.reference = ReferenceData(base.ontology, base.reference)
        self._base_data = None  # the base in the shapes' store, loaded at the first report

    @property
    def base_data(self):
        """The ontology and reference data, loaded once for the shapes (validation.shapes.BaseData)."""
        if self._base_data is None:
            self._base_data = self.base.shapes.on_base(self.base.ontology + self.base.reference)
        return self._base_data

    def corpus_for(self, files: list[Path]) -> Corpus:
        """The project's reports other than the one in ``files`` (a report folder in
        data/reports is validated against the others, never against itself)."""
        return Corpus.of_project(self.project).excluding(*_folder_ids(self.project, files))

    def problems(self, triples: list[ox.Triple], files: list[Path], *, namer: Namer | None = None,
                 source: SourceText | None = None, source_path: Path | None = None,
                 in_corpus: bool = False, stopwatch: Stopwatch | None = None,
                 corpus: Corpus | None = None) -> tuple[list[Problem], list[str]]:
        """Every problem of one report's ``triples`` (read from ``files``): the shapes' and the
        checks', a shape's dropped where a check says more about the same term; and the IRIs
        of the reports the triples declare. References to other reports resolve in ``corpus``
        (validation.corpus: the other reports). This is what valid means, for build and validate."""
        watch = stopwatch or Stopwatch()
        checks = Checks(self.project, self.reference, triples, files, namer, corpus)
        with watch.stage("shapes"), _quiet_rdflib():
            # A carried-forward judgment has the grade of the judgment it keeps (from the corpus).
            shape_problems = self.base_data.validate(triples + checks.inferred_grades())
        with watch.stage("checks"):
            extra = checks.run(source, source_path, in_corpus=in_corpus)
        return sorted(set(_fold(shape_problems, extra) + extra)), checks.reports

    def validate(self, paths: Sequence[Path | str], source: Path | str | None = None,
                 corpus: Corpus | None = None) -> Outcome:
        """Validate ``paths`` as one report; references to other reports resolve against
        ``corpus`` (default: the reports of data/reports, less the folders of ``paths``)."""
        files = rdf_files(paths)
        triples = read_many(files)
        source_text = read_source(source) if source is not None else None
        locator = Locator(files)
        namer = Namer(locator.prefixes())
        problems, reports = self.problems(triples, files, namer=namer, source=source_text,
                                          source_path=Path(source) if source is not None else None,
                                          corpus=self.corpus_for(files) if corpus is None else corpus)
        index = Index(triples + self.base.reference)
        describe = Describer(index, namer, reports)
        scale_grades = _scale_grades(index)
        issues = []
        for p in problems:
            is_node = p.focus.startswith(("http", "_:"))
            file, line = locator.locate(p.focus) if is_node else (p.focus, None)
            statement_file, statement_line = locator.statement(p.focus, p.path, p.value) if is_node and p.path \
                else (None, None)
            constraint = p.extra[0] if p.extra else None
            message = p.message
            if constraint and constraint.endswith(_GRADE_SCALE):
                message = _clarify_grade_scale(message, scale_grades)
            issue = Issue(
                file=file, line=line, focus=p.focus,
                node=namer(p.focus) if p.focus.startswith("http") else (p.focus if is_node else "(the files given)"),
                description=describe(p.focus) if is_node else "the files given",
                severity=p.severity, message=message, path=p.path, value=p.value, shape=p.shape,
                constraint=constraint, component=p.component, statement_file=statement_file,
                statement_line=statement_line, term=p.term,
            )
            issues.append(issue)
        issues.sort(key=Issue.sort_key)
        return Outcome(files, issues, [report_id(r) for r in reports])


def _folder_ids(project: Project, files: list[Path]) -> set[str]:
    reports_dir = project.reports_dir.resolve()
    return {f.resolve().parent.name for f in files if f.resolve().parent.parent == reports_dir}


def _fold(shape_problems: list[Problem], checks: list[Problem]) -> list[Problem]:
    """Drop shape problems that say less about a term a check already reports (an unknown
    grade also fails sh:class peel:Grade and the grade-scale constraint)."""
    covered = [(c.focus, c.value) for c in checks if c.value and c.severity == "Violation"]
    # A judgment whose carried-forward grade cannot be resolved lacks a grade only because of that.
    unresolved = {c.focus for c in checks if c.shape == "peelkg:carried-forward"}
    # A report of a cycle the reference data lacks: its questions are all unknown for that one
    # reason, which the reference-cycle check states; the shapes would repeat it per judgment.
    missing_cycle = any(c.shape == "peelkg:reference-cycle" for c in checks)
    question_paths = {str(PEEL) + "question", str(PEEL) + "inspectedQuestion"}
    kept = []
    for p in shape_problems:
        if p.focus in unresolved and p.path == str(PEEL) + "grade":
            continue
        if missing_cycle and (p.path in question_paths or (p.extra and p.extra[0].endswith(_QUESTION_IN_CYCLE))):
            continue
        if any(p.focus == focus and (p.value == value or (" " not in value and ":" in value and value in p.message))
               for focus, value in covered):
            continue
        kept.append(p)
    return kept


def _scale_grades(index: Index) -> dict[str, list[str]]:
    grades: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for grade in index.subjects(TYPE, peel("Grade")):
        rank = text_of(index.value(grade, peel("rank")))
        for scale in index.objects(grade, IN_SCHEME):
            grades[compact(scale.value)].append((int(rank) if rank and rank.isdigit() else 99, compact(grade.value)))
    return {scale: [g for _, g in sorted(items)] for scale, items in grades.items()}


def _clarify_grade_scale(message: str, scale_grades: dict[str, list[str]]) -> str:
    m = re.search(r"grading scale (\S+)", message)
    if m and m.group(1) in scale_grades:
        return f"{message} The grades of {m.group(1)} are {', '.join(scale_grades[m.group(1)])}."
    return message
