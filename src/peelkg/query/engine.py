"""What a query engine is to the query path (query.runner): the seam between the built store
(query.local.LocalEngine) and a remote SPARQL endpoint (remote_run.RemoteEngine)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph


@dataclass
@dataclass
class Result:
    """A query's answer in engine-neutral form: rows of rdflib terms, a boolean or a graph."""

    form: str
    variables: list[str] | None = None
    rows: list[dict] | None = None
    boolean: bool | None = None
    graph: Graph | None = None


class Engine(Protocol):
    def lookup(self, query: str, bindings: dict) -> list[dict]:
        """Run a SELECT with ``bindings`` (for checking parameter values); rows by variable name."""

    def run(self, query: str) -> Result:
        """Run ``query`` (parameters already bound)."""
