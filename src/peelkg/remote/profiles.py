"""Endpoint profiles: where each kind of store takes queries, updates and Graph Store requests.

The user names the store's SPARQL *query* endpoint (``--endpoint``) and, when peelkg cannot tell
from its shape, which store it is (``--store``). The profile derives the update and Graph Store
URLs from it, so an update is never sent to a query endpoint by default. ``--update`` and
``--gsp`` override the derived URLs.

| store    | --endpoint (query)                     | update                   | Graph Store                     | auth   |
|----------|----------------------------------------|--------------------------|---------------------------------|--------|
| virtuoso | http://HOST:8890/sparql                | /sparql-auth             | /sparql-graph-crud-auth         | digest |
| fuseki   | http://HOST:3030/DATASET/query         | /DATASET/update          | /DATASET/data                   | basic  |
| graphdb  | http://HOST:7200/repositories/REPO     | /repositories/REPO/statements | /repositories/REPO/rdf-graphs/service | basic |
| oxigraph | http://HOST:7878/query                 | /update                  | /store                          | basic (if credentials are set: oxigraph itself has none) |
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from ..errors import UserError
from .client import check_url

STORES = ("virtuoso", "fuseki", "graphdb", "oxigraph")

# The @prefix line matters to Virtuoso, which ignores Content-Type and sniffs the body: a body
# starting with fewer than three short lines before a long one (a literal over ~64 KB) is taken
# for text/plain and rejected; a leading @prefix makes it Turtle at once. (N-Triples is Turtle.)
VIRTUOSO_PREAMBLE = b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"


@dataclass(frozen=True)
class Profile:
    store: str
    query_url: str
    update_url: str
    gsp_url: str | None  # None: no Graph Store endpoint known (push with --mode update only)
    auth: str  # digest or basic: how credentials are sent when PEELKG_USER is set
    content_type: str = "application/n-triples"
    preamble: bytes = b""

    def urls(self) -> list[str]:
        return [u for u in (self.query_url, self.update_url, self.gsp_url) if u]


def _with_path(url: str, path: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=path, query="", fragment=""))


def guess_store(endpoint: str) -> str | None:
    """The store whose query endpoint has ``endpoint``'s shape, if only one has."""
    path = urllib.parse.urlsplit(endpoint).path.rstrip("/")
    if path in ("/sparql", "/sparql-auth"):
        return "virtuoso"
    if re.fullmatch(r"/repositories/[^/]+", path):
        return "graphdb"
    if re.fullmatch(r"/[^/]+/(query|sparql)", path):
        return "fuseki"
    if path == "/query":
        return "oxigraph"
    return None


def _derived(store: str, endpoint: str) -> tuple[str, str, dict]:
    """(update URL, Graph Store URL, extra profile fields) derived from the query endpoint."""
    path = urllib.parse.urlsplit(endpoint).path.rstrip("/")
    if store == "virtuoso":
        base = re.sub(r"/sparql(-auth)?$", "", path)
        return (_with_path(endpoint, base + "/sparql-auth"), _with_path(endpoint, base + "/sparql-graph-crud-auth"),
                {"auth": "digest", "content_type": "text/turtle", "preamble": VIRTUOSO_PREAMBLE})
    if store == "fuseki":
        base = re.sub(r"/(query|sparql)$", "", path)
        return _with_path(endpoint, base + "/update"), _with_path(endpoint, base + "/data"), {"auth": "basic"}
    if store == "graphdb":
        return (_with_path(endpoint, path + "/statements"), _with_path(endpoint, path + "/rdf-graphs/service"),
                {"auth": "basic"})
    base = re.sub(r"/query$", "", path)
    return _with_path(endpoint, base + "/update"), _with_path(endpoint, base + "/store"), {"auth": "basic"}


def resolve(endpoint: str, *, store: str | None = None, update: str | None = None, gsp: str | None = None,
            auth: str | None = None) -> Profile:
    """The profile for a push: ``store`` given or guessed from ``endpoint``; ``update``, ``gsp``
    and ``auth`` override what the profile derives. Every URL is checked (http(s) only)."""
    check_url(endpoint, "--endpoint")
    for url, option in ((update, "--update"), (gsp, "--gsp")):
        if url is not None:
            check_url(url, option)
    store = store or guess_store(endpoint)
    if store is None:
        if update is None:
            raise UserError(
                f"Cannot tell which store {endpoint!r} is, so not where its updates go: give --store "
                f"({', '.join(STORES)}), or --update URL (and --gsp URL unless --mode update).")
        return Profile("other", endpoint, update, gsp, auth or "basic")
    if store not in STORES:
        raise UserError(f"Unknown store {store!r}; use one of {', '.join(STORES)}.")
    derived_update, derived_gsp, extra = _derived(store, endpoint)
    if auth:
        extra["auth"] = auth
    return Profile(store, endpoint, update or derived_update, gsp or derived_gsp, **extra)
