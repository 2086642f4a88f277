"""Validation against the SHACL shapes in shapes/.

SHACL Core constraints run in pySHACL. SHACL-SPARQL constraints (sh:sparql) are taken out of
the shapes graph and run here on pyoxigraph, once per constraint rather than once per focus node:
pySHACL re-parses the query for every focus node, which made one such constraint ~90 % of its
validation time in our measurements. The query is run with $this unbound and its rows are kept
where $this is a focus node of the shape; this is equivalent to SHACL's pre-binding for queries
whose WHERE clause binds $this by a triple pattern, which the shapes here all do (and
tests/test_shapes.py checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..rdf.bridge import term_from_rdflib, to_rdflib
from ..rdf.io import read_many
from ..rdf.names import compact

SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True, order=True)
class Problem:
    """One validation result, in plain terms."""

    focus: str
    message: str
    severity: str = "Violation"
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    component: str | None = None
    extra: tuple = field(default=(), compare=False)
    # The offending value itself, in N-Triples (``value`` is how it is shown): what sh:value says.
    term: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    constraint: str
    targets: tuple[str, ...]
    target_objects_of: tuple[str, ...]
    query: str
    message: str
    severity: str


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, URIRef):
        return compact(str(term))
    return str(term)


class Shapes:
    """The shapes graph split into SHACL Core (for pySHACL) and SHACL-SPARQL (run here)."""

    def __init__(self, files: list[Path]):
        self.files = files
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
        graph = to_rdflib(data)
        problems = self._core_problems(graph)
        problems.extend(self._sparql_problems(data))
        return sorted(set(problems))

    def _core_problems(self, graph: Graph) -> list[Problem]:
        # Without allow_warnings, so that warnings are reported too (conforms is then False).
        _, report, _ = pyshacl.validate(graph, shacl_graph=self.core, inference="none", advanced=False)
        problems = []
        for result in report.subjects(RDF.type, SH.ValidationResult):
            value = report.value(result, SH.value)
            path = report.value(result, SH.resultPath)
            problems.append(
                Problem(
                    focus=str(report.value(result, SH.focusNode)),
                    message=str(report.value(result, SH.resultMessage) or "constraint failed"),
                    severity=SEVERITIES[str(report.value(result, SH.resultSeverity))],
                    path=str(path) if isinstance(path, URIRef) else None,
                    value=None if value is None else _show(value),
                    term=None if value is None else str(term_from_rdflib(value)),
                    shape=str(report.value(result, SH.sourceShape)),
                    component=str(report.value(result, SH.sourceConstraintComponent)),
                )
            )
        return problems

    def _sparql_problems(self, data: list[ox.Triple]) -> list[Problem]:
        if not self.sparql:
            return []
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data)
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
                    lambda m: _show(row[m.group(1)]) if m.group(1) != "this" else _show(this),
                    constraint.message,
                )
                value = row["value"]  # None when the query does not select ?value
                problems.append(
                    Problem(
                        focus=this.value,
                        message=message,
                        severity=constraint.severity,
                        value=None if value is None else _show(value),
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
