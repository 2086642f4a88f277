"""Every route of `peelkg serve`: status codes and content types, the stored-query API with the
CLI's parameter checks, Linked Data content negotiation, and the safe defaults."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from peelkg.cli import main

MET = "peel-2015-effectiveness-metropolitan"
MET_IRI = f"https://w3id.org/peelkg/id/report/{MET}"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MET_GRADES = ["Requires improvement", "Good", "Requires improvement", "Requires improvement", "Good"]


@pytest.mark.parametrize("path, media_type", [
    ("/", "text/html"),
    ("/?cycle=peel-2015-effectiveness", "text/html"),
    ("/search?q=trident", "text/html"),
    ("/search", "text/html"),
    ("/queries", "text/html"),
    ("/queries/grades-by-question", "text/html"),
    ("/sparql", "text/html"),
    (f"/id/report/{MET}", "text/html"),
    ("/id/force/metropolitan", "text/html"),
    (f"/id/report/{MET}/evidence/finding-q2-2-1-01", "text/html"),
    ("/id/force/metropolitan/trident", "text/html"),
    ("/id/grade/good", "text/html"),
    ("/def", "text/html"),
    ("/def.ttl", "text/turtle"),
    ("/static/style.css", "text/css"),
])
def test_route_answers_a_browser_with_its_content_type(client, path, media_type):
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("path, media_type", [
    ("/api/queries", "application/json"),
    ("/api/openapi.json", "application/json"),
    ("/api/queries/grades-by-question", "application/sparql-results+json"),
    ("/api/queries/report-judgments-graph", "text/turtle"),
    ("/void", "text/turtle"),
    ("/sparql", "text/turtle"),
    (f"/id/report/{MET}", "text/html"),
])
def test_route_answers_any_client_with_its_default_content_type(client, path, media_type):
    response = client.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("path", ["/no-such-page", "/id/report/no-such-report", "/api/queries/no-such-query",
                                  "/queries/no-such-query", "/static/missing.css"])
def test_unknown_paths_are_404(client, path):
    assert client.get(path).status_code == 404


def test_well_known_void_redirects_to_void(client):
    response = client.get("/.well-known/void", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/void"


@pytest.mark.parametrize("path", ["/", "/api/queries", f"/id/report/{MET}", "/def"])
def test_post_to_a_read_only_page_is_405(client, path):
    assert client.post(path).status_code == 405


# -- The stored-query API ----

def test_grades_by_question_json_gives_the_five_met_grades(client):
    response = client.get("/api/queries/grades-by-question.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    grades = [b["grade"]["value"] for b in response.json()["results"]["bindings"]]
    assert grades == MET_GRADES


def test_api_answer_is_byte_for_byte_what_the_cli_prints(client, project, built):
    from peelkg.answer import execute

    for fmt in ("json", "csv", "tsv", "xml"):
        cli = execute(project, built, "areas-for-improvement", None, [("question", "q4")], fmt)
        response = client.get(f"/api/queries/areas-for-improvement.{fmt}", params={"question": "q4"})
        assert response.status_code == 200
        assert response.text == cli


@pytest.mark.parametrize("accept, media_type", [("text/csv", "text/csv"),
                                                ("application/sparql-results+xml", "application/sparql-results+xml"),
                                                ("text/tab-separated-values", "text/tab-separated-values")])
def test_api_format_by_accept(client, accept, media_type):
    response = client.get("/api/queries/grades-by-question", headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media_type


def test_api_construct_query_gives_turtle_or_ntriples(client):
    turtle = client.get("/api/queries/report-judgments-graph.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    ntriples = client.get("/api/queries/report-judgments-graph.nt")
    assert ntriples.headers["content-type"].startswith("application/n-triples")
    assert f"<{MET_IRI}/judgment/q2>" in ntriples.text


def test_api_unknown_value_is_400_listing_the_valid_values(client):
    response = client.get("/api/queries/grades-for-question-and-year.json", params={"question": "q9"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    # The question is looked up in the cycles of the query's year (2015 by default), and only
    # their questions are listed (issue 9).
    assert body["error"].startswith("Unknown question 'q9' for parameter question in the cycles of 2015. "
                                    "Its questions: ")
    listed = body["error"].split("Its questions: ")[1].rstrip(".").split(", ")
    assert "peel-2015-effectiveness/q2" in listed
    assert all(q.startswith("peel-2015-") for q in listed)


def test_api_unknown_parameter_is_400_with_the_cli_message(client):
    response = client.get("/api/queries/grades-by-question.json", params={"colour": "red"})
    assert response.status_code == 400
    assert response.json()["error"] == ("Query grades-by-question has no parameter 'colour' "
                                        "(its parameters: report).")


def test_api_wrong_type_is_400(client):
    response = client.get("/api/queries/grades-for-question-and-year.json", params={"year": "twenty"})
    assert response.status_code == 400
    assert response.json()["error"] == "Parameter year must be a year like 2015, not 'twenty'."


def test_api_suffix_a_query_does_not_have_is_404(client):
    assert client.get("/api/queries/grades-by-question.ttl").status_code == 404


def test_api_lists_every_stored_query(client, project):
    names = [q["name"] for q in client.get("/api/queries").json()["queries"]]
    assert names == sorted(p.stem for p in project.queries_dir.glob("*.rq"))


def test_openapi_document_has_a_path_per_query_with_enums_from_the_graph(client, project):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {f"/api/queries/{p.stem}" for p in project.queries_dir.glob("*.rq")}
    report = document["paths"]["/api/queries/grades-by-question"]["get"]["parameters"][0]
    assert report["name"] == "report"
    assert report["schema"]["enum"] == sorted(r.id for r in project.reports())
    assert len(report["schema"]["enum"]) == 44 and MET in report["schema"]["enum"]


def test_injection_through_an_api_string_parameter_stays_a_literal(client):
    payload = '") } } DROP ALL #'
    response = client.get("/api/queries/search-findings.json", params={"text": payload})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []


# -- Linked Data ----

def test_report_iri_is_turtle_for_machines(client):
    response = client.get(f"/id/report/{MET}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"] == "Accept"
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(MET_IRI), RDF.type, URIRef("https://w3id.org/peelkg/def#Report")) in graph
    # triples in: the judgments point at the report
    assert (URIRef(f"{MET_IRI}/judgment/q2"), URIRef("https://w3id.org/peelkg/def#judgmentIn"), URIRef(MET_IRI)) in graph


@pytest.mark.parametrize("accept, media_type", [("application/ld+json", "application/ld+json"),
                                                ("application/n-triples", "application/n-triples"),
                                                ("application/rdf+xml", "application/rdf+xml")])
def test_resource_in_other_rdf_formats(client, accept, media_type):
    response = client.get("/id/force/metropolitan", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_resource_turtle_has_labels_of_neighbours(client):
    response = client.get("/id/force/metropolitan", params={"format": "nt"})
    assert ('<https://w3id.org/peelkg/id/area/E23000001> <http://www.w3.org/2000/01/rdf-schema#label> '
            '"Metropolitan Police"@en .') in response.text


def test_report_page_html_for_a_browser(client):
    response = client.get(f"/id/report/{MET}", headers={"Accept": BROWSER})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>PEEL: Police effectiveness 2015 – An inspection of the Metropolitan Police Service</h1>" in response.text


def test_ontology_as_turtle_by_accept(client):
    response = client.get("/def", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert "peel:Judgment" in response.text


def test_ontology_html_documents_every_class(client, ontology_graph):
    from rdflib.namespace import OWL, RDF

    html = client.get("/def", headers={"Accept": BROWSER}).text
    classes = {str(c).split("#")[1] for c in ontology_graph.subjects(RDF.type, OWL.Class)
               if str(c).startswith("https://w3id.org/peelkg/def#")}
    assert classes and all(f'id="{name}"' in html for name in classes)


def test_void_description_counts_the_triples(client):
    from rdflib import Graph, Namespace, URIRef

    void = Namespace("http://rdfs.org/ns/void#")
    graph = Graph().parse(data=client.get("/void").text, format="turtle")
    dataset = URIRef("https://w3id.org/peelkg/void#dataset")
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"}).json()
    assert int(graph.value(dataset, void.triples)) == int(count["results"]["bindings"][0]["n"]["value"])
    assert graph.value(dataset, void.sparqlEndpoint) == URIRef("http://testserver/sparql")


def test_invalid_iri_path_is_400_not_500(client):
    response = client.get("/id/report/a%3Cb%3E")
    assert response.status_code == 400


# -- Pages ----

def test_search_finds_by_abbreviation(client):
    html = client.get("/search", params={"q": "IOM"}).text
    assert "integrated offender management" in html.lower()


def test_unknown_cycle_on_home_is_400(client):
    response = client.get("/", params={"cycle": "peel-1999-nothing"}, headers={"Accept": BROWSER})
    assert response.status_code == 400
    assert "Unknown cycle" in response.text


def test_stored_query_page_with_a_bad_value_shows_the_form_and_the_error(client):
    response = client.get("/queries/grades-for-question-and-year", params={"question": "q9"})
    assert response.status_code == 400
    assert "Unknown question &#39;q9&#39;" in response.text
    assert 'id="form-grades-for-question-and-year"' in response.text


def test_query_page_pickers_are_filled_from_the_graph(client):
    html = client.get("/queries").text
    assert f'<option value="{MET}" selected>' in html
    assert '<option value="metropolitan" selected>Metropolitan Police Service — metropolitan</option>' in html


# -- Safe defaults ----

def test_security_headers_on_every_response(client):
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_cors_is_off_by_default(client):
    response = client.get("/api/queries", headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_on_with_the_option(project, built):
    from starlette.testclient import TestClient

    from peelkg.serve import ServeConfig, create_app

    with TestClient(create_app(ServeConfig(project=project, build_dir=built, cors=True))) as cors_client:
        response = cors_client.get("/api/queries", headers={"Origin": "http://elsewhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_internal_error_has_no_stack_trace(project, built, monkeypatch):
    from starlette.testclient import TestClient

    from peelkg.serve import ServeConfig, create_app
    from peelkg.serve import graph as graph_module

    def broken(self, *args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(graph_module.GraphAccess, "rows", broken)
    with TestClient(create_app(ServeConfig(project=project, build_dir=built)),
                    raise_server_exceptions=False) as broken_client:
        for accept in (BROWSER, "text/plain"):
            response = broken_client.get("/", headers={"Accept": accept})
            assert response.status_code == 500
            assert "secret internal detail" not in response.text
            assert "Traceback" not in response.text
            assert "Internal error" in response.text


def test_serve_binds_loopback_by_default():
    option = next(p for p in main.get_command(None, "serve").params if p.name == "host")
    assert option.default == "127.0.0.1"


def test_serve_without_a_build_is_a_clear_error(tmp_path, project):
    result = CliRunner().invoke(main, ["--project", str(project.root), "--build-dir", str(tmp_path), "serve"])
    assert result.exit_code == 2
    assert result.output == f"error: No built graph in {tmp_path}: run `peelkg build` first.\n"


def test_api_error_is_json(client):
    response = client.get("/api/queries/grades-by-question.json", params={"report": "x"})
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.text)["status"] == 400


def test_every_quote_link_of_the_report_page_opens_its_quote_highlighted(client, met_source):
    import re

    html = client.get(f"/id/report/{MET}", headers={"Accept": BROWSER}).text
    links = re.findall(r'class="quote-link" href="([^"]+)"', html)
    # judgments 5, findings 151, recommendations 21, glossary 21, plus the statistics
    assert len(links) > 5 + 151 + 21 + 21
    for link in set(links):
        assert link.startswith(f"/id/report/{MET}/evidence/") and link.endswith("#quote")
        page = client.get(link.split("#")[0], headers={"Accept": BROWSER})
        assert page.status_code == 200
        assert '<mark id="quote">' in page.text, link


@pytest.mark.parametrize("path, offered", [
    (f"/id/report/{MET}?format=yaml", "html, turtle, ntriples, jsonld, rdfxml"),
    ("/sparql?query=ASK+%7B%7D&format=yaml", "json, xml, csv, tsv, html"),
])
def test_an_unknown_format_is_refused_with_the_formats_offered(client, path, offered):
    response = client.get(path)
    assert (response.status_code, response.text.strip()) == (400, f"Unknown format 'yaml'; use one of {offered}.")
