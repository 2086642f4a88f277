"""Running a query on the built store (pyoxigraph) and writing its results.

Queries see as default graph the built store's default graph, which holds every triple of every
named graph once (the union without repeats), as they would on Virtuoso, Fuseki
(tdb:unionDefaultGraph) or GraphDB with no FROM clause; GRAPH clauses see the named graphs.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import QueryTimeout, ResultTooLarge, UserError
from .namespaces import PREFIXES
from .rdfio import term_from_rdflib, term_to_rdflib

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
FORMATS = ("table", *RESULT_FORMATS)


@dataclass
class Result:
    """A query's answer in engine-neutral form: rows of rdflib terms, a boolean or a graph."""

    form: str
    variables: list[str] | None = None
    rows: list[dict] | None = None
    boolean: bool | None = None
    graph: Graph | None = None


def open_store(build_dir: Path) -> ox.Store:
    path = Path(build_dir) / "store"
    if not path.is_dir():
        raise UserError(f"No built graph in {build_dir}: run `peelkg build` first.")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise UserError(f"Cannot open the built graph in {path}: {exc}. Run `peelkg build` again.") from None


@dataclass(frozen=True)
class Limits:
    """Bounds on one query's run: wall-clock seconds and rows (or triples) in the answer.

    pyoxigraph evaluates lazily, row by row, so both are checked as each row arrives and the
    evaluation stops there; an operator that must see all its input before giving a first row
    (ORDER BY, GROUP BY) is only stopped when it yields."""

    timeout: float | None = None
    max_rows: int | None = None


def run_local(store: ox.Store, query: str, limits: Limits | None = None, **dataset) -> Result:
    """Run ``query`` (parameters already bound) on a pyoxigraph store. ``dataset`` may hold
    pyoxigraph's ``default_graph`` and ``named_graphs`` (the protocol's dataset parameters)."""
    limits = limits or Limits()
    deadline = None if limits.timeout is None else time.monotonic() + limits.timeout
    try:
        answer = store.query(query, **dataset)
    except SyntaxError as exc:
        raise UserError(f"The query has a syntax error: {exc.msg}") from None
    try:
        return _to_result(answer, _Guard(limits, deadline))
    except (QueryTimeout, ResultTooLarge) as exc:
        stopped = exc
    # pyoxigraph's answers must be dropped on the thread that made them (a server runs queries
    # in worker threads): drop it here, and the traceback's frames that still hold it, before
    # the error travels on.
    del answer
    stopped.__traceback__ = None
    raise stopped


class _Guard:
    """Counts the rows of an answer against ``Limits`` as they are read."""

    def __init__(self, limits: Limits, deadline: float | None):
        self.limits, self.deadline, self.count = limits, deadline, 0

    def __call__(self, items):
        for item in items:
            self.count += 1
            if self.limits.max_rows is not None and self.count > self.limits.max_rows:
                raise ResultTooLarge(
                    f"The answer has more than {self.limits.max_rows} rows, the limit of this service. "
                    "Add a LIMIT to the query (and OFFSET to page through the answer).")
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise QueryTimeout(self.limits.timeout)
            yield item
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout(self.limits.timeout)


def _to_result(answer, guard=lambda items: items) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [
            {v: term_to_rdflib(row[v]) for v in variables if row[v] is not None}
            for row in guard(answer)
        ]
        return Result("SELECT", variables=variables, rows=rows)
    graph = Graph()
    for triple in guard(answer):
        graph.add((term_to_rdflib(triple.subject), term_to_rdflib(triple.predicate), term_to_rdflib(triple.object)))
    return Result("CONSTRUCT", graph=graph)


def lookup_on(store: ox.Store):
    """A ``Lookup`` for ``queries.Resolver`` that runs on a pyoxigraph store."""
    from .queries import bind

    def lookup(query: str, bindings: dict) -> list[dict]:
        result = run_local(store, bind(query, bindings))
        return result.rows or []

    return lookup


# -- Writing results ----

GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def write(result: Result, fmt: str) -> str:
    """The result serialised as ``fmt`` (a W3C SPARQL results format, or 'table');
    CONSTRUCT results are Turtle whatever the format, unless ``fmt`` is one of
    ``GRAPH_FORMATS`` (Turtle, N-Triples, JSON-LD, RDF/XML)."""
    if result.form == "CONSTRUCT":
        for prefix, namespace in PREFIXES.items():
            result.graph.bind(prefix, namespace)
        return result.graph.serialize(format=GRAPH_FORMATS.get(fmt, "turtle"))
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
    from .queries import term_to_sparql

    return term_to_sparql(term_to_rdflib(term))


def _cell(term) -> str:
    if term is None:
        return ""
    from .shapes import compact

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
