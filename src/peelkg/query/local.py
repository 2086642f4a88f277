"""Running a query on the built store (pyoxigraph).

Queries see as default graph the built store's default graph, which holds every triple of every
named graph once (the union without repeats), as they would on Virtuoso, Fuseki
(tdb:unionDefaultGraph) or GraphDB with no FROM clause; GRAPH clauses see the named graphs.
"""

from __future__ import annotations

import pyoxigraph as ox
from ..errors import UserError
from .checks import refuse_service
from .engine import Result
from .params import bind


def run_local(store: ox.Store, query: str) -> Result:
    """Run ``query`` (parameters already bound) on a pyoxigraph store; SERVICE is refused."""
    refuse_service(query)
    try:
        answer = store.query(query)
    except SyntaxError as exc:
        raise UserError(f"The query has a syntax error: {exc.msg}") from None
    return _to_result(answer)


def _to_result(answer) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        return Result("SELECT", variables=[v.value for v in answer.variables], solutions=answer)
    return Result("CONSTRUCT", triples=list(answer))


def lookup_on(store: ox.Store):
    """A ``Lookup`` for ``params.Resolver`` that runs on a pyoxigraph store."""

    def lookup(query: str, bindings: dict) -> list[dict]:
        result = run_local(store, bind(query, bindings))
        return result.rows or []

    return lookup


class LocalEngine:
    """The built store as a query engine (query.engine.Engine)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.lookup = lookup_on(store)

    def run(self, query: str) -> Result:
        return run_local(self.store, query)
