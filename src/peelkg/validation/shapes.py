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
them as N-Triples, written once, and loads them with each report's triples into a new
store for that report's validation, so the results are those of the union of base and report.
"""

from __future__ import annotations

import re
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
        self._targets_query = self._instances_query(self.sparql)
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

    def problems_in(self, store: ox.Store, data: list[ox.Triple] | None = None,
                    text: bytes | None = None) -> list[Problem]:
        """Every problem in ``store``, whose default graph holds ``data`` (needed only by an
        engine that validates an rdflib copy: pySHACL), written as the N-Triples ``text`` if
        the caller has it (pyshacl-turbo then reads that, not a dump of the store)."""
        problems = self._core_engine.problems(store, data, text)
        problems.extend(self._sparql_problems(store))
        return sorted(set(problems))

    def on_base(self, base: list[ox.Triple]) -> BaseData:
        """``base`` (ontology and reference data) ready to validate reports with."""
        return BaseData(self, base)

    def _sparql_problems(self, store: ox.Store) -> list[Problem]:
        problems = []
        instances = self._instances_of_targets(store)
        for constraint in self.sparql:
            focus_nodes = self._focus_nodes(store, constraint, instances)
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
    def _instances_query(constraints: list[SparqlConstraint]) -> str | None:
        """One query for the instances (subclasses included) of every class a SPARQL constraint
        targets: asked once per constraint it was ~80 % of the SHACL-SPARQL time (16 classes
        for 31 constraints). Written once per set of shapes, run once per report."""
        classes = sorted({cls for constraint in constraints for cls in constraint.targets})
        if not classes:
            return None
        # ox.NamedNode checks each IRI (they come from the shapes files) and writes it as <...>.
        return ("SELECT DISTINCT ?node ?target WHERE { VALUES ?target { "
                + " ".join(str(ox.NamedNode(cls)) for cls in classes)
                + " } ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?target . ?node a ?type }")

    def _instances_of_targets(self, store: ox.Store) -> dict[str, set]:
        """The instances of every class a SPARQL constraint targets, by class IRI."""
        found: dict[str, set] = {cls: set() for constraint in self.sparql for cls in constraint.targets}
        if self._targets_query is not None:
            for row in store.query(self._targets_query):
                found[row["target"].value].add(row["node"])
        return found

    @staticmethod
    def _focus_nodes(store: ox.Store, constraint: SparqlConstraint, instances: dict[str, set]) -> set:
        nodes: set = set()
        for cls in constraint.targets:
            nodes |= instances[cls]
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
    """The base (ontology and reference data), kept as N-Triples ready to load; each report is
    validated in a new store holding the base and the report's triples, so the problems are
    those of the union (a report triple that makes a reference node invalid is reported). With
    an engine that needs an rdflib copy (pySHACL) the union is copied for each report, as it
    always was.

    Why a new store each time rather than one store the report is added to and taken out of:
    pyoxigraph's in-memory store keeps a removed quad as a dead version (its storage annotates
    each quad with a version range since oxigraph/oxigraph#865, MVCC), so every report
    validated in a shared store made the next one slower (measured on generated reports: shapes
    0.22 s per report over the first 20 reports of a process, 1.11 s by the 200th). Loading the
    base into a new store costs ~10 ms a report."""

    def __init__(self, shapes: Shapes, base: list[ox.Triple]):
        self.shapes, self.base = shapes, base
        self._text = ox.serialize(base, format=ox.RdfFormat.N_TRIPLES)

    def validate(self, triples: list[ox.Triple]) -> list[Problem]:
        """Every problem of the union of the base and ``triples``, as ``Shapes.validate`` gives."""
        if self.shapes.engine != TURBO:
            return self.shapes.validate(self.base + triples)
        # Loaded from N-Triples: pyoxigraph parses text faster than it takes Quad objects made
        # in Python (20 against 35 ms a report), and pyshacl-turbo reads the same text.
        text = self._text + ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        store = ox.Store()
        store.load(text, format=ox.RdfFormat.N_TRIPLES)
        return self.shapes.problems_in(store, text=text)
