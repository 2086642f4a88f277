"""What every report is reasoned and validated against: ontology, reference data and shapes,
loaded once per process (and again when one of their files changes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..project import Project, Report
from ..timing import Stopwatch
from ..rdf.bridge import to_rdflib
from ..rdf.io import read_many
from ..validation.engines import chosen_engine
from ..validation.shapes import Problem, Shapes
from ..validation.validator import Validator
from .reasoning import TBox
from .store import report_nquads


@dataclass
class ReportResult:
    """What building one report produced: the quads for the store, already serialised (a worker
    process hands back bytes, which cross between processes at memory speed, where pickled
    triples cost as much as building them), and what the manifest records of the report."""

    id: str
    nquads: bytes = b""  # pipeline.store.report_nquads: the report's graphs, and the default graph
    asserted: int = 0
    inferred: int = 0
    report_iris: list[str] = field(default_factory=list)  # the reports (IRIs) the folder declares
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage: parse, reason, shapes, checks, serialise


class Base:
    """What every report is reasoned and validated against: ontology, reference data, shapes."""

    def __init__(self, project: Project, tbox: TBox | None = None):
        """``tbox``: the ontology's rule tables if already compiled (by the build's main process,
        or saved by the previous build), else compiled here."""
        watch = Stopwatch()
        with watch.stage("parse"):
            self.ontology = read_many(project.ontology_files)
            self.reference = read_many(project.reference_files)
        with watch.stage("ontology closure"):
            self.tbox = tbox or TBox.from_ontology(to_rdflib(self.ontology))
        with watch.stage("shapes"):
            self.shapes = Shapes(project.shapes_files)
        with watch.stage("reason over reference data"):
            self.reference_closed = self.tbox.close(self.reference)
            self.reference_inferred = sorted(self.reference_closed.triples - set(self.reference), key=str)
        with watch.stage("index reference data"):
            self.validator = Validator(project, self)  # the one definition of valid, as `peelkg validate`
        self._reference_problems: dict[Problem, None] | None = None  # ordered, and a set
        self.seconds = watch.seconds

    def build_report(self, report: Report, triples: list | None = None, corpus=None) -> ReportResult:
        """Reason over and validate one report; references to other reports resolve in
        ``corpus`` (validation.corpus: the other reports of the build)."""
        watch = Stopwatch()
        with watch.stage("parse"):
            asserted = read_many(report.files) if triples is None else triples
        with watch.stage("reason"):
            inferred = self.tbox.infer(asserted, given=self.reference_closed)
        problems, report_iris = self.validator.problems(asserted, report.files, in_corpus=True, stopwatch=watch,
                                                        corpus=corpus)
        # The base's own problems are check_reference's, reported once per build, not per report.
        of_base = self._base_problems()
        problems = [p for p in problems if p not in of_base]
        with watch.stage("serialise"):
            nquads = report_nquads(report.id, asserted, inferred)
        return ReportResult(report.id, nquads, len(set(asserted)), len(inferred), report_iris, problems, watch.seconds)

    def cross_report_problems(self, report: Report, corpus) -> list[Problem]:
        """The checks of a report's references to other reports, for a report reused from the
        previous build: the reports it points to may have changed since."""
        from ..validation.checks import Checks

        checks = Checks(self.validator.project, self.validator.reference, read_many(report.files), report.files,
                        corpus=corpus)
        return checks.carried_forward() + checks.report_links()

    def check_reference(self) -> list[Problem]:
        """The problems of the ontology and reference data alone, found once per process."""
        return list(self._base_problems())

    def _base_problems(self) -> dict[Problem, None]:
        if self._reference_problems is None:  # found once per process, looked up for every report
            self._reference_problems = dict.fromkeys(self.validator.base_data.validate([]))
        return self._reference_problems


_BASES: dict = {}


def load_base(project: Project) -> Base:
    """The project's Base, loaded once per process and reloaded when any of its files (or the
    SHACL engine PEELKG_SHACL_ENGINE chooses) changes."""
    key = (str(project.root), project.base_hash(), chosen_engine())
    base = _BASES.get(key)
    if base is None:
        _BASES.clear()
        base = _BASES[key] = Base(project)
    return base
