"""What a query engine is to the query path (query.runner): the seam between the built store
(query.local.LocalEngine) and a remote SPARQL endpoint (remote_run.RemoteEngine)."""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from ..rdf.bridge import term_to_rdflib, to_rdflib


class Result:
    """A query's answer: rows, a boolean or triples.

    From the built store it keeps pyoxigraph's own answer (``solutions`` for SELECT, ``triples``
    for CONSTRUCT and DESCRIBE), which query.output writes with pyoxigraph's serialisers, with no
    conversion. ``rows`` and ``graph`` (rdflib terms, as a remote engine gives them) are made from
    it only when asked for; asking for ``rows`` uses the solutions up (they are read once)."""

    def __init__(self, form: str, *, variables: list[str] | None = None, rows: list[dict] | None = None,
                 boolean: bool | None = None, graph: Graph | None = None,
                 solutions: ox.QuerySolutions | None = None, triples: list[ox.Triple] | None = None):
        self.form = form
        self.variables = variables
        self.boolean = boolean
        self.solutions = solutions
        self.triples = triples
        self._rows = rows
        self._graph = graph

    @property
    def rows(self) -> list[dict] | None:
        if self._rows is None and self.solutions is not None:
            solutions, self.solutions = self.solutions, None
            names = self.variables or []
            self._rows = [{v: term_to_rdflib(row[v]) for v in names if row[v] is not None} for row in solutions]
        return self._rows

    @property
    def graph(self) -> Graph | None:
        if self._graph is None and self.triples is not None:
            self._graph = to_rdflib(self.triples)
        return self._graph


class Engine(Protocol):
    def lookup(self, query: str, bindings: dict) -> list[dict]:
        """Run a SELECT with ``bindings`` (for checking parameter values); rows by variable name."""

    def run(self, query: str) -> Result:
        """Run ``query`` (parameters already bound)."""
