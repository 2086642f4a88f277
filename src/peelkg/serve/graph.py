"""The server's one door to the built store.

Every query the server runs - a stored query of the project's library, a page's query from
``sparql/`` beside this module, or a SPARQL Protocol request - goes through peelkg's query
path: ``Library`` loads it, ``execute.check_params`` checks the values, ``execute.run_stored``
resolves them to RDF terms, binds them and runs the query within ``Limits``. Nothing
user-supplied is pasted into query text.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from ..execute import check_params, run_stored
from ..queries import LOOKED_UP_TYPES, Library, Resolver, StoredQuery
from ..run import Limits, Result, lookup_on, open_store, run_local
from .config import ServeConfig

PAGE_QUERIES = Path(__file__).resolve().parent / "sparql"


class GraphAccess:
    """The open store, the stored-query library, the page queries and the query limits."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.store = open_store(config.build_dir)
        self.library = Library(config.project.queries_dir)
        self.page_queries = Library(PAGE_QUERIES)
        # One resolver for the server's lifetime: the store is read-only, so the valid values
        # it looks up (reports, forces, grades, questions) are found once.
        self.resolver = Resolver(lookup_on(self.store))
        self.limits = Limits(timeout=config.timeout, max_rows=config.max_rows)
        self.page_limits = Limits(timeout=config.timeout)

    def stored(self, name: str, given: list[tuple[str, str]]) -> tuple[StoredQuery, Result]:
        """Run a stored query of the library by name with the given (name, value) pairs."""
        query = self.library.get(name)
        return query, self.run(query, given, self.limits)

    def run(self, query: StoredQuery, given: list[tuple[str, str]], limits: Limits | None = None) -> Result:
        return run_stored(self.store, self.resolver, query, check_params(query, given), limits or self.limits)

    def page(self, name: str, **values: str) -> Result:
        """Run one of the pages' own queries (``sparql/NAME.rq``)."""
        query = self.page_queries.get(name)
        return self.run(query, [(k, str(v)) for k, v in values.items()], self.page_limits)

    def rows(self, name: str, **values: str) -> list[dict]:
        return self.page(name, **values).rows or []

    def sparql(self, text: str, default_graph=None, named_graphs=None) -> Result:
        """A SPARQL Protocol query, already checked by the endpoint, within the limits."""
        dataset = {}
        if default_graph is not None:
            dataset["default_graph"] = default_graph
        if named_graphs is not None:
            dataset["named_graphs"] = named_graphs
        return run_local(self.store, text, self.limits, **dataset)

    def named_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs()}

    def choices(self, kind: str) -> dict[URIRef, list[str]]:
        """IRI -> its names (shortest first) for a looked-up parameter type, as the CLI accepts them."""
        if kind not in LOOKED_UP_TYPES:
            return {}
        by_iri: dict[URIRef, list[str]] = {}
        for name, iri in self.resolver.choices(kind).items():
            by_iri.setdefault(iri, []).append(name)
        return {iri: sorted(names, key=len) for iri, names in by_iri.items()}
