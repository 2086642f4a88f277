"""The other reports of a project, for the references a report makes to them.

A report is validated on its own (with the ontology and the reference data), but some of its
statements point into other reports: the earlier judgment a carried-forward judgment keeps, the
report a revisit revisits (and its cause of concern), the report it follows or supersedes. The
corpus holds what each report folder declares about those, so that `peelkg validate`, `add` and
`build` resolve such references the same way: against data/reports, never against the one
report's files alone."""

from __future__ import annotations

import base64
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
_REPORT, _CONCERN = peel("Report"), peel("CauseOfConcern")
# The predicates whose objects are in other reports (validation.checks.corpus.CROSS_REPORT).
CROSS_REFERENCES = {_CARRIED, peel("revisitsConcern"), peel("revisits"), peel("follows"), peel("supersedes")}
MAX_CHAIN = 10  # carried forward from a carried-forward judgment ...: never a loop


def _iri_key(iri: str) -> int:
    """A stable 64-bit key for an IRI (the same in every process, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(iri.encode("utf-8"), digest_size=8).digest(), "little")


class MintedIris:
    """Every IRI a corpus's reports describe, with the folder describing it, in 12 bytes each:
    64-bit keys beside folder numbers. Sets of strings cost ~250 bytes an IRI, which at
    thousands of reports (millions of IRIs, copied into every worker process) would be the
    largest thing in memory. Two IRIs with the same key (odds about 1 in 10^12 at a million
    IRIs) would make an undescribed IRI count as described elsewhere.

    Each folder's keys arrive sorted. A few look-ups (an incremental build or `peelkg validate`
    of one report) search each folder's keys; ``sort`` merges them into one sorted array, which
    a build does before its worker processes make many look-ups, and which the look-ups do
    themselves after SCANS of them. Merging always was 3 s of an incremental build at 4,300
    reports (3.4 million keys), where searching 4,300 folders costs about 2 ms a look-up."""

    SCANS = 1000  # look-ups that search folder by folder before the keys are merged

    def __init__(self) -> None:
        self.folders: list[str] = []
        self._parts: list[array] = []  # each folder's sorted keys, by folder number
        self._keys: array | None = None  # all keys, merged and sorted (sort), with ...
        self._owners: array | None = None  # ... the number of the folder of each
        self._scans = 0

    def add(self, folder: str, keys: array) -> None:
        self.folders.append(folder)
        self._parts.append(keys)
        self._keys = self._owners = None

    def sort(self) -> None:
        """Merge every folder's keys into one sorted array (once; again after an add)."""
        if self._keys is not None:
            return
        keys, owners = array("Q"), array("I")
        for number, part in enumerate(self._parts):
            keys.extend(part)
            owners.extend(array("I", [number]) * len(part))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = array("Q", (keys[i] for i in order))
        self._owners = array("I", (owners[i] for i in order))

    def __getstate__(self) -> dict:
        # Merged, the folders' own arrays are not needed again (workers only look up): not copied.
        state = dict(self.__dict__)
        if self._keys is not None:
            state["_parts"] = []
        return state

    def owners(self, iri: str) -> list[str]:
        """The folders that describe ``iri``."""
        key = _iri_key(iri)
        if self._keys is None and self._scans < self.SCANS:
            self._scans += 1
            return [self.folders[number] for number, part in enumerate(self._parts) if _holds(part, key)]
        self.sort()
        found = []
        at = bisect_left(self._keys, key)
        while at < len(self._keys) and self._keys[at] == key:
            found.append(self.folders[self._owners[at]])
            at += 1
        return found


def _holds(keys: array, key: int) -> bool:
    at = bisect_left(keys, key)
    return at < len(keys) and keys[at] == key


@dataclass
class Declarations:
    """What one report folder declares that other reports may refer to; small, and saved with
    each build (pipeline.corpuscache) so that a rebuild reads only the folders that changed."""

    reports: list[str] = field(default_factory=list)
    judgments: list[str] = field(default_factory=list)
    grades: dict[str, str] = field(default_factory=dict)       # subject -> grade IRI
    carried: dict[str, str] = field(default_factory=dict)      # judgment -> earlier judgment
    concerns: list[str] = field(default_factory=list)
    stated_in: dict[str, str] = field(default_factory=dict)    # cause of concern -> report IRI
    keys: array = field(default_factory=lambda: array("Q"))    # _iri_key of every IRI described
    cross_references: bool = False  # uses a predicate resolved in other reports (checks.corpus)

    @classmethod
    def of(cls, triples: list[ox.Triple]) -> "Declarations":
        found, described = cls(), set()
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            s, p, o = t.subject.value, t.predicate, t.object
            described.add(s)
            if p in CROSS_REFERENCES:
                found.cross_references = True
            if p == TYPE and o == _REPORT:
                found.reports.append(s)
            elif p == TYPE and o == _CONCERN:
                found.concerns.append(s)
            elif p == _JUDGMENT_IN:
                found.judgments.append(s)
            elif p == _CARRIED and isinstance(o, ox.NamedNode):
                found.carried.setdefault(s, o.value)
            elif p == _GRADE and isinstance(o, ox.NamedNode):
                found.grades[s] = o.value
            elif p == _STATED_IN and isinstance(o, ox.NamedNode):
                found.stated_in[s] = o.value
        found.keys = array("Q", sorted(_iri_key(iri) for iri in described))
        # Only a cause of concern's report is looked up (Corpus.concern_report); every statement
        # of a report has peel:statedIn, which made this most of corpus.jsonl (55 of 61 KB a report).
        concerns = set(found.concerns)
        found.stated_in = {s: report for s, report in found.stated_in.items() if s in concerns}
        return found

    def to_json(self) -> dict:
        fields = {name: getattr(self, name) for name in
                  ("reports", "judgments", "grades", "carried", "concerns", "stated_in", "cross_references")}
        return fields | {"keys": base64.b64encode(self.keys.tobytes()).decode("ascii")}

    @classmethod
    def from_json(cls, data: dict) -> "Declarations":
        """The inverse of to_json; raises ValueError, KeyError or TypeError on a damaged entry."""
        keys = array("Q")
        keys.frombytes(base64.b64decode(data["keys"], validate=True))
        found = cls(list(data["reports"]), list(data["judgments"]), dict(data["grades"]), dict(data["carried"]),
                    list(data["concerns"]), dict(data["stated_in"]), keys, bool(data["cross_references"]))
        if not all(isinstance(x, str) for x in found.reports + found.judgments + found.concerns):
            raise TypeError("not a list of IRIs")
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
    declarations: dict[str, Declarations] = field(default_factory=dict, repr=False)  # by folder

    @classmethod
    def of_project(cls, project: Project, reports: list[Report] | None = None,
                   known: dict[str, Declarations] | None = None) -> "Corpus":
        """The corpus of ``reports`` (default: the project's); ``known`` gives declarations
        already read (by report id: those of unchanged folders), the others are parsed."""
        corpus = cls()
        for report in project.reports() if reports is None else reports:
            declared = (known or {}).get(report.id)
            if declared is None:
                try:
                    declared = Declarations.of(read_many(report.files))
                except InputError:
                    continue  # a folder that cannot be read is reported when it is itself validated
            corpus.declare(report.id, declared)
        return corpus

    def declare(self, folder: str, declared: Declarations) -> None:
        self.declarations[folder] = declared
        for iri in declared.reports:
            self.reports.setdefault(iri, folder)
        for iri in declared.concerns:
            self.concerns.setdefault(iri, (folder, ""))
        for iri in declared.judgments:
            self.judgments.setdefault(iri, (folder, None))
        for judgment, earlier in declared.carried.items():
            self.carried.setdefault(judgment, earlier)
        self.subjects.add(folder, declared.keys)
        for iri, grade in declared.grades.items():
            if iri in self.judgments:
                self.judgments[iri] = (self.judgments[iri][0], grade)
        for iri, report in declared.stated_in.items():
            if iri in self.concerns:
                self.concerns[iri] = (self.concerns[iri][0], report)

    def excluding(self, *folders: str) -> "Corpus":
        """The same corpus without the reports of ``folders`` (the report being validated)."""
        return Corpus(self.reports, self.judgments, self.carried, self.concerns, self.subjects,
                      frozenset(folders) | self.excluded, self.declarations)

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
