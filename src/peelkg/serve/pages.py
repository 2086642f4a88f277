"""Pages for people: home (search and the grades overview), search results, and the query page
(every stored query as a form, run to an HTML table with download links)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import UserError
from ..query.params import LOOKED_UP_TYPES
from .negotiation import GRAPHS, RESULTS
from .problems import Problem, status_of
from .templating import render


def _cycles(graph) -> list[dict]:
    return graph.rows("cycles")


def overview(graph, cycle_iri: str) -> dict:
    """Forces x questions of one cycle: the question columns and one row per force."""
    rows = graph.rows("grades-overview", cycle=cycle_iri)
    questions: dict[str, dict] = {}
    forces: dict[str, dict] = {}
    for row in rows:
        questions.setdefault(str(row["q"]), {"iri": row["q"], "number": int(row["questionNumber"]),
                                             "short": row["shortQuestion"], "label": row["question"]})
        force = forces.setdefault(str(row["force"]), {"iri": row["force"], "label": row["forceLabel"],
                                                      "grades": {}})
        force["grades"][row["q"]] = row
    columns = sorted(questions.values(), key=lambda q: q["number"])
    return {"questions": columns, "forces": sorted(forces.values(), key=lambda f: str(f["label"]))}


def _home_context(graph, cycle: str | None) -> dict:
    cycles = _cycles(graph)
    chosen = next((c for c in cycles if cycle in (str(c["cycle"]), str(c["cycle"]).rsplit("/", 1)[-1])), None)
    if cycle and chosen is None:
        raise Problem(400, f"Unknown cycle {cycle!r}; choose one of "
                           + ", ".join(str(c["cycle"]).rsplit("/", 1)[-1] for c in cycles) + ".")
    chosen = chosen or (cycles[0] if cycles else None)
    return {"cycles": cycles, "cycle": chosen,
            "overview": overview(graph, str(chosen["cycle"])) if chosen else None}


async def home(request: Request) -> Response:
    graph = request.app.state.graph
    context = await run_in_threadpool(_home_context, graph, request.query_params.get("cycle"))
    return render(request, "home.html", context)


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "").strip()
    if len(text) > 200:
        raise Problem(400, "Search for at most 200 characters.")
    results = await run_in_threadpool(request.app.state.search.search, text) if text else []
    return render(request, "search.html", {"q": text, "results": results})


def pickers(graph) -> dict[str, list[tuple[str, str, set[str]]]]:
    """For each looked-up parameter type, (value, label, every name it answers to) options
    filled from the graph."""
    labels = {str(r["item"]): str(r["label"]) for r in graph.rows("picker-labels") if r.get("label") is not None}
    options = {}
    for kind in LOOKED_UP_TYPES:
        choices = graph.choices(kind)
        entries = [(names[0], labels.get(str(iri), names[0]), set(names)) for iri, names in choices.items()]
        options[kind] = sorted(entries, key=lambda e: (e[1].lower(), e[0]))
    return options


async def query_index(request: Request) -> Response:
    graph = request.app.state.graph
    options = await run_in_threadpool(pickers, graph)
    return render(request, "queries.html", {"queries": list(graph.library.queries.values()), "options": options})


async def query_run(request: Request) -> Response:
    graph = request.app.state.graph
    name = request.path_params["name"]
    if name not in graph.library.queries:
        raise Problem(404, f"No stored query named {name!r}; the query page lists them all.")
    query = graph.library.queries[name]
    given = [(k, v) for k, v in request.query_params.multi_items()]
    options = await run_in_threadpool(pickers, graph)
    context = {"query": query, "options": options, "values": dict(given), "result": None, "error": None,
               "downloads": []}
    try:
        _, result = await run_in_threadpool(graph.stored, name, given)
    except UserError as exc:
        context["error"] = str(exc)
        return render(request, "query.html", context, status=status_of(exc))
    offered = GRAPHS if result.form == "CONSTRUCT" else RESULTS
    context["result"] = result
    context["downloads"] = [(f.suffix, f"/api/queries/{name}.{f.suffix}" + (f"?{urlencode(given)}" if given else ""))
                            for f in offered]
    if result.form == "CONSTRUCT":
        from ..query.output import write

        context["turtle"] = await run_in_threadpool(write, result, "turtle")
    return render(request, "query.html", context)
