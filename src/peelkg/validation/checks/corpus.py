"""Corpus checks: the references a report makes to other reports resolve in data/reports.

A carried-forward judgment must name a judgment of another report (or of this one) that has a
grade to keep, and must not type a grade of its own; a revisit must name a report of the corpus
and, if it gives one, a cause of concern of that report; a report it follows or supersedes must
be in the corpus."""

from __future__ import annotations

import pyoxigraph as ox

from ...rdf.vocab import peel
from ..corpus import CROSS_REFERENCES
from ..shapes import Problem
from .base import CheckInput, check

_CARRIED, _GRADE, _JUDGMENT_IN = peel("carriedForwardFrom"), peel("grade"), peel("judgmentIn")
REPORT_LINKS = {"revisits": "revisits", "follows": "follows", "supersedes": "supersedes"}
CROSS_REPORT = CROSS_REFERENCES
"""Predicates whose objects are resolved here rather than by the dangling-reference check."""


class CorpusChecks(CheckInput):
    """Checks of the references between this report and the corpus (self.corpus)."""

    def _grade_here(self, judgment: str) -> str | None:
        value = self.data.value(ox.NamedNode(judgment), _GRADE)
        return value.value if isinstance(value, ox.NamedNode) else None

    def resolved_grade(self, judgment: str) -> str | None:
        """The grade a carried-forward judgment keeps, from this report or the corpus."""
        earlier = self.data.value(ox.NamedNode(judgment), _CARRIED)
        for _ in range(10):
            if not isinstance(earlier, ox.NamedNode):
                return None
            if self.data.value(earlier, _JUDGMENT_IN) is not None:
                grade = self._grade_here(earlier.value)
                if grade is not None:
                    return grade
                earlier = self.data.value(earlier, _CARRIED)
                continue
            return self.corpus.grade_of(earlier.value) if self.corpus is not None else None
        return None

    def inferred_grades(self) -> list[ox.Triple]:
        """peel:grade of each carried-forward judgment, taken from the judgment it keeps: added
        to the data the shapes validate, so that the judgment has its grade (by inference)."""
        triples = []
        for judgment, earlier in self.data_pairs(_CARRIED):
            if self._grade_here(judgment) is None:
                grade = self.resolved_grade(judgment)
                if grade is not None:
                    triples.append(ox.Triple(ox.NamedNode(judgment), _GRADE, ox.NamedNode(grade)))
        return triples

    def carried_forward(self) -> list[Problem]:
        problems = []
        for judgment, earlier in self.data_pairs(_CARRIED):
            here = self.data.value(ox.NamedNode(earlier), _JUDGMENT_IN) is not None
            found = here or (self.corpus is not None and self.corpus.is_judgment(earlier))
            if not found:
                problems.append(check(
                    judgment,
                    f"The judgment carries forward the grade of {self.name(earlier)}, which is not a judgment of any "
                    "report in data/reports: add the earlier report first (peelkg add), or correct the IRI.",
                    "carried-forward", path=_CARRIED.value, value=ox.NamedNode(earlier)))
                continue
            own = self._grade_here(judgment)
            kept = self.resolved_grade(judgment)
            if own is not None:
                problems.append(check(
                    judgment,
                    f"A carried-forward judgment takes its grade from {self.name(earlier)}"
                    + (f" ({self.name(kept)})" if kept else "") + "; remove peel:grade rather than typing the grade "
                    "again.", "carried-forward-grade", path=_GRADE.value, value=ox.NamedNode(own)))
            elif kept is None:
                problems.append(check(
                    judgment,
                    f"{self.name(earlier)} has no grade to carry forward; carry forward a graded judgment.",
                    "carried-forward", path=_CARRIED.value, value=ox.NamedNode(earlier)))
        return problems

    def report_links(self) -> list[Problem]:
        problems = []
        for local, verb in REPORT_LINKS.items():
            for report, target in self.data_pairs(peel(local)):
                if target in self.reports or (self.corpus is not None and self.corpus.report_folder(target)):
                    continue
                problems.append(check(
                    report,
                    f"The report {verb} {self.name(target)}, which is not a report in data/reports: add that report "
                    "first (peelkg add), or correct the IRI.",
                    "report-link", path=peel(local).value, value=ox.NamedNode(target), family="Report"))
        revisited = {t for _, t in self.data_pairs(peel("revisits"))}
        for report, concern in self.data_pairs(peel("revisitsConcern")):
            stated_in = self.corpus.concern_report(concern) if self.corpus is not None else None
            if stated_in is None:
                problems.append(check(
                    report,
                    f"The report revisits the cause of concern {self.name(concern)}, which is not a cause of concern "
                    "of any report in data/reports: add the revisited report first, or correct the IRI.",
                    "report-link", path=peel("revisitsConcern").value, value=ox.NamedNode(concern), family="Report"))
            elif revisited and stated_in not in revisited:
                problems.append(check(
                    report,
                    f"The cause of concern {self.name(concern)} is stated in {self.name(stated_in)}, not in the report "
                    "this one revisits; revisit that report too (peel:revisits), or correct the IRI.",
                    "report-link", path=peel("revisitsConcern").value, value=ox.NamedNode(concern), family="Report"))
        return problems
