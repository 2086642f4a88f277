"""Validation against the SHACL shapes in shapes/.

SHACL Core constraints run in the engine PEELKG_SHACL_ENGINE chooses (validation.engines:
pyshacl-turbo on a pyoxigraph Store by default, pySHACL as the reference). SHACL-SPARQL
constraints (sh:sparql) are taken out of the shapes graph and run here on pyoxigraph, once per constraint rather than once per focus node:
pySHACL re-parses the query for every focus node, which made one such constraint ~90 % of its
validation time in our measurements. The query is run with $this unbound and its rows are kept
where $this is a focus node of the shape; this is equivalent to SHACL's pre-binding for queries
whose WHERE clause binds $this by a triple pattern, which the shapes here all do (and
tests/test_shapes.py checks). pyshacl-turbo can run them too, but its messages give full IRIs
where ours give short names, and it reports the focus node as sh:value where ours has none.

Every report is validated with the ontology and reference data (the base): ``BaseData`` keeps
them in one store, loaded once, and adds each report's triples for its validation only, so the
base is not copied or converted again for every report while the results stay those of the
union of base and report.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from ..rdf.bridge import to_rdflib
from ..rdf.io import read_many
from .engines import TURBO, chosen_engine, core_engine
from .problem import SEVERITIES, Problem, show

__all__ = ["Problem", "Shapes", "SparqlConstraint", "BaseData"]

_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    constraint: str
    targets: tuple[str, ...]
    target_objects_of: tuple[str, ...]
    query: str
    message: str
    severity: str


def _store_of(triples) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


class Shapes:
    """The shapes graph split into SHACL Core (for the engine) and SHACL-SPARQL (run here)."""

    def __init__(self, files: list[Path], engine: str | None = None):
        """``engine``: pyshacl-turbo or pyshacl; by default the one PEELKG_SHACL_ENGINE names."""
        self.files = files
        self.engine = chosen_engine() if engine is None else engine
        graph = to_rdflib(read_many(files))
        self.graph = graph
        prefix_lines = self._prefix_declarations(graph)
        constraints: list[SparqlConstraint] = []
        core = Graph()
        for triple in graph:
            core.add(triple)
        for shape, constraint in graph.subject_objects(SH.sparql):
            core.remove((shape, SH.sparql, constraint))
            select = str(graph.value(constraint, SH.select))
            severity = graph.value(constraint, SH.severity) or graph.value(shape, SH.severity) or SH.Violation
            constraints.append(
                SparqlConstraint(
                    shape=str(shape),
                    constraint=str(constraint),
                    targets=tuple(sorted(str(c) for c in graph.objects(shape, SH.targetClass))),
                    target_objects_of=tuple(sorted(str(p) for p in graph.objects(shape, SH.targetObjectsOf))),
                    query=prefix_lines + _THIS.sub("?this", select),
                    message=str(graph.value(constraint, SH.message) or "SPARQL constraint failed"),
                    severity=SEVERITIES[str(severity)],
                )
            )
        self.core = core
        self.sparql = sorted(constraints, key=lambda c: c.constraint)
        self._core_engine = core_engine(self.engine, core, files)

    @staticmethod
    def _prefix_declarations(graph: Graph) -> str:
        lines = []
        for declaration in sorted(graph.objects(None, SH.declare)):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(sorted(set(lines)))

    def validate(self, data: list[ox.Triple]) -> list[Problem]:
        """Every problem the shapes find in ``data`` (which must include the ontology, so
        that sh:targetClass and sh:class see subclasses, and the reference data)."""
        return self.problems_in(_store_of(data), data)

    def problems_in(self, store: ox.Store, data: list[ox.Triple] | None = None) -> list[Problem]:
        """Every problem in ``store``, whose default graph holds ``data`` (needed only by an
        engine that validates an rdflib copy: pySHACL)."""
        problems = self._core_engine.problems(store, data)
        problems.extend(self._sparql_problems(store))
        return sorted(set(problems))

    def on_base(self, base: list[ox.Triple]) -> BaseData:
        """``base`` (ontology and reference data) ready to validate reports with."""
        return BaseData(self, base)

    def _sparql_problems(self, store: ox.Store) -> list[Problem]:
        problems = []
        for constraint in self.sparql:
            focus_nodes = self._focus_nodes(store, constraint)
            if not focus_nodes:
                continue
            for row in store.query(constraint.query):
                this = row["this"]
                if this is None or this not in focus_nodes:
                    continue
                message = _MESSAGE_VARIABLE.sub(
                    lambda m: show(row[m.group(1)]) if m.group(1) != "this" else show(this),
                    constraint.message,
                )
                value = row["value"]  # None when the query does not select ?value
                problems.append(
                    Problem(
                        focus=this.value,
                        message=message,
                        severity=constraint.severity,
                        value=None if value is None else show(value),
                        term=None if value is None else str(value),
                        shape=constraint.shape,
                        component=str(SH.SPARQLConstraintComponent),
                        extra=(constraint.constraint,),
                    )
                )
        return problems

    @staticmethod
    def _focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> set:
        nodes: set = set()
        for cls in constraint.targets:
            query = (
                "SELECT DISTINCT ?node ?target WHERE { ?node a ?type . "
                "?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?target }"
            )
            nodes.update(
                row["node"] for row in store.query(query, substitutions={ox.Variable("target"): ox.NamedNode(cls)})
            )
        for prop in constraint.target_objects_of:
            nodes.update(
                row["node"]
                for row in store.query(
                    "SELECT DISTINCT ?node ?p WHERE { ?s ?p ?node }",
                    substitutions={ox.Variable("p"): ox.NamedNode(prop)},
                )
            )
        return nodes


class BaseData:
    """The base (ontology and reference data) in one store, loaded once; a report's triples are
    added to it for the report's validation and taken out again. The problems are those of the
    union, so a report triple that makes a reference node invalid is reported. With an engine
    that needs an rdflib copy (pySHACL) the union is copied for each report, as it always was."""

    def __init__(self, shapes: Shapes, base: list[ox.Triple]):
        self.shapes, self.base = shapes, base
        self._in_base = set(base)
        self._store = _store_of(base) if shapes.engine == TURBO else None
        self._lock = threading.Lock()  # one report at a time in the shared store

    def validate(self, triples: list[ox.Triple]) -> list[Problem]:
        """Every problem of the union of the base and ``triples``, as ``Shapes.validate`` gives."""
        if self._store is None:
            return self.shapes.validate(self.base + triples)
        # Only the triples the base lacks are added, so that taking them out leaves the base whole.
        added = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                 for t in dict.fromkeys(triples) if t not in self._in_base]
        with self._lock:
            self._store.bulk_extend(added)
            try:
                return self.shapes.problems_in(self._store)
            finally:
                for quad in added:
                    self._store.remove(quad)
