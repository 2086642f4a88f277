"""What a query engine is to the query path (query.runner): the seam between the built store
(query.local.LocalEngine) and a remote SPARQL endpoint (remote_run.RemoteEngine)."""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox


class Result:
    """A query's answer: rows, a boolean or triples, in pyoxigraph terms.

    From the built store it keeps pyoxigraph's own answer (``solutions`` for SELECT, ``triples``
    for CONSTRUCT and DESCRIBE), which query.output writes with pyoxigraph's serialisers, with no
    conversion; a bounded or remote answer comes as ``terms``, rows of pyoxigraph terms by
    variable name. ``rows`` and ``graph`` are the same answer in rdflib terms, for the server's
    templates; they are made (and rdflib imported) only when asked for. The server's own
    descriptions come as an rdflib ``graph`` instead of ``triples``. Reading ``terms`` or
    ``rows`` uses the solutions up (they are read once)."""

    def __init__(self, form: str, *, variables: list[str] | None = None, terms: list[dict] | None = None,
                 boolean: bool | None = None, solutions: ox.QuerySolutions | None = None,
                 triples: list[ox.Triple] | None = None, graph=None):
        self.form = form
        self.variables = variables
        self.boolean = boolean
        self.solutions = solutions
        self.triples = triples
        self._terms = terms
        self._rows: list[dict] | None = None
        self._graph = graph

    @property
    def terms(self) -> list[dict] | None:
        """The rows of a SELECT answer: variable name -> pyoxigraph term (unbound ones left out)."""
        if self._terms is None and self.solutions is not None:
            solutions, self.solutions = self.solutions, None
            names = self.variables or []
            self._terms = [{v: row[v] for v in names if row[v] is not None} for row in solutions]
        return self._terms

    @property
    def rows(self) -> list[dict] | None:
        """``terms`` in rdflib terms."""
        if self._rows is None and self.terms is not None:
            from ..rdf.bridge import term_to_rdflib

            self._rows = [{v: term_to_rdflib(term) for v, term in row.items()} for row in self.terms]
        return self._rows

    @property
    def graph(self):
        """``triples`` as an rdflib Graph."""
        if self._graph is None and self.triples is not None:
            from ..rdf.bridge import to_rdflib

            self._graph = to_rdflib(self.triples)
        return self._graph


class Engine(Protocol):
    def lookup(self, query: str, bindings: dict) -> list[dict]:
        """Run a SELECT with ``bindings`` (for checking parameter values); rows of pyoxigraph
        terms by variable name."""

    def run(self, query: str) -> Result:
        """Run ``query`` (parameters already bound)."""
