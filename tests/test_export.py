"""`peelkg export`: every format round-trips to the built graph, byte-for-byte reproducibly."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import ConjunctiveGraph, Graph
from rdflib.compare import isomorphic

from peelkg.cli import main
from peelkg.rdf.bridge import term_to_rdflib
from peelkg.pipeline.store import open_store

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                 "jsonld": "json-ld", "rdfxml": "xml"}
MET_GRAPH = "report/peel-2015-effectiveness-metropolitan"


def _export(built, tmp_path, fmt, *extra):
    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(main, ["--build-dir", str(built), "export", "--format", fmt, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def _store_graph(built, graph_filter=lambda g: True) -> Graph:
    store = open_store(built)
    graph = Graph()
    for q in store.quads_for_pattern(None, None, None, None):
        if q.graph_name != ox.DefaultGraph() and graph_filter(q.graph_name.value):
            graph.add(tuple(term_to_rdflib(x) for x in (q.subject, q.predicate, q.object)))
    return graph


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_graph_format_round_trips_to_the_union_of_all_graphs(built, tmp_path, fmt):
    parsed = Graph().parse(_export(built, tmp_path, fmt), format=RDFLIB_FORMAT[fmt])
    assert isomorphic(parsed, _store_graph(built))


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dataset_format_keeps_every_named_graph(built, tmp_path, fmt):
    parsed = ConjunctiveGraph()
    parsed.parse(_export(built, tmp_path, fmt), format=RDFLIB_FORMAT[fmt])
    store = open_store(built)
    names = sorted(g.value for g in store.named_graphs())
    assert sorted(str(c.identifier) for c in parsed.contexts() if len(c)) == names
    for name in names:
        expected = _store_graph(built, lambda g, n=name: g == n)
        assert isomorphic(parsed.get_context(name), expected), name


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])
def test_export_is_byte_identical_when_repeated(built, tmp_path, fmt):
    first = _export(built, tmp_path, fmt).read_bytes()
    second = _export(built, tmp_path, fmt).read_bytes()
    assert first == second


def test_asserted_only_leaves_out_inferred_graphs(built, tmp_path):
    parsed = ConjunctiveGraph()
    parsed.parse(_export(built, tmp_path, "nquads", "--asserted-only"), format="nquads")
    assert [str(c.identifier) for c in parsed.contexts() if "/inferred/" in str(c.identifier)] == []


def test_one_graph_by_short_name(built, tmp_path):
    parsed = Graph().parse(_export(built, tmp_path, "ntriples", "--graph", MET_GRAPH), format="nt")
    expected = _store_graph(built, lambda g: g.endswith(MET_GRAPH))
    assert isomorphic(parsed, expected)


def test_unknown_graph_is_exit_2(built):
    result = CliRunner().invoke(main, ["--build-dir", str(built), "export", "--graph", "nope"])
    assert result.exit_code == 2
    assert "No graph 'nope' in the built dataset" in result.output
