"""The other reports of a project, for the references a report makes to them.

A report is validated on its own (with the ontology and the reference data), but some of its
statements point into other reports: the earlier judgment a carried-forward judgment keeps, the
report a revisit revisits (and its cause of concern), the report it follows or supersedes. The
corpus holds what each report folder declares about those, so that `peelkg validate`, `add` and
`build` resolve such references the same way: against data/reports, never against the one
report's files alone."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError
from ..project import Project, Report
from ..rdf.io import read_many
from ..rdf.vocab import TYPE, peel

_JUDGMENT_IN, _GRADE, _CARRIED = peel("judgmentIn"), peel("grade"), peel("carriedForwardFrom")
_STATED_IN = peel("statedIn")
MAX_CHAIN = 10  # carried forward from a carried-forward judgment ...: never a loop


@dataclass
class Corpus:
    """What every report folder declares: reports, judgments (grade, carried-forward link) and
    causes of concern, each with the folder (report id) that declares it."""

    reports: dict[str, str] = field(default_factory=dict)            # report IRI -> folder
    judgments: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # IRI -> (folder, grade)
    carried: dict[str, str] = field(default_factory=dict)            # judgment -> earlier judgment
    concerns: dict[str, tuple[str, str]] = field(default_factory=dict)  # IRI -> (folder, report IRI)
    subjects: dict[str, str] = field(default_factory=dict)           # every IRI minted -> folder
    excluded: frozenset = frozenset()

    @classmethod
    def of_project(cls, project: Project, reports: list[Report] | None = None) -> "Corpus":
        corpus = cls()
        for report in project.reports() if reports is None else reports:
            try:
                corpus.add(report.id, read_many(report.files))
            except InputError:
                continue  # a folder that cannot be read is reported when it is itself validated
        return corpus

    def add(self, folder: str, triples: list[ox.Triple]) -> None:
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            s = t.subject.value
            self.subjects.setdefault(s, folder)
            if t.predicate == TYPE and t.object == peel("Report"):
                self.reports.setdefault(s, folder)
            elif t.predicate == TYPE and t.object == peel("CauseOfConcern"):
                self.concerns.setdefault(s, (folder, ""))
            elif t.predicate == _JUDGMENT_IN:
                self.judgments.setdefault(s, (folder, None))
            elif t.predicate == _CARRIED and isinstance(t.object, ox.NamedNode):
                self.carried.setdefault(s, t.object.value)
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
                continue
            s = t.subject.value
            if t.predicate == _GRADE and s in self.judgments:
                self.judgments[s] = (self.judgments[s][0], t.object.value)
            elif t.predicate == _STATED_IN and s in self.concerns:
                self.concerns[s] = (self.concerns[s][0], t.object.value)

    def excluding(self, *folders: str) -> "Corpus":
        """The same corpus without the reports of ``folders`` (the report being validated)."""
        return Corpus(self.reports, self.judgments, self.carried, self.concerns, self.subjects,
                      frozenset(folders) | self.excluded)

    def _visible(self, entry: tuple | str | None) -> bool:
        folder = entry[0] if isinstance(entry, tuple) else entry
        return folder is not None and folder not in self.excluded

    def report_folder(self, iri: str) -> str | None:
        folder = self.reports.get(iri)
        return folder if self._visible(folder) else None

    def is_judgment(self, iri: str) -> bool:
        return self._visible(self.judgments.get(iri))

    def concern_report(self, iri: str) -> str | None:
        entry = self.concerns.get(iri)
        return entry[1] if self._visible(entry) else None

    def knows(self, iri: str) -> bool:
        return self._visible(self.subjects.get(iri))

    def grade_of(self, judgment: str) -> str | None:
        """The grade a judgment has or carries forward (through earlier carried-forward ones)."""
        for _ in range(MAX_CHAIN):
            if not self.is_judgment(judgment):
                return None
            grade = self.judgments[judgment][1]
            if grade is not None:
                return grade
            judgment = self.carried.get(judgment, "")
        return None
