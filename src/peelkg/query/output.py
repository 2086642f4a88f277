"""Writing a query's result: a W3C SPARQL results format, a text table, or Turtle for graphs."""

from __future__ import annotations

import io
import re

import pyoxigraph as ox

from rdflib import URIRef

from ..rdf.bridge import from_rdflib, term_from_rdflib, term_to_rdflib
from ..rdf.names import compact
from ..rdf.vocab import PREFIXES
from .engine import Result
from .params import term_to_sparql

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
FORMATS = ("table", *RESULT_FORMATS)
# A local name Turtle writes without escapes (and not ending in a dot).
_PLAIN_LOCAL = re.compile(r"(?:[\w-]|[\w.-]*[\w-])?")


def write(result: Result, fmt: str) -> str:
    """The result serialised as ``fmt`` (a W3C SPARQL results format, or 'table');
    CONSTRUCT and DESCRIBE results are Turtle whatever the format."""
    if result.form == "CONSTRUCT":
        return _turtle(result.triples if result.triples is not None else from_rdflib(result.graph))
    if fmt == "table":
        return _table(result)
    return _w3c(result, fmt)


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
    if result.form == "ASK":
        if fmt in ("csv", "tsv"):
            return ("true" if result.boolean else "false") + "\n"
        if fmt == "json":
            return '{"head":{},"boolean":' + ("true" if result.boolean else "false") + "}\n"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head></head><boolean>{'true' if result.boolean else 'false'}</boolean></sparql>\n"
        )
    if result.solutions is not None:  # the built store's own answer: written as it is
        return result.solutions.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")
    variables = [ox.Variable(v) for v in result.variables]
    solutions = [[term_from_rdflib(row[v]) if v in row else None for v in result.variables] for row in result.rows]
    out = io.BytesIO()
    _serialize_solutions(variables, solutions, out, RESULT_FORMATS[fmt])
    return out.getvalue().decode("utf-8")


def _serialize_solutions(variables, solutions, out, fmt) -> None:
    # pyoxigraph writes the W3C result formats only from live query results, and rows from a
    # remote store are rdflib terms, so they are replayed as a VALUES table on an empty
    # in-memory store and pyoxigraph's serializer writes them. (Rows hold IRIs and literals
    # only: peelkg data has no blank nodes.)
    store = ox.Store()
    if not variables:
        store.query("SELECT * WHERE {}").serialize(out, fmt)
        return
    names = " ".join(f"?{v.value}" for v in variables)
    rows = " ".join(
        "(" + " ".join("UNDEF" if t is None else term_to_sparql(term_to_rdflib(t)) for t in row) + ")"
        for row in solutions
    )
    store.query(f"SELECT {names} WHERE {{ VALUES ({names}) {{ {rows} }} }}").serialize(out, fmt)


def _cell(term) -> str:
    """A table cell: an IRI written short, a literal's or blank node's text (rdflib or pyoxigraph)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value if isinstance(term, (ox.Literal, ox.BlankNode)) else str(term)


def _cells(result: Result) -> list[list[str]]:
    if result.solutions is not None:
        solutions, result.solutions = result.solutions, None
        return [[_cell(row[v]) for v in result.variables] for row in solutions]
    return [[_cell(row.get(v)) for v in result.variables] for row in result.rows]


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
