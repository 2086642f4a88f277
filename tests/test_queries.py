"""The stored query library: well-formed, documented, engine-neutral, safe; and `peelkg query`."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from peelkg.query.catalogue import render
from peelkg.cli import main
from peelkg.query.library import Library
from peelkg.query.binding import bind
from peelkg.query.params import Resolver
from peelkg.query.sparql import parameters_used
from peelkg.rdf.bridge import term_to_rdflib
from peelkg.pipeline.store import open_store
from peelkg.query.local import lookup_on, run_local

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = Library(ROOT / "queries")
NAMES = sorted(LIBRARY.queries)


@pytest.fixture(scope="session")
def store(built):
    return open_store(built)


@pytest.fixture(scope="session")
def rdflib_dataset(store) -> Dataset:
    """The same built dataset in rdflib, with the union of its graphs as default graph."""
    dataset = Dataset(default_union=True)
    for q in store.quads_for_pattern(None, None, None, None):
        if q.graph_name == ox.DefaultGraph():  # the store's de-duplicated union; rdflib makes its own
            continue
        dataset.graph(URIRef(q.graph_name.value)).add(
            (term_to_rdflib(q.subject), term_to_rdflib(q.predicate), term_to_rdflib(q.object))
        )
    return dataset


def _bound_default(store, query):
    resolver = Resolver(lookup_on(store))
    bindings = resolver.resolve_all(query, {p.name: p.default for p in query.params if p.default is not None})
    return bind(query.text, bindings)


def test_library_has_at_least_25_queries():
    assert len(NAMES) >= 25


@pytest.mark.parametrize("name", NAMES)
def test_query_parses_as_sparql_11(name):
    prepareQuery(LIBRARY.get(name).text)


@pytest.mark.parametrize("name", NAMES)
def test_query_has_summary_description_and_tags(name):
    query = LIBRARY.get(name)
    assert query.summary and query.description and query.tags


@pytest.mark.parametrize("name", NAMES)
def test_query_declares_exactly_the_parameters_it_uses(name):
    query = LIBRARY.get(name)
    assert parameters_used(query.text) == {p.name for p in query.params}


@pytest.mark.parametrize("name", NAMES)
def test_query_parameters_have_descriptions_and_defaults(name):
    query = LIBRARY.get(name)
    assert all(p.description and p.default is not None for p in query.params)


@pytest.mark.parametrize("name", NAMES)
def test_query_is_in_the_catalogue(name):
    catalogue = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert f"## {name}\n" in catalogue


def test_catalogue_is_up_to_date():
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == render(ROOT / "queries")


def _rows_pyoxigraph(store, text):
    result = run_local(store, text)
    if result.form == "ASK":
        return result.boolean
    if result.form == "CONSTRUCT":
        return sorted(result.graph)
    return [tuple(_plain(row.get(v)) for v in result.variables) for row in result.rows]


def _rows_rdflib(dataset, text):
    result = dataset.query(text)
    if result.type == "ASK":
        return result.askAnswer
    if result.type == "CONSTRUCT":
        return sorted(result.graph)
    return [tuple(_plain(row[v]) for v in result.vars) for row in result]


def _plain(term):
    """Engine-neutral form of a result term: plain strings for xsd:string (rdflib keeps the
    datatype on some results), and numbers by value (engines write computed decimals
    differently: 5 or 5.0)."""
    if isinstance(term, Literal) and term.datatype is not None:
        if str(term.datatype).endswith("#string"):
            return Literal(str(term))
        if str(term.datatype).endswith(("#decimal", "#integer", "#double", "#float")):
            from decimal import Decimal

            return ("number", Decimal(str(term.toPython())).normalize())
    return term


@pytest.mark.parametrize("name", NAMES)
def test_query_gives_the_same_rows_on_rdflib_and_pyoxigraph(name, store, rdflib_dataset):
    text = _bound_default(store, LIBRARY.get(name))
    assert _rows_rdflib(rdflib_dataset, text) == _rows_pyoxigraph(store, text)


def _recording(store):
    """A look-up on ``store`` that also records the queries it is asked."""
    asked, lookup = [], lookup_on(store)

    def record(query, bindings):
        asked.append(query)
        return lookup(query, bindings)
    return record, asked


def test_a_report_id_resolves_with_one_look_up_not_the_list_of_every_report(store):
    from peelkg.query.library import Param

    lookup, asked = _recording(store)
    term = Resolver(lookup).resolve(Param("report", "report"), "peel-2016-effectiveness-kent")
    assert (term.value, len(asked)) == ("https://w3id.org/peelkg/id/report/peel-2016-effectiveness-kent", 1)


def test_a_report_id_in_other_letter_case_resolves_from_the_list_of_reports(store):
    from peelkg.query.library import Param

    lookup, asked = _recording(store)
    term = Resolver(lookup).resolve(Param("report", "report"), "PEEL-2016-Effectiveness-Kent")
    assert (term.value, len(asked)) == ("https://w3id.org/peelkg/id/report/peel-2016-effectiveness-kent", 2)


def test_an_iri_that_is_not_a_report_is_refused_with_the_valid_values(store):
    from peelkg.errors import UserError
    from peelkg.query.library import Param

    with pytest.raises(UserError, match="Unknown report 'https://w3id.org/peelkg/id/force/kent' for parameter "
                                        "report. Valid values: peel-2015-effectiveness-metropolitan, "):
        Resolver(lookup_on(store)).resolve(Param("report", "report"), "https://w3id.org/peelkg/id/force/kent")


INJECTIONS = ['x" } ; DROP ALL ; #', "x> } UNION { ?s ?p ?o } #", "metropolitan\n} #"]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("kind", ["report", "force", "grade", "question", "year", "integer", "iri"])
def test_injection_through_a_checked_parameter_is_refused(store, kind, payload):
    from peelkg.errors import UserError
    from peelkg.query.library import Param

    with pytest.raises(UserError):
        Resolver(lookup_on(store)).resolve(Param("p", kind, cls="peel:Report"), payload)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_through_a_string_parameter_is_only_a_literal(store, payload):
    from peelkg.query.library import Param

    term = Resolver(lookup_on(store)).resolve(Param("p", "string"), payload)
    text = bind("SELECT ?n WHERE { BIND(STRLEN(?_p) AS ?n) }", {"_p": term})
    result = run_local(store, text)
    assert [int(r["n"]) for r in result.rows] == [len(payload)]


def _cli(*args):
    return CliRunner().invoke(main, list(args))


def test_unknown_query_is_exit_2_with_a_clear_error(built):
    result = _cli("--build-dir", str(built), "query", "no-such-query")
    assert result.exit_code == 2
    assert "No stored query named 'no-such-query'" in result.output


def test_unknown_parameter_is_exit_2(built):
    result = _cli("--build-dir", str(built), "query", "grades-by-question", "-p", "colour", "blue")
    assert result.exit_code == 2
    assert "has no parameter 'colour'" in result.output


def test_unknown_report_lists_valid_values(built):
    result = _cli("--build-dir", str(built), "query", "grades-by-question", "-p", "report", "kent-2015")
    assert result.exit_code == 2
    assert "Unknown report 'kent-2015' for parameter report. Valid values: peel-2015-effectiveness-metropolitan" in result.output


def test_missing_build_is_exit_2(tmp_path):
    result = _cli("--build-dir", str(tmp_path), "query", "grades-by-question")
    assert result.exit_code == 2
    assert "run `peelkg build` first" in result.output


def test_json_output_is_w3c_sparql_json(built):
    out = json.loads(_cli("--build-dir", str(built), "query", "grades-by-question", "--format", "json").output)
    assert out["head"]["vars"] == ["questionNumber", "question", "grade", "rank", "summary"]
    assert [b["grade"]["value"] for b in out["results"]["bindings"]] == [
        "Requires improvement", "Good", "Requires improvement", "Requires improvement", "Good"]


def test_xml_output_is_w3c_sparql_xml(built):
    root = ET.fromstring(_cli("--build-dir", str(built), "query", "grades-by-question", "--format", "xml").output)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert len(root.findall("s:results/s:result", ns)) == 5


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_output_parse_back(built, fmt, delimiter):
    text = _cli("--build-dir", str(built), "query", "grades-by-question", "--format", fmt).output
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 6
    assert rows[0][:3] == (["questionNumber", "question", "grade"] if fmt == "csv" else ["?questionNumber", "?question", "?grade"])


def test_ad_hoc_query_from_a_file(built, tmp_path):
    query = tmp_path / "count.rq"
    # The Met report's judgments (the graph also holds the 2016 grades of the 43 forces).
    query.write_text("PREFIX peel: <https://w3id.org/peelkg/def#>\nSELECT (COUNT(*) AS ?n) WHERE { ?j a peel:Judgment ; "
                     "peel:judgmentIn <https://w3id.org/peelkg/id/report/peel-2015-effectiveness-metropolitan> }\n")
    result = _cli("--build-dir", str(built), "query", "--file", str(query), "--format", "csv")
    assert result.output.splitlines() == ["n", "5"]


def test_json_output_is_pyoxigraphs_own_so_blank_nodes_are_written_too(built, tmp_path):
    # The built store's answer goes straight to pyoxigraph's serialiser: no conversion to
    # rdflib and back (which could not write a blank node at all).
    query = tmp_path / "bnode.rq"
    query.write_text('SELECT ?b ?n WHERE { BIND(BNODE() AS ?b) BIND("x" AS ?n) }\n')
    result = _cli("--build-dir", str(built), "query", "--file", str(query), "--format", "json")
    [row] = json.loads(result.output)["results"]["bindings"]
    assert (result.exit_code, row["b"]["type"], row["n"]) == (0, "bnode", {"type": "literal", "value": "x"})


def test_ad_hoc_parameter_after_a_full_iri_with_a_hash_is_accepted(built, tmp_path):
    query = tmp_path / "reports-of-force.rq"
    query.write_text("SELECT ?report WHERE { ?report a <https://w3id.org/peelkg/def#Report> ; "
                     "<https://w3id.org/peelkg/def#inspectedForce> ?force ; "
                     "<https://w3id.org/peelkg/def#cycle> <https://w3id.org/peelkg/id/cycle/peel-2015-effectiveness> . "
                     "?force <https://w3id.org/peelkg/def#forceId> ?_force }\n")
    result = _cli("--build-dir", str(built), "query", "--file", str(query), "-p", "force", "metropolitan",
                  "--format", "csv")
    assert (result.exit_code, result.output.splitlines()) == (
        0, ["report", "https://w3id.org/peelkg/id/report/peel-2015-effectiveness-metropolitan"])


def test_parameters_used_reads_past_hashes_in_iris_and_strings_but_not_comments():
    text = ('SELECT * WHERE { ?s <http://x/y#p> ?_a ; <http://x/z> "#" , ?_b . # ?_c in a comment\n'
            "  ?s ?p ?_d }  # ?_e\n")
    assert parameters_used(text) == {"a", "b", "d"}


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_from_the_cli_with_its_defaults(built, name):
    result = _cli("--build-dir", str(built), "query", name)
    assert result.exit_code == 0, result.output
