"""The force page: its reports, its grade history as an SVG chart, its units, the programmes its
reports name, and its partnerships."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .charts import grade_history
from .templating import render


def page_context(graph, iri: str, label) -> dict:
    _, units = graph.stored("units-of-force", [("force", iri)])
    _, partners = graph.stored("partners", [("force", iri)])
    partnerships: dict[str, dict] = {}
    for row in partners.rows:
        entry = partnerships.setdefault(str(row["item"]), {"iri": row["item"], "label": row["partnership"],
                                                           "purpose": row.get("purpose"), "partners": []})
        if row.get("partner") is not None:
            entry["partners"].append(row["partner"])
    history = graph.rows("force-grade-history", force=iri)
    return {
        "iri": iri,
        "label": label or iri,
        "reports": graph.rows("force-reports", force=iri),
        "chart": grade_history(history),
        "history": history,
        "units": units.rows,
        "programmes": graph.rows("force-programmes", force=iri),
        "partnerships": list(partnerships.values()),
    }


def render_page(request: Request, graph, iri: str, label) -> Response:
    return render(request, "force.html", page_context(graph, iri, label))
