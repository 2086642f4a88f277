"""The W3C SPARQL 1.1 Protocol test cases that apply to a read-only query service
(https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/), one test each, named after
the case, run against /sparql over the Met build. The dataset cases use graphs of this store
instead of the suite's remote documents: the service never fetches anything."""

from __future__ import annotations

import json

import pytest

MET_GRAPH = "https://w3id.org/peelkg/graph/report/peel-2015-effectiveness-metropolitan"
REFERENCE_GRAPH = "https://w3id.org/peelkg/graph/reference"
REPORTS = "PREFIX peel: <https://w3id.org/peelkg/def#> SELECT ?r WHERE { ?r a peel:Report }"
JSON_RESULTS = "application/sparql-results+json"
MET = "https://w3id.org/peelkg/id/report/peel-2015-effectiveness-metropolitan"


def _bindings(response) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_query_get(client):
    response = client.get("/sparql", params={"query": REPORTS}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    assert _bindings(response) == [{"r": MET}]


def test_query_post_form(client):
    response = client.post("/sparql", data={"query": REPORTS}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert _bindings(response) == [{"r": MET}]


def test_query_post_direct(client):
    response = client.post("/sparql", content=REPORTS.encode(),
                           headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert _bindings(response) == [{"r": MET}]


def _count(client, params) -> int:
    response = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200, response.text
    return int(_bindings(response)[0]["n"])


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_query_dataset_default_graph(client):
    in_graph = _count(client, {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{MET_GRAPH}> {{ ?s ?p ?o }} }}"})
    assert _count(client, {"query": COUNT, "default-graph-uri": MET_GRAPH}) == in_graph
    assert in_graph < _count(client, {"query": COUNT})


def test_query_dataset_default_graphs_get(client):
    one = _count(client, {"query": COUNT, "default-graph-uri": MET_GRAPH})
    two = _count(client, {"query": COUNT, "default-graph-uri": [MET_GRAPH, REFERENCE_GRAPH]})
    reference = _count(client, {"query": COUNT, "default-graph-uri": REFERENCE_GRAPH})
    assert two == one + reference  # the two graphs share no triple


def test_query_dataset_default_graphs_post(client):
    response = client.post("/sparql", data={"query": COUNT, "default-graph-uri": [MET_GRAPH]},
                           headers={"Accept": JSON_RESULTS})
    assert int(_bindings(response)[0]["n"]) == _count(client, {"query": COUNT, "default-graph-uri": MET_GRAPH})


def test_query_dataset_named_graphs(client):
    response = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                             "named-graph-uri": [MET_GRAPH, REFERENCE_GRAPH]},
                          headers={"Accept": JSON_RESULTS})
    assert sorted(b["g"] for b in _bindings(response)) == sorted([MET_GRAPH, REFERENCE_GRAPH])


def test_query_dataset_full(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    full = _count(client, {"query": query, "default-graph-uri": REFERENCE_GRAPH, "named-graph-uri": MET_GRAPH})
    assert full == (_count(client, {"query": COUNT, "default-graph-uri": REFERENCE_GRAPH})
                    + _count(client, {"query": COUNT, "default-graph-uri": MET_GRAPH}))


def test_query_multiple_dataset_refuses_a_graph_not_in_the_store(client):
    # The suite's case names remote documents; this service loads nothing, so an unknown graph is a 400.
    response = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "http://example.org/remote.rdf"})
    assert response.status_code == 400
    assert "not a graph of this dataset" in response.text


@pytest.mark.parametrize("accept, media_type", [
    (JSON_RESULTS, JSON_RESULTS), ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_query_content_type_select(client, accept, media_type):
    response = client.get("/sparql", params={"query": REPORTS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert MET in response.text


def test_query_content_type_ask(client):
    response = client.get("/sparql", params={"query": f"ASK {{ <{MET}> ?p ?o }}"}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json",
                                    "application/rdf+xml"])
def test_query_content_type_describe(client, accept):
    response = client.get("/sparql", params={"query": f"DESCRIBE <{MET}>"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "peel-2015-effectiveness-metropolitan" in response.text


def test_query_content_type_construct(client):
    query = f"CONSTRUCT {{ <{MET}> ?p ?o }} WHERE {{ <{MET}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    lines = [line for line in response.text.splitlines() if line.strip()]
    assert all(line.startswith(f"<{MET}> ") and line.endswith(" .") for line in lines)
    assert f'<{MET}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/peelkg/def#Report> .' in lines


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method(client, method):
    response = client.request(method, "/sparql", params={"query": REPORTS})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_bad_multiple_queries(client):
    response = client.get("/sparql", params={"query": [REPORTS, REPORTS]})
    assert response.status_code == 400


def test_bad_query_wrong_media_type(client):
    response = client.post("/sparql", content=REPORTS.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(client):
    response = client.post("/sparql", content=("query=" + REPORTS).encode(), headers={"Content-Type": ""})
    assert response.status_code == 400


def test_bad_query_missing_direct_type(client):
    response = client.post("/sparql", content=REPORTS.encode(), headers={"Content-Type": ""})
    assert response.status_code == 400


def test_bad_query_non_utf8(client):
    response = client.post("/sparql", content=REPORTS.encode("utf-16"),
                           headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 415


def test_bad_query_syntax(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400
    assert "syntax error" in response.text


def test_bad_update_get(client):
    response = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert response.status_code == 403


def test_bad_multiple_updates_and_direct_update_post(client):
    response = client.post("/sparql", content=b"INSERT DATA { <http://a> <http://b> <http://c> }",
                           headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    assert "read-only" in response.text


def test_update_in_a_form_post_is_refused(client):
    response = client.post("/sparql", data={"update": "DROP ALL"})
    assert response.status_code == 403


@pytest.mark.parametrize("update", ["INSERT DATA { <http://a> <http://b> <http://c> }",
                                    "LOAD <http://example.org/data.ttl>", "DELETE WHERE { ?s ?p ?o }"])
def test_update_given_as_a_query_is_refused_as_read_only(client, update):
    response = client.post("/sparql", data={"query": update})
    assert response.status_code == 403
    assert "read-only" in response.text


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE is refused" in response.text


def test_service_in_a_string_or_iri_is_not_mistaken_for_the_keyword(client):
    query = 'SELECT ?service WHERE { BIND("SERVICE <x> {}" AS ?service) }'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": JSON_RESULTS})
    assert response.status_code == 200
    assert _bindings(response) == [{"service": "SERVICE <x> {}"}]


def test_service_description_is_turtle_with_union_default_graph(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef("http://testserver/sparql")
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert MET_GRAPH in names and REFERENCE_GRAPH in names


def test_not_acceptable_format_is_406(client):
    response = client.get("/sparql", params={"query": REPORTS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_query_over_the_size_limit_is_413(client, serve_config):
    padding = "#" + "x" * serve_config.max_query_bytes + "\n"
    response = client.post("/sparql", content=(padding + REPORTS).encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_answer_over_the_row_limit_is_refused_with_a_clear_message(client, serve_config):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 403
    assert f"more than {serve_config.max_rows} rows" in response.text
    assert "Add a LIMIT" in response.text


def test_query_past_the_timeout_is_stopped_with_503(project, built):
    from starlette.testclient import TestClient

    from peelkg.serve import ServeConfig, create_app

    config = ServeConfig(project=project, build_dir=built, timeout=0.1, max_rows=10**9)
    # A cross product of the store with itself yields rows lazily for far longer than 0.1 s.
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(create_app(config), raise_server_exceptions=False) as slow:
        response = slow.get("/sparql", params={"query": query})
    assert response.status_code == 503
    assert "longer than 0.1 s" in response.text


def test_csv_results_are_w3c_csv(client):
    response = client.get("/sparql", params={"query": REPORTS}, headers={"Accept": "text/csv"})
    assert response.text.replace("\r\n", "\n") == f"r\n{MET}\n"


def test_json_results_are_the_w3c_json_format(client):
    response = client.get("/sparql", params={"query": REPORTS + " LIMIT 1"}, headers={"Accept": JSON_RESULTS})
    assert json.loads(response.text) == {"head": {"vars": ["r"]},
                                         "results": {"bindings": [{"r": {"type": "uri", "value": MET}}]}}
