"""The page of any other resource (programme, unit, partner, topic, question, grade ...): what
each report says about it, and its relations in and out, with the neighbours' labels."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from starlette.requests import Request
from starlette.responses import Response

from .templating import render


def page_context(graph, iri: str, out, incoming) -> dict:
    label = next((r["o"] for r in out if r["p"] == SKOS.prefLabel), None) or \
        next((r["o"] for r in out if r["p"] == RDFS.label), None) or iri
    statements = graph.rows("entity-statements", resource=iri)
    evidence = {s["statement"]: URIRef(s["evidence"]) for s in statements if s.get("evidence") is not None}
    return {"iri": iri, "label": label, "types": [r for r in out if r["p"] == RDF.type],
            "out": [r for r in out if r["p"] != RDF.type], "incoming": incoming,
            "statements": statements, "evidence": evidence}


def render_page(request: Request, graph, iri: str, out, incoming) -> Response:
    return render(request, "entity.html", page_context(graph, iri, out, incoming))
