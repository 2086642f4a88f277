"""`peelkg query NAME --endpoint URL`: run a stored query on a remote SPARQL endpoint.

Parameters are resolved and bound exactly as for the built graph (``queries.Resolver`` and
``queries.bind``), but the look-ups that check a value (is this a force? a report?) run on the
remote endpoint, so a value is checked against the data actually queried. The answer is turned
into a ``run.Result`` and written by ``run.write``, so every output format is the same as local.
"""

from __future__ import annotations

from rdflib import Graph

from .errors import UserError
from .queries import Resolver, StoredQuery, bind
from .remote import RemoteError, SelectResult, remote_select
from .run import Result, write

TIMEOUT = 120.0


def _remote(endpoint: str, text: str):
    try:
        return remote_select(endpoint, text, timeout=TIMEOUT)
    except RemoteError as exc:
        raise UserError(f"The remote endpoint could not answer: {exc}") from None
    except ValueError as exc:  # e.g. SPARQLWrapper refusing a malformed URL
        raise UserError(f"Cannot query endpoint {endpoint!r}: {exc}") from None


def remote_lookup(endpoint: str):
    """A ``queries.Lookup`` that runs on a remote endpoint."""

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


def run_remote_query(endpoint: str, query: StoredQuery, values: dict[str, str], fmt: str) -> str:
    """Resolve and bind ``values``, run ``query`` on ``endpoint`` and write the result as ``fmt``."""
    if not endpoint.lower().startswith(("http://", "https://")):
        raise UserError(f"--endpoint must be an http(s) URL, not {endpoint!r}.")
    bindings = Resolver(remote_lookup(endpoint)).resolve_all(query, values)
    return write(_to_result(_remote(endpoint, bind(query.text, bindings))), fmt)
