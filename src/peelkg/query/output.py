"""Writing a query's result: a W3C SPARQL results format, a text table, or Turtle for graphs."""

from __future__ import annotations

import io

import pyoxigraph as ox

from ..rdf.bridge import term_from_rdflib, term_to_rdflib
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


def write(result: Result, fmt: str) -> str:
    """The result serialised as ``fmt`` (a W3C SPARQL results format, or 'table');
    CONSTRUCT results are Turtle whatever the format."""
    if result.form == "CONSTRUCT":
        for prefix, namespace in PREFIXES.items():
            result.graph.bind(prefix, namespace)
        return result.graph.serialize(format="turtle")
    if fmt == "table":
        return _table(result)
    return _w3c(result, fmt)


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
    variables = [ox.Variable(v) for v in result.variables]
    solutions = [[term_from_rdflib(row[v]) if v in row else None for v in result.variables] for row in result.rows]
    out = io.BytesIO()
    _serialize_solutions(variables, solutions, out, RESULT_FORMATS[fmt])
    return out.getvalue().decode("utf-8")


def _serialize_solutions(variables, solutions, out, fmt) -> None:
    # pyoxigraph writes the W3C result formats only from live query results, and rows may come
    # from another engine (a remote store), so the rows are replayed as a VALUES table on an
    # empty in-memory store and pyoxigraph's serializer writes them. (Rows hold IRIs and
    # literals only: peelkg data has no blank nodes.)
    store = ox.Store()
    if not variables:
        store.query("SELECT * WHERE {}").serialize(out, fmt)
        return
    names = " ".join(f"?{v.value}" for v in variables)
    rows = " ".join(
        "(" + " ".join("UNDEF" if t is None else _ox_term_sparql(t) for t in row) + ")" for row in solutions
    )
    store.query(f"SELECT {names} WHERE {{ VALUES ({names}) {{ {rows} }} }}").serialize(out, fmt)


def _ox_term_sparql(term) -> str:
    return term_to_sparql(term_to_rdflib(term))


def _cell(term) -> str:
    if term is None:
        return ""
    if term.__class__.__name__ == "URIRef":
        return compact(str(term))
    return str(term)


def _table(result: Result) -> str:
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    headers = result.variables
    cells = [[_cell(row.get(v)) for v in headers] for row in result.rows]
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
