"""The SPARQL 1.1 Protocol over the one client: queries, updates and Graph Store requests.

A query is always sent as the protocol's *query* operation (``query=`` in a POST form) and an
update as the *update* operation (``update=``): which one is decided by the caller, from
peelkg's own query-form detection, never guessed from the text by a client library. Answers
come back as pyoxigraph terms, like a local query's.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import NamedTuple

import pyoxigraph as ox

from ..errors import BindingError
from ..query.binding import term_to_sparql
from .client import Client, RemoteError, excerpt

RESULTS_JSON = "application/sparql-results+json"
# CONSTRUCT / DESCRIBE answers: N-Triples first (no prefixes to resolve, streams well), Turtle
# as the fallback every store offers.
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"


def iri(value: str) -> str:
    """``<value>`` for a graph name put into an update; refuses characters that end an IRIREF."""
    try:
        return term_to_sparql(ox.NamedNode(value))
    except ValueError:  # pyoxigraph checks the IRI grammar as it makes the term
        raise BindingError(f"{value!r} is not a valid IRI.") from None


class Solutions(NamedTuple):
    variables: list[str]
    rows: list[dict]  # variable -> pyoxigraph term, for the variables bound in the row


def select(client: Client, url: str, query: str, *, what: str,
           labels: dict[str, ox.BlankNode] | None = None) -> Solutions | bool:
    """Run a SELECT or ASK query; returns its solutions (pyoxigraph terms) or its boolean.
    ``labels``: the store's blank node labels seen so far, to give a blank node the same term
    in several answers.

    The JSON is read here rather than by pyoxigraph's results parser, which refuses the blank
    node labels some stores write (Virtuoso's ``nodeID://b10006``)."""
    response = client.request("POST", url, what=what, data={"query": query},
                              headers={"Accept": RESULTS_JSON})
    try:
        data = json.loads(response.content)
        if "boolean" in data:
            return bool(data["boolean"])
        labels = {} if labels is None else labels
        rows = [{var: _term(b, labels) for var, b in row.items()} for row in data["results"]["bindings"]]
        return Solutions(list(data["head"].get("vars", [])), rows)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise client.fail(what, f"the answer is not SPARQL JSON results ({exc}): {excerpt(response.content)}") from None


def _term(binding: dict, labels: dict[str, ox.BlankNode]):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return labels.setdefault(value, ox.BlankNode())
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return ox.Literal(value, language=binding["xml:lang"])
        if binding.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    raise ValueError(f"unknown term type {kind!r}")


def construct(client: Client, url: str, query: str, *, what: str) -> list[ox.Triple]:
    """Run a CONSTRUCT or DESCRIBE query; returns its triples."""
    response = client.request("POST", url, what=what, data={"query": query}, headers={"Accept": GRAPH_ACCEPT})
    media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    fmt = GRAPH_FORMATS.get(media, ox.RdfFormat.TURTLE)
    try:
        return [quad.triple for quad in ox.parse(response.content, format=fmt)]
    except (SyntaxError, ValueError) as exc:
        raise client.fail(what, f"the answer is not {fmt.name} ({exc}): {excerpt(response.content)}") from None


def update(client: Client, url: str, operation: str, *, what: str, retry: bool) -> None:
    client.request("POST", url, what=what, data={"update": operation},
                   headers={"Accept": f"{RESULTS_JSON}, */*;q=0.1"}, retry=retry)


def count(client: Client, url: str, graph: str, *, what: str) -> int:
    answer = select(client, url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}", what=what)
    try:
        return int(answer.rows[0]["n"].value)
    except (IndexError, TypeError, KeyError, ValueError, AttributeError):
        raise RemoteError(f"{what}: the store gave no count") from None


def graph_store_put(client: Client, gsp_url: str, graph: str, body: bytes, content_type: str, *, what: str) -> None:
    """Replace ``graph`` with ``body`` by the Graph Store HTTP Protocol (``PUT ?graph=``)."""
    separator = "&" if "?" in gsp_url else "?"
    url = gsp_url + separator + urllib.parse.urlencode({"graph": graph})
    client.request("PUT", url, what=what, content=body, headers={"Content-Type": content_type})
