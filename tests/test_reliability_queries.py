"""Queries on the built graph: never a network request (SERVICE is refused, SILENT too), and a
clear message naming the file, line or value for broken query files, headers and parameters."""

from __future__ import annotations

import http.server
import threading

import pytest
from click.testing import CliRunner

from peelkg.cli import main

pytestmark = pytest.mark.reliability


@pytest.fixture
def project_root(project):
    return project.root


@pytest.fixture
def listener():
    """A SPARQL endpoint on loopback that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    server.shutdown()


def _query(project, built, *args):
    return CliRunner().invoke(main, ["--project", str(project), "--build-dir", str(built), "query", *args])


def _assert_error(result, *fragments):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.mark.parametrize("clause", ["SERVICE <{url}> {{ ?s ?p ?o }}", "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
                                    "service <{url}> {{ ?s ?p ?o }}", "?x ?y ?z .SERVICE <{url}> {{ ?s ?p ?o }}"])
def test_service_in_an_ad_hoc_query_is_refused_without_a_request(project_root, built, listener, tmp_path, clause):
    url, hits = listener
    query = tmp_path / "federated.rq"
    query.write_text("PREFIX peel: <https://w3id.org/peelkg/def#>\nSELECT * WHERE {\n  "
                     + clause.format(url=url) + "\n}\n")
    result = _query(project_root, built, "--file", str(query))
    _assert_error(result, f"{query}:3:", "SERVICE is refused", "--endpoint URL")
    assert hits == []


def test_service_in_a_stored_query_is_refused(project_copy, built, listener):
    url, hits = listener
    (project_copy / "queries" / "federated.rq").write_text(
        "#+ summary: asks another server\n" f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n")
    result = _query(project_copy, built, "federated")
    _assert_error(result, f"{project_copy / 'queries' / 'federated.rq'}:2:18: SERVICE is refused")
    assert hits == []


def test_service_as_a_word_in_names_strings_and_comments_is_not_refused(project_root, built, tmp_path):
    query = tmp_path / "words.rq"
    query.write_text('PREFIX service: <http://example.org/service#>\n# SERVICE <http://x> in a comment\n'
                     'SELECT ?service WHERE { BIND("SERVICE <http://x> {}" AS ?service) '
                     "FILTER(?service != service:SERVICE) }\n")
    result = _query(project_root, built, "--file", str(query), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["service", "SERVICE <http://x> {}"]


def test_syntax_error_names_the_file_and_the_line_where_it_is(project_root, built, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("PREFIX peel: <https://w3id.org/peelkg/def#>\nSELECT ?x WHERE {\n  ?x a peel:Report\n"
                     "  FILTER(?x = )\n}\n# a comment at the end\n")
    result = _query(project_root, built, "--file", str(query))
    _assert_error(result, f"{query}:4:3: SPARQL syntax error near 'FILTER(?x = )'")


def test_a_non_utf8_stored_query_does_not_break_the_list(project_copy):
    bad = project_copy / "queries" / "latin1.rq"
    bad.write_bytes(b"#+ summary: caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n")
    result = CliRunner().invoke(main, ["--project", str(project_copy), "queries"])
    assert result.exit_code == 2
    assert "grades-by-question  [" in result.output  # the others are all listed
    assert f"error: {bad}:1: not UTF-8 text (the byte 0xe9 at offset 15); save the file as UTF-8." in result.output


def test_a_non_utf8_stored_query_does_not_break_the_others(project_copy, built):
    (project_copy / "queries" / "latin1.rq").write_bytes(b"#+ summary: caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n")
    assert _query(project_copy, built, "grades-by-question").exit_code == 0
    _assert_error(_query(project_copy, built, "latin1"), "latin1.rq:1: not UTF-8 text")


@pytest.mark.parametrize("header, message", [
    ("#+ params: [report, force]", "params must map each parameter name to its type"),
    ("#+ tags: 5", "tags must be a list such as [judgments, grades], not 5"),
    ("#+ summary: {a: b}", "summary must be a single value"),
    ("#+ summary: x\n#+ tags: [a", ":2: the '#+' header is not valid YAML"),
    ("#+ params:\n#+   x: {type: number}", "parameter x has unknown type 'number'"),
])
def test_malformed_headers_are_named(project_root, built, tmp_path, header, message):
    query = tmp_path / "header.rq"
    query.write_text(header + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    _assert_error(_query(project_root, built, "--file", str(query)), f"{query}", message)


def test_a_5000_digit_integer_is_refused(project_root, built, tmp_path):
    query = tmp_path / "integer.rq"
    query.write_text("#+ params:\n#+   n: {type: integer}\nSELECT ?_n WHERE { } \n")
    _assert_error(_query(project_root, built, "--file", str(query), "-p", "n", "9" * 5000),
                  "Parameter n must be a whole number (digits 0-9, between -9223372036854775808 and "
                  "9223372036854775807), not '99999999999999999999...9999999999 (5000 characters)'.")


def test_non_ascii_digits_are_not_a_year(project_root, built):
    _assert_error(_query(project_root, built, "grades-for-question-and-year", "-p", "year", "٢٠١٥"),
                  "Parameter year must be a year like 2015, not '٢٠١٥'.")


def test_non_ascii_digits_are_not_an_integer(project_root, built, tmp_path):
    query = tmp_path / "integer.rq"
    query.write_text("#+ params:\n#+   n: {type: integer}\nSELECT ?_n WHERE { } \n")
    _assert_error(_query(project_root, built, "--file", str(query), "-p", "n", "٣"),
                  "Parameter n must be a whole number (digits 0-9")
