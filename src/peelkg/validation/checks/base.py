"""What every check sees: one report's triples, indexed, with the reference data and ontology."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ...project import Project
from ...rdf.index import Index
from ...rdf.names import Namer, compact
from ...rdf.vocab import IN_SCHEME, QUESTION_NS, TYPE, peel
from ..shapes import Problem


def check(focus: str, message: str, name: str, *, severity: str = "Violation", path: str | None = None,
           value: ox.NamedNode | ox.Literal | None = None, family: str = "Reference") -> Problem:
    """A problem found by check ``name``; ``value`` is the offending term, kept whole for the SHACL
    report and shown short (an IRI with the project's prefixes, a literal as its text)."""
    shown = None if value is None else compact(value.value) if isinstance(value, ox.NamedNode) else value.value
    return Problem(focus=focus, message=message, severity=severity, path=path, value=shown,
                   shape=f"peelkg:{name}", component=f"peelkg:{family}CheckComponent",
                   term=None if value is None else str(value))



class ReferenceData:
    """What the checks look up in the ontology and the reference data: indexed once per project
    load, not once per report."""

    def __init__(self, ontology: list[ox.Triple], reference: list[ox.Triple]):
        self.index = Index(reference)
        self.ontology_terms = {t.subject.value for t in ontology if isinstance(t.subject, ox.NamedNode)}
        self.subjects = {t.subject for t in reference} | {t.subject for t in ontology}


class CheckInput:
    """One report's triples and what its checks look things up in."""

    def __init__(self, project: Project, reference: ReferenceData, triples: list[ox.Triple], files: list[Path],
                 namer: Namer | None = None, corpus=None):
        self.project = project
        self.corpus = corpus  # validation.corpus.Corpus: the other reports, or None
        self.name = namer or compact
        self.triples = triples
        # The triples as (subject, predicate, object) tuples, which the checks walk: pyoxigraph
        # makes a new Python object each time a term is read from an ox.Triple, so the terms
        # are read once, not once per check (the checks of a generated report: 68 -> 55 ms).
        self.rows = [tuple(t) for t in triples]
        self.files = files
        self.data = Index(self.rows)
        self.reference = reference.index
        self.ontology_terms = reference.ontology_terms
        self._reference_subjects = reference.subjects
        self._own_subjects = {s for s, _, _ in self.rows}
        report_class = peel("Report")
        self.reports = sorted(s.value for s in self.data.subjects(TYPE, report_class) if isinstance(s, ox.NamedNode))
        self._iris: list | None = None
        self._pairs: dict | None = None

    # -- helpers

    def knows(self, term: ox.NamedNode) -> bool:
        """Whether ``term`` is described somewhere: in this report, the reference data or the
        ontology, or another report of the corpus (looked up, never copied: the corpus of a
        large project holds millions of IRIs)."""
        return (term in self._own_subjects or term in self._reference_subjects
                or (self.corpus is not None and self.corpus.knows(term.value)))

    def _of_type(self, cls: str) -> set[str]:
        return {s.value for s in self.reference.subjects(TYPE, peel(cls)) if isinstance(s, ox.NamedNode)}

    def _usages(self, predicate) -> list[tuple[ox.NamedNode, ox.NamedNode | None, ox.NamedNode]]:
        """(subject, predicate, iri) for every IRI of the input matching ``predicate(iri)``."""
        if self._iris is None:  # every IRI used, as subject (via None) or object, in input order
            self._iris = []
            for s, p, o in self.rows:
                if isinstance(s, ox.NamedNode):
                    self._iris.append((s.value, (s, None, s)))
                if isinstance(o, ox.NamedNode):
                    self._iris.append((o.value, (s, p, o)))
        found = []
        seen = set()
        for value, key in self._iris:
            if predicate(value) and key not in seen:
                seen.add(key)
                found.append(key)
        return found

    def data_pairs(self, predicate: ox.NamedNode) -> list[tuple[str, str]]:
        """(subject, object) IRIs of the input's triples with ``predicate``, sorted."""
        if self._pairs is None:  # one walk for every predicate asked for
            self._pairs = {}
            for s, p, o in self.rows:
                if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                    self._pairs.setdefault(p, []).append((s.value, o.value))
        return sorted(self._pairs.get(predicate, ()))

    def _cycle_scale_grades(self) -> tuple[str | None, set[str]]:
        for report in self.reports:
            cycle = self.data.value(ox.NamedNode(report), peel("cycle"))
            scale = self.reference.value(cycle, peel("gradingScale")) if cycle is not None else None
            if scale is not None:
                grades = {
                    g.value for g in self.reference.subjects(IN_SCHEME, scale)
                    if g.value in self._of_type("Grade")
                }
                return scale.value, grades
        return None, set()

    def _cycle_questions(self) -> set[str]:
        for report in self.reports:
            cycle = self.data.value(ox.NamedNode(report), peel("cycle"))
            if cycle is None:
                continue
            graded = self.reference.objects(cycle, peel("gradedQuestion"))
            namespaces = {q.value.rsplit("/", 1)[0] + "/" for q in graded}
            return {q for q in self._questions() if any(q.startswith(ns) for ns in namespaces)}
        return set()

    def _questions(self) -> set[str]:
        return {
            s.value for s in self.reference.out
            if isinstance(s, ox.NamedNode) and s.value.startswith(QUESTION_NS) and self.reference.types(s)
        }
