"""Writing a query's result: a W3C SPARQL results format, a text table, or Turtle for graphs."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from ..rdf.names import compact
from ..rdf.vocab import PREFIXES, XSD_NS
from .engine import Result

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
FORMATS = ("table", *RESULT_FORMATS)
# Graph formats besides Turtle (the default for CONSTRUCT and DESCRIBE), for the HTTP server.
GRAPH_FORMATS = {"ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                 "rdfxml": ox.RdfFormat.RDF_XML}
# A local name Turtle writes without escapes (and not ending in a dot).
_PLAIN_LOCAL = re.compile(r"(?:[\w-]|[\w.-]*[\w-])?")
_XSD_STRING = XSD_NS + "string"


def write(result: Result, fmt: str) -> str:
    """The result serialised as ``fmt`` (a W3C SPARQL results format, or 'table');
    CONSTRUCT and DESCRIBE results are Turtle whatever the format, unless ``fmt`` is one of
    ``GRAPH_FORMATS`` (N-Triples, JSON-LD, RDF/XML)."""
    if result.form == "CONSTRUCT":
        triples = result.triples if result.triples is not None else _from_rdflib(result.graph)
        if fmt in GRAPH_FORMATS:
            ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            return ox.serialize(ordered, format=GRAPH_FORMATS[fmt]).decode("utf-8")
        return _turtle(triples)
    if fmt == "table":
        return _table(result)
    return _w3c(result, fmt)


def _from_rdflib(graph) -> list[ox.Triple]:
    """A graph the server made with rdflib, through the one bridge (imported only then)."""
    from ..rdf.bridge import from_rdflib

    return from_rdflib(graph)


def _turtle(triples: list[ox.Triple]) -> str:
    """Turtle with the project's prefixes that the triples use, triples sorted, so that the same
    answer is always the same text. A prefix is left out when some IRI under it would need a
    backslash escape to be written with it (force:metropolitan\\/bocus): that IRI is clearer in full."""
    triples = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    iris = {term.value for t in triples for term in t if isinstance(term, ox.NamedNode)}
    used = {}
    for prefix, namespace in sorted(PREFIXES.items()):
        locals_ = [iri[len(namespace):] for iri in iris if iri.startswith(namespace)]
        if locals_ and all(_PLAIN_LOCAL.fullmatch(local) for local in locals_):
            used[prefix] = namespace
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")


def _w3c(result: Result, fmt: str) -> str:
    """The result in a W3C SPARQL results format, always written by pyoxigraph's serialiser."""
    answer = result.solutions if result.solutions is not None else _to_pyoxigraph(result)
    return answer.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")


def _to_pyoxigraph(result: Result):
    """A result given as a boolean or as rows of terms (a bounded or a remote answer) as
    pyoxigraph's own, read from the SPARQL JSON results document they make (pyoxigraph writes
    results only from its own objects)."""
    if result.form == "ASK":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _json_term(term) for v, term in row.items()} for row in result.terms]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return ox.parse_query_results(json.dumps(document), format=ox.QueryResultsFormat.JSON)


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == _XSD_STRING:  # a simple literal: written without a datatype
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def _cell(term) -> str:
    """A table cell: an IRI written short, a literal's or blank node's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def _cells(result: Result) -> list[list[str]]:
    if result.solutions is not None:
        solutions, result.solutions = result.solutions, None
        return [[_cell(row[v]) for v in result.variables] for row in solutions]
    return [[_cell(row.get(v)) for v in result.variables] for row in result.terms]


def _table(result: Result) -> str:
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    headers = result.variables
    cells = _cells(result)
    widths = [min(max([len(h)] + [len(c[i]) for c in cells]), 80) for i, h in enumerate(headers)]

    def line(values):
        parts = []
        for value, width in zip(values, widths):
            value = value if len(value) <= width else value[: width - 1] + "…"
            parts.append(value.ljust(width))
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(c) for c in cells)
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
