"""A remote SPARQL endpoint as a query engine (``query.engine.Engine``), for
`peelkg query NAME --endpoint URL`.

``query.runner.answer`` resolves and binds parameters exactly as for the built store, with the
look-ups that check a value (is this a force? a report?) run here, on the endpoint, so a value
is checked against the data actually queried. The query form comes from peelkg's one reading of
the query (``query.sparql.query_form``), and the text always goes out as the protocol's query
operation, never as an update. The answer is a ``query.engine.Result`` written by
``query.output.write``, so every output format is the same as local.
"""

from __future__ import annotations

from ..query.engine import Result
from ..query.binding import bind
from ..query.sparql import query_form
from . import sparql
from .client import Client, RemoteError, check_url

DEFAULT_TIMEOUT = 60.0


class RemoteEngine:
    """Queries on ``endpoint`` through the one HTTP client; a context manager (closes it).

    Credentials, if given, go only to the endpoint's host (see ``client``)."""

    def __init__(self, endpoint: str, *, timeout: float = DEFAULT_TIMEOUT, user: str | None = None,
                 password: str | None = None, auth: str = "digest"):
        self.endpoint = check_url(endpoint, "--endpoint")
        self.client = Client([endpoint], user=user, password=password, auth=auth, timeout=timeout)

    def __enter__(self) -> "RemoteEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def lookup(self, query: str, bindings: dict) -> list[dict]:
        answer = self._ask(bind(query, bindings), "SELECT", f"checking a parameter on {self.endpoint}")
        return [] if isinstance(answer, bool) else answer.rows

    def run(self, query: str) -> Result:
        form = query_form(query)
        answer = self._ask(query, form, f"the query on {self.endpoint}")
        if form in ("CONSTRUCT", "DESCRIBE"):
            return Result("CONSTRUCT", triples=answer)
        if isinstance(answer, bool):
            return Result("ASK", boolean=answer)
        return Result("SELECT", variables=answer.variables, terms=answer.rows)

    def _ask(self, text: str, form: str, what: str):
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                return sparql.construct(self.client, self.endpoint, text, what=what)
            return sparql.select(self.client, self.endpoint, text, what=what)
        except RemoteError as exc:  # exit code 2, as for a local query that cannot run
            raise RemoteError(f"The remote endpoint could not answer: {exc}", status=exc.status,
                              no_answer=exc.no_answer, exit_code=2) from None

