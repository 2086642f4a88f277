"""Linked Data: /id/PATH for every resource IRI https://w3id.org/peelkg/id/PATH, the ontology at
/def and the dataset's VoID/DCAT description at /void.

/id/PATH negotiates: HTML for browsers (a report, force or evidence page, or the generic entity
page), Turtle, JSON-LD, N-Triples or RDF/XML for machines (?format=ttl|jsonld|nt|rdf too). The
RDF is the resource's triples in and out with the labels of its neighbours.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..rdf.vocab import ID, PEEL, PREFIXES
from ..query.engine import Result
from ..query.output import write
from . import entity_page, evidence, force_page, report_page
from .negotiation import GRAPHS, HTML, negotiate
from .problems import Problem
from .templating import render

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef("https://w3id.org/peelkg/void#dataset")
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
HTML_PAGES = {str(PEEL.Report): report_page, str(PEEL.PoliceForce): force_page, str(PEEL.Evidence): evidence}


def _negotiate(request: Request, offered):
    return negotiate(request.query_params.get("format"), request.headers.get("accept"), offered)


async def resource(request: Request) -> Response:
    graph = request.app.state.graph
    iri = str(ID) + request.path_params["path"]
    fmt = _negotiate(request, (HTML,) + GRAPHS)
    if fmt is HTML:
        return await run_in_threadpool(_html, request, graph, iri)
    result = await run_in_threadpool(graph.page, "resource-graph", resource=iri)
    if not result.triples:
        raise Problem(404, f"There is nothing about {iri} in this graph.")
    body = await run_in_threadpool(write, result, fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _html(request: Request, graph, iri: str) -> Response:
    types = graph.rows("resource-types", resource=iri)
    classes = {str(r["type"]) for r in types}
    page = next((module for t, module in HTML_PAGES.items() if t in classes), None)
    if page is None:
        out = graph.rows("resource-out", resource=iri)
        incoming = graph.rows("resource-in", resource=iri)
        if not out and not incoming:
            raise Problem(404, f"There is nothing about {iri} in this graph.")
        response = entity_page.render_page(request, graph, iri, out, incoming)
    else:
        label = next((r["label"] for r in types if r.get("label") is not None), None)
        response = page.render_page(request, graph, iri, label)
    response.headers["Vary"] = "Accept"
    return response


async def ontology(request: Request) -> Response:
    graph = request.app.state.graph
    fmt = _negotiate(request, (HTML,) + GRAPHS)
    if fmt is HTML:
        rows = await run_in_threadpool(graph.rows, "ontology-terms")
        terms: dict[str, dict] = {}
        for row in rows:
            term = terms.setdefault(str(row["term"]), {"iri": row["term"], "kind": str(row["kind"]),
                                                      "label": row.get("label"), "definition": row.get("definition"),
                                                      "parents": set(), "domains": set(), "ranges": set(),
                                                      "inverses": set()})
            for key, column in (("parents", "parent"), ("domains", "domain"), ("ranges", "range"),
                                ("inverses", "inverse")):
                if row.get(column) is not None:
                    term[key].add(row[column])
        classes = [t for t in terms.values() if t["kind"] == "class"]
        properties = [t for t in terms.values() if t["kind"] != "class"]
        response = render(request, "ontology.html", {"classes": classes, "properties": properties})
    else:
        result = await run_in_threadpool(graph.page, "ontology-graph")
        response = Response(await run_in_threadpool(write, result, fmt.name), media_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


async def ontology_turtle(request: Request) -> Response:
    result = await run_in_threadpool(request.app.state.graph.page, "ontology-graph")
    return Response(write(result, "turtle"), media_type="text/turtle; charset=utf-8")


def void_graph(graph, base: str) -> Graph:
    counts = graph.rows("dataset-counts")[0]
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    sparql, service = URIRef(base + "/sparql"), URIRef(base + "/sparql#service")
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("peelkg: the PEEL police inspection reports of England and Wales",
                                           lang="en")))
    g.add((DATASET, DCTERMS.description, Literal(
        "Graded judgments, findings, areas for improvement, statistics and glossary of HMIC/HMICFRS PEEL "
        "inspection reports, each statement with the quote from the report it rests on.", lang="en")))
    g.add((DATASET, DCTERMS.license, OGL))
    g.add((DATASET, VOID.sparqlEndpoint, sparql))
    g.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    g.add((DATASET, VOID.triples, Literal(int(counts["triples"]), datatype=XSD.integer)))
    g.add((DATASET, VOID.distinctSubjects, Literal(int(counts["subjects"]), datatype=XSD.integer)))
    g.add((DATASET, VOID.entities, Literal(int(counts["subjects"]), datatype=XSD.integer)))
    g.add((DATASET, VOID.rootResource, URIRef(str(ID) + "programme/peel")))
    for prefix in ("peel", "org", "skos", "prov", "dcterms", "qb", "oa"):
        g.add((DATASET, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    g.add((DATASET, DCAT.distribution, URIRef(base + "/void#sparql")))
    g.add((URIRef(base + "/void#sparql"), RDF.type, DCAT.Distribution))
    g.add((URIRef(base + "/void#sparql"), DCAT.accessURL, sparql))
    g.add((URIRef(base + "/void#sparql"), DCAT.accessService, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, sparql))
    g.add((service, DCAT.servesDataset, DATASET))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    api = URIRef(base + "/api/openapi.json")
    g.add((URIRef(base + "/void#api"), RDF.type, DCAT.DataService))
    g.add((URIRef(base + "/void#api"), DCAT.endpointDescription, api))
    g.add((URIRef(base + "/void#api"), DCAT.servesDataset, DATASET))
    return g


async def void(request: Request) -> Response:
    graph = request.app.state.graph
    fmt = _negotiate(request, GRAPHS)
    base = str(request.base_url).rstrip("/")
    description = await run_in_threadpool(void_graph, graph, base)
    body = write(Result("CONSTRUCT", graph=description), fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def well_known_void(request: Request) -> Response:
    return RedirectResponse("/void", status_code=303)
