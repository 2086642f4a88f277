"""The stored queries as a web API: /api/queries, /api/openapi.json, /api/queries/NAME[.ext].

``/api/queries/NAME?param=value`` checks the values exactly as ``peelkg query -p`` does (same
function, same messages: an unknown value is a 400 listing the valid values), then runs the
query through the same path and writes the answer with the same serialiser. The format comes
from the suffix (.json, .csv, .tsv, .xml; .ttl, .nt, .jsonld, .rdf for CONSTRUCT) or else
from the Accept header.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import UserError
from ..query.library import StoredQuery
from ..query.params import LOOKED_UP_TYPES
from ..query.output import write
from .negotiation import GRAPHS, RESULTS, by_name, choose
from .problems import Problem

PARAM_SCHEMAS = {
    "integer": {"type": "integer"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "iri": {"type": "string", "format": "iri"},
}


def _describe(query: StoredQuery) -> dict:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "form": query.form,
        "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "description": p.description} for p in query.params],
        "url": f"/api/queries/{query.name}",
        "formats": [f.suffix for f in (GRAPHS if query.form in ("CONSTRUCT", "DESCRIBE") else RESULTS)],
    }


async def list_queries(request: Request) -> Response:
    library = request.app.state.graph.library
    return JSONResponse({"queries": [_describe(q) for q in library.queries.values()]})


async def run_query(request: Request) -> Response:
    graph = request.app.state.graph
    name, suffix = request.path_params["name"], None
    if name not in graph.library.queries and "." in name:
        name, suffix = name.rsplit(".", 1)
    if name not in graph.library.queries:
        try:
            graph.library.get(name)
        except UserError as exc:  # its message suggests close names
            raise Problem(404, str(exc)) from None
    query = graph.library.queries[name]
    offered = GRAPHS if query.form in ("CONSTRUCT", "DESCRIBE") else RESULTS
    if suffix is not None:
        fmt = by_name(suffix, offered)
        if fmt is None:
            raise Problem(404, f"Query {name} has no .{suffix} form; use one of "
                               + ", ".join("." + f.suffix for f in offered) + ".")
    else:
        fmt = choose(request.headers.get("accept"), offered)
    given = list(request.query_params.multi_items())
    _, result = await run_in_threadpool(graph.stored, name, given)
    body = await run_in_threadpool(write, result, fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _parameter(graph, param) -> dict:
    schema = dict(PARAM_SCHEMAS.get(param.type, {"type": "string"}))
    if param.type in LOOKED_UP_TYPES:
        schema["enum"] = sorted({names[0] for names in graph.choices(param.type).values()})
    if param.default is not None:
        schema["default"] = param.default
    return {"name": param.name, "in": "query", "required": param.required,
            "description": f"{param.description} (peelkg type: {param.type})".strip(), "schema": schema}


def openapi_document(graph) -> dict:
    paths = {}
    error = {"description": "A parameter value is wrong: the message says which and lists the valid values",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for query in graph.library.queries.values():
        offered = GRAPHS if query.form in ("CONSTRUCT", "DESCRIBE") else RESULTS
        paths[f"/api/queries/{query.name}"] = {"get": {
            "operationId": query.name.replace("-", "_"),
            "summary": query.summary,
            "description": query.description + "\n\nAdd a suffix (" + ", ".join("." + f.suffix for f in offered)
                           + ") or an Accept header to choose the format.",
            "tags": list(query.tags),
            "parameters": [_parameter(graph, p) for p in query.params],
            "responses": {"200": {"description": "The answer",
                                  "content": {f.media_type: {} for f in offered}},
                          "400": error, "503": {"description": "The query ran past the time limit"}},
        }}
    return {
        "openapi": "3.0.3",
        "info": {"title": "peelkg stored queries", "version": "1",
                 "description": "The stored SPARQL queries of peelkg (queries/*.rq), run by name on the "
                                "PEEL inspection graph. Parameter values are checked as `peelkg query -p` does."},
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {
            "status": {"type": "integer"}, "error": {"type": "string"}}}}},
    }


async def openapi(request: Request) -> Response:
    document = await run_in_threadpool(openapi_document, request.app.state.graph)
    return JSONResponse(document)
