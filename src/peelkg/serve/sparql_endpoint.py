"""The SPARQL 1.1 Protocol at /sparql, for a read-only service.

Query operation by GET (``?query=``), POST form (``application/x-www-form-urlencoded``) and POST
direct (``application/sparql-query``), with ``default-graph-uri``/``named-graph-uri``. The
default graph is the union of every named graph. Statuses: 400 a malformed request or query,
403 an update, LOAD or SERVICE (this service is read-only and fetches nothing) or an answer
over the row limit, 405 another method, 406 no acceptable format, 413 a query over the size
limit, 415 an unsupported content type, 503 a query past the time limit. A GET without a
query gives the service description (or, for a browser, the query form).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import UserError
from ..query.sparql import keywords, query_form
from ..query.engine import Result
from ..query.output import write
from .negotiation import GRAPHS, HTML, RESULTS, choose, negotiate
from .problems import Problem
from .templating import render

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
READ_ONLY = "This SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR ...) are refused."
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


async def sparql(request: Request) -> Response:
    graph = request.app.state.graph
    params, query = await _read_request(request, graph.config.max_query_bytes)
    if query is None:
        return _describe_service(request)
    _check_query(query, graph.config.max_query_bytes)
    default_graph, named_graphs = _dataset(params, graph.named_graphs())
    form = query_form(query)
    offered = (GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS) + (HTML,)
    fmt = _format(request, params, offered)
    result = await run_in_threadpool(graph.sparql, query, default_graph, named_graphs)
    if fmt is HTML:
        body = await run_in_threadpool(write, result, "turtle") if result.form == "CONSTRUCT" else None
        return render(request, "sparql.html", {"query": query, "result": result, "turtle": body,
                                               "downloads": _downloads(query, result)})
    body = await run_in_threadpool(write, result, fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def _read_request(request: Request, max_bytes: int) -> tuple[list[tuple[str, str]], str | None]:
    """The protocol's parameters and the query text (None: no query given)."""
    url_params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        params = url_params
        _refuse_update(params)
        return params, _single_query(params)
    media_type, charset = _content_type(request.headers.get("content-type"))
    body = await _body(request, max_bytes)
    if media_type == FORM_TYPE:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(400, "The form is not UTF-8 encoded.") from None
        params = parse_qsl(text, keep_blank_values=True)
        _refuse_update(params)
        if any(k == "query" for k, _ in url_params):
            raise Problem(400, "Give the query either in the URL or in the form, not both.")
        query = _single_query(params)
        if query is None:
            raise Problem(400, "The form has no 'query' parameter.")
        return params + [(k, v) for k, v in url_params if k != "query"], query
    if media_type == QUERY_TYPE:
        if charset not in (None, "utf-8", "utf8"):
            raise Problem(415, f"A query sent as {QUERY_TYPE} must be UTF-8, not {charset}.")
        if any(k == "query" for k, _ in url_params):
            raise Problem(400, "A direct POST carries the query in its body, not also in the URL.")
        try:
            return url_params, body.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(400, "The query is not valid UTF-8.") from None
    if media_type == UPDATE_TYPE:
        raise Problem(403, READ_ONLY)
    if media_type is None:
        raise Problem(400, f"A POST needs a Content-Type: {FORM_TYPE} or {QUERY_TYPE}.")
    raise Problem(415, f"Unsupported Content-Type {media_type}: use {FORM_TYPE} or {QUERY_TYPE}.")


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.strip():
        return None, None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


async def _body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise Problem(413, f"The request is larger than {max_bytes} bytes, the limit of this service.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise Problem(413, f"The request is larger than {max_bytes} bytes, the limit of this service.")
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse_update(params) -> None:
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
        raise Problem(403, READ_ONLY)


def _single_query(params) -> str | None:
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        raise Problem(400, "Give one 'query' parameter, not several.")
    return queries[0] if queries else None


def _check_query(query: str, max_bytes: int) -> None:
    if len(query.encode("utf-8")) > max_bytes:
        raise Problem(413, f"The query is longer than {max_bytes} bytes, the limit of this service.")
    if not query.strip():
        raise Problem(400, "The query is empty.")
    words = keywords(query)
    try:
        query_form(query)
    except UserError:
        if words & UPDATE_WORDS:
            raise Problem(403, READ_ONLY) from None
        raise
    if "SERVICE" in words:
        raise Problem(403, "SERVICE is refused: this endpoint answers from its own data and sends no "
                           "request to other endpoints.")


def _dataset(params, known: set[str]):
    """pyoxigraph's default_graph/named_graphs from the protocol's dataset parameters. Only
    graphs of this store can be named: nothing is fetched from the web."""
    chosen = {}
    for key in ("default-graph-uri", "named-graph-uri"):
        iris = [v for k, v in params if k == key]
        unknown = [i for i in iris if i not in known]
        if unknown:
            raise Problem(400, f"{key} {unknown[0]} is not a graph of this dataset (graphs are never "
                               "loaded from the web). The graphs are listed in the service description.")
        chosen[key] = [ox.NamedNode(i) for i in iris] or None
    return chosen["default-graph-uri"], chosen["named-graph-uri"]


def _format(request: Request, params, offered):
    return negotiate(next((v for k, v in params if k == "format"), None), request.headers.get("accept"), offered)


def _downloads(query: str, result: Result) -> list[tuple[str, list[tuple[str, str]]]]:
    formats = GRAPHS if result.form == "CONSTRUCT" else RESULTS
    return [(f.name, [("query", query), ("format", f.name)]) for f in formats]


def service_description(endpoint: str, graphs: set[str]) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    service, dataset, default = URIRef(endpoint), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, FORMATS_NS[name]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, URIRef("http://purl.org/dc/terms/description"),
           Literal("The union of all named graphs", lang="en")))
    for index, name in enumerate(sorted(graphs)):
        named = BNode(f"g{index}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g


def _describe_service(request: Request) -> Response:
    fmt = choose(request.headers.get("accept"), GRAPHS + (HTML,))
    if fmt is HTML:
        return render(request, "sparql.html", {"query": None, "result": None, "turtle": None, "downloads": []})
    endpoint = str(request.url.replace(query="", fragment=""))
    graph = service_description(endpoint, request.app.state.graph.named_graphs())
    body = write(Result("CONSTRUCT", graph=graph), fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})
