"""`peelkg query NAME --endpoint URL`: a stored query run on a remote SPARQL endpoint.

Parameters are resolved and bound exactly as for the built store (``queries.Resolver`` and
``queries.bind``), but the look-ups that check a value (is this a force? a report?) run on the
endpoint, so a value is checked against the data actually queried. The query form comes from
peelkg's own detection (``StoredQuery.form``); the text always goes out as the protocol's query
operation. The answer is parsed by pyoxigraph into the objects a local query gives and goes
through the same conversion and writers (``run``), so every output format is the same as local.
"""

from __future__ import annotations

from rdflib import Literal

from ..errors import UserError
from ..queries import Resolver, StoredQuery, bind
from ..rdfio import term_to_rdflib
from ..run import Result, _to_result, write
from . import sparql
from .client import Client, RemoteError, check_url

DEFAULT_TIMEOUT = 60.0


def run_on(client: Client, endpoint: str, text: str, form: str):
    """The answer of a query whose parameters are bound, as a ``run.Result``."""
    what = f"the query on {endpoint}"
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _to_result(sparql.construct(client, endpoint, text, what=what))
    answer = sparql.select(client, endpoint, text, what=what)
    if isinstance(answer, bool):
        return Result("ASK", boolean=answer)
    return Result("SELECT", variables=answer.variables, rows=_rdflib_rows(answer.rows))


def _rdflib_rows(rows: list[dict]) -> list[dict]:
    return [{var: term_to_rdflib(term) for var, term in row.items()} for row in rows]


def lookup_on(client: Client, endpoint: str):
    """A ``queries.Lookup`` that runs on the endpoint."""

    def lookup(query: str, bindings: dict) -> list[dict]:
        answer = sparql.select(client, endpoint, bind(query, bindings), what=f"checking a parameter on {endpoint}")
        return [] if isinstance(answer, bool) else _rdflib_rows(answer.rows)

    return lookup


def run_remote_query(endpoint: str, query: StoredQuery, values: dict[str, str], fmt: str, *,
                     timeout: float = DEFAULT_TIMEOUT, user: str | None = None, password: str | None = None,
                     auth: str = "digest") -> str:
    """Resolve and bind ``values``, run ``query`` on ``endpoint`` and write the result as ``fmt``."""
    check_url(endpoint, "--endpoint")
    try:
        with Client([endpoint], user=user, password=password, auth=auth, timeout=timeout) as client:
            resolver = Resolver(lookup_on(client, endpoint))
            bindings = {}
            for key, value in values.items():
                param = query.param(key)
                bindings["_" + key] = Literal(value) if param is None else resolver.resolve(param, value)
            result = run_on(client, endpoint, bind(query.text, bindings), query.form)
    except RemoteError as exc:
        raise UserError(f"The remote endpoint could not answer: {exc}") from None
    return write(result, fmt)
