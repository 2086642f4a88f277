"""`peelkg query NAME --endpoint URL`: run a stored query on a remote SPARQL endpoint.

``query.runner.answer`` resolves and binds parameters exactly as for the built graph, with the
look-ups that check a value (is this a force? a report?) run on the remote endpoint, so a value
is checked against the data actually queried. The answer is turned into a
``query.engine.Result`` and written by ``query.output.write``, so every output format is the same
as local.
"""

from __future__ import annotations

from rdflib import Graph

from .errors import UserError
from .query.engine import Result
from .query.params import bind
from .remote import RemoteError, SelectResult, remote_select

TIMEOUT = 120.0


def _remote(endpoint: str, text: str):
    try:
        return remote_select(endpoint, text, timeout=TIMEOUT)
    except RemoteError as exc:
        raise UserError(f"The remote endpoint could not answer: {exc}") from None
    except ValueError as exc:  # e.g. SPARQLWrapper refusing a malformed URL
        raise UserError(f"Cannot query endpoint {endpoint!r}: {exc}") from None


def remote_lookup(endpoint: str):
    """A ``query.params.Lookup`` that runs on a remote endpoint."""

    def lookup(query: str, bindings: dict) -> list[dict]:
        answer = _remote(endpoint, bind(query, bindings))
        return answer.rows if isinstance(answer, SelectResult) else []

    return lookup


def _to_result(answer) -> Result:
    if isinstance(answer, bool):
        return Result("ASK", boolean=answer)
    if isinstance(answer, Graph):
        return Result("CONSTRUCT", graph=answer)
    return Result("SELECT", variables=list(answer.vars), rows=[dict(r) for r in answer.rows])


class RemoteEngine:
    """A remote SPARQL endpoint as a query engine (query.engine.Engine)."""

    def __init__(self, endpoint: str):
        if not endpoint.lower().startswith(("http://", "https://")):
            raise UserError(f"--endpoint must be an http(s) URL, not {endpoint!r}.")
        self.endpoint = endpoint
        self.lookup = remote_lookup(endpoint)

    def run(self, query: str) -> Result:
        return _to_result(_remote(self.endpoint, query))
