"""The server's one door to the built store.

Every query the server runs - a stored query of the project's library, a page's query from
``sparql/`` beside this module, or a SPARQL Protocol request - goes through peelkg's query
path: ``query.library.Library`` loads it, ``query.runner.check_params`` checks the values,
``query.runner.answer`` resolves them to RDF terms, binds them and runs the query on a
``query.local.LocalEngine`` within the server's ``Limits``; ``query.output.write`` writes it.
Nothing user-supplied is pasted into query text.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from ..pipeline.store import open_store
from ..query.engine import Result
from ..query.library import Library, StoredQuery
from ..query.local import Limits, LocalEngine
from ..query.params import LOOKED_UP_TYPES, Resolver
from ..query.runner import answer, check_params
from ..rdf.bridge import term_to_rdflib
from .config import ServeConfig

PAGE_QUERIES = Path(__file__).resolve().parent / "sparql"


class GraphAccess:
    """The open store, the stored-query library, the page queries and the query limits."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.store = open_store(config.build_dir)
        self.library = Library(config.project.queries_dir)
        self.page_queries = Library(PAGE_QUERIES)
        self.engine = LocalEngine(self.store, Limits(timeout=config.timeout, max_rows=config.max_rows))
        # Pages run known queries whose answers they show in full: a time limit only.
        self.page_engine = LocalEngine(self.store, Limits(timeout=config.timeout))
        # One resolver for the server's lifetime: the store is read-only, so the valid values
        # it looks up (reports, forces, grades, questions) are found once.
        self.resolver = Resolver(self.engine.lookup)
        self._named_graphs = frozenset(g.value for g in self.store.named_graphs())

    def stored(self, name: str, given: list[tuple[str, str]]) -> tuple[StoredQuery, Result]:
        """Run a stored query of the library by name with the given (name, value) pairs."""
        query = self.library.get(name)
        return query, answer(self.engine, query, check_params(query, given), self.resolver)

    def page(self, name: str, **values: str) -> Result:
        """Run one of the pages' own queries (``sparql/NAME.rq``)."""
        query = self.page_queries.get(name)
        given = [(k, str(v)) for k, v in values.items()]
        return answer(self.page_engine, query, check_params(query, given), self.resolver)

    def rows(self, name: str, **values: str) -> list[dict]:
        return self.page(name, **values).rows or []

    def sparql(self, text: str, default_graph=None, named_graphs=None) -> Result:
        """A SPARQL Protocol query, already checked by the endpoint, within the limits."""
        dataset = {}
        if default_graph is not None:
            dataset["default_graph"] = default_graph
        if named_graphs is not None:
            dataset["named_graphs"] = named_graphs
        return self.engine.run(text, **dataset)

    def named_graphs(self) -> frozenset[str]:
        """The store's named graphs (read once: listing them scans the store)."""
        return self._named_graphs

    def choices(self, kind: str) -> dict[URIRef, list[str]]:
        """IRI -> its names (shortest first) for a looked-up parameter type, as the CLI accepts them."""
        if kind not in LOOKED_UP_TYPES:
            return {}
        by_iri: dict[URIRef, list[str]] = {}
        for name, iri in self.resolver.choices(kind).items():
            by_iri.setdefault(term_to_rdflib(iri), []).append(name)
        return {iri: sorted(names, key=len) for iri, names in by_iri.items()}
