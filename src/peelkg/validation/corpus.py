"""The other reports of a project, for the references a report makes to them.

A report is validated on its own (with the ontology and the reference data), but some of its
statements point into other reports: the earlier judgment a carried-forward judgment keeps, the
report a revisit revisits (and its cause of concern), the report it follows or supersedes. The
corpus holds what each report folder declares about those, so that `peelkg validate`, `add` and
`build` resolve such references the same way: against data/reports, never against the one
report's files alone."""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError
from ..project import Project, Report
from ..rdf.io import read_many
from ..rdf.vocab import TYPE, peel

_JUDGMENT_IN, _GRADE, _CARRIED = peel("judgmentIn"), peel("grade"), peel("carriedForwardFrom")
_STATED_IN = peel("statedIn")
MAX_CHAIN = 10  # carried forward from a carried-forward judgment ...: never a loop


def _iri_key(iri: str) -> int:
    """A stable 64-bit key for an IRI (the same in every process, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(iri.encode("utf-8"), digest_size=8).digest(), "little")


class MintedIris:
    """Every IRI a corpus's reports describe, with the folder describing it, in 12 bytes each:
    sorted 64-bit keys beside folder numbers. Sets of strings cost ~250 bytes an IRI, which at
    thousands of reports (millions of IRIs, copied into every worker process) would be the
    largest thing in memory. Two IRIs with the same key (odds about 1 in 10^12 at a million
    IRIs) would make an undescribed IRI count as described elsewhere."""

    def __init__(self) -> None:
        self.folders: list[str] = []
        self._keys, self._owners = array("Q"), array("I")
        self._sorted = True

    def add(self, folder: str, iris: set[str]) -> None:
        number = len(self.folders)
        self.folders.append(folder)
        self._keys.extend(_iri_key(iri) for iri in iris)
        self._owners.extend([number] * len(iris))
        self._sorted = False

    def sort(self) -> None:
        """Sort once, before the corpus is copied into the worker processes."""
        if not self._sorted:
            order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
            self._keys = array("Q", (self._keys[i] for i in order))
            self._owners = array("I", (self._owners[i] for i in order))
            self._sorted = True

    def owners(self, iri: str) -> list[str]:
        """The folders that describe ``iri``."""
        self.sort()
        key, found = _iri_key(iri), []
        at = bisect_left(self._keys, key)
        while at < len(self._keys) and self._keys[at] == key:
            found.append(self.folders[self._owners[at]])
            at += 1
        return found


@dataclass
class Corpus:
    """What every report folder declares: reports, judgments (grade, carried-forward link) and
    causes of concern, each with the folder (report id) that declares it."""

    reports: dict[str, str] = field(default_factory=dict)            # report IRI -> folder
    judgments: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # IRI -> (folder, grade)
    carried: dict[str, str] = field(default_factory=dict)            # judgment -> earlier judgment
    concerns: dict[str, tuple[str, str]] = field(default_factory=dict)  # IRI -> (folder, report IRI)
    subjects: MintedIris = field(default_factory=MintedIris)          # every IRI described, by folder
    excluded: frozenset = frozenset()

    @classmethod
    def of_project(cls, project: Project, reports: list[Report] | None = None) -> "Corpus":
        corpus = cls()
        for report in project.reports() if reports is None else reports:
            try:
                corpus.add(report.id, read_many(report.files))
            except InputError:
                continue  # a folder that cannot be read is reported when it is itself validated
        corpus.subjects.sort()
        return corpus

    def add(self, folder: str, triples: list[ox.Triple]) -> None:
        described = set()
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            s = t.subject.value
            described.add(s)
            if t.predicate == TYPE and t.object == peel("Report"):
                self.reports.setdefault(s, folder)
            elif t.predicate == TYPE and t.object == peel("CauseOfConcern"):
                self.concerns.setdefault(s, (folder, ""))
            elif t.predicate == _JUDGMENT_IN:
                self.judgments.setdefault(s, (folder, None))
            elif t.predicate == _CARRIED and isinstance(t.object, ox.NamedNode):
                self.carried.setdefault(s, t.object.value)
        self.subjects.add(folder, described)
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
        return any(self._visible(folder) for folder in self.subjects.owners(iri))

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
