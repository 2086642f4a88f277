"""Running a query on the built store (pyoxigraph).

Queries see as default graph the built store's default graph, which holds every triple of every
named graph once (the union without repeats), as they would on Virtuoso, Fuseki
(tdb:unionDefaultGraph) or GraphDB with no FROM clause; GRAPH clauses see the named graphs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import QueryTimeout, ResultTooLarge, UserError
from .checks import refuse_service
from .engine import Result
from .binding import bind


@dataclass(frozen=True)
class Limits:
    """Bounds on one query's run: wall-clock seconds and rows (or triples) in the answer.

    pyoxigraph evaluates lazily, row by row, so both are checked as each row arrives and the
    evaluation stops there; an operator that must see all its input before giving a first row
    (ORDER BY, GROUP BY) is only stopped when it yields. A bounded answer is read in full
    before it is written (its rows are counted), so it takes the rows path of query.output."""

    timeout: float | None = None
    max_rows: int | None = None


def run_local(store: ox.Store, query: str, limits: Limits | None = None, **dataset) -> Result:
    """Run ``query`` (parameters already bound) on a pyoxigraph store, within ``limits`` if
    given. ``dataset`` may hold pyoxigraph's ``default_graph`` and ``named_graphs`` (the SPARQL
    Protocol's dataset parameters). SERVICE is refused (query.checks): no network."""
    refuse_service(query)
    started = time.monotonic()
    try:
        answer = store.query(query, **dataset)
    except SyntaxError as exc:
        raise UserError(f"The query has a syntax error: {exc.msg}") from None
    if limits is None:
        return _to_result(answer)
    try:
        return _bounded(answer, _Guard(limits, started))
    except (QueryTimeout, ResultTooLarge) as exc:
        stopped = exc
    # pyoxigraph's answers must be dropped on the thread that made them (a server runs queries
    # in worker threads): drop it here, and the traceback frames that still hold it, before the
    # error travels on.
    del answer
    stopped.__traceback__ = None
    raise stopped


class _Guard:
    """Counts the rows of an answer against ``Limits`` as they are read."""

    def __init__(self, limits: Limits, started: float):
        self.limits = limits
        self.deadline = None if limits.timeout is None else started + limits.timeout

    def _check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout(self.limits.timeout)

    def __call__(self, items):
        limit = self.limits.max_rows
        for count, item in enumerate(items, 1):
            if limit is not None and count > limit:
                raise ResultTooLarge(
                    f"The answer has more than {limit} rows, the limit of this service. "
                    "Add a LIMIT to the query (and OFFSET to page through the answer).")
            self._check_time()
            yield item
        self._check_time()


def _bounded(answer, guard: _Guard) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        guard._check_time()
        return Result("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [{v: row[v] for v in names if row[v] is not None} for row in guard(answer)]
        return Result("SELECT", variables=names, terms=rows)
    return Result("CONSTRUCT", triples=list(guard(answer)))


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
        return result.terms or []

    return lookup


class LocalEngine:
    """The built store as a query engine (query.engine.Engine), optionally within ``limits``."""

    def __init__(self, store: ox.Store, limits: Limits | None = None):
        self.store = store
        self.limits = limits
        self.lookup = lookup_on(store)

    def run(self, query: str, **dataset) -> Result:
        return run_local(self.store, query, self.limits, **dataset)
