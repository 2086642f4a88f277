"""Endpoint profiles: the update and Graph Store URLs each store is sent, and how a store is told."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from peelkg.errors import UserError
from peelkg.remote.profiles import guess_store, resolve
from peelkg.remote.verify import term_key

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("endpoint, store, update, gsp, auth", [
    ("http://h:8890/sparql", "virtuoso", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth", "digest"),
    ("http://h:3030/peel/query", "fuseki", "http://h:3030/peel/update", "http://h:3030/peel/data", "basic"),
    ("http://h:3030/peel/sparql", "fuseki", "http://h:3030/peel/update", "http://h:3030/peel/data", "basic"),
    ("http://h:7200/repositories/peel", "graphdb", "http://h:7200/repositories/peel/statements",
     "http://h:7200/repositories/peel/rdf-graphs/service", "basic"),
    ("http://h:7878/query", "oxigraph", "http://h:7878/update", "http://h:7878/store", "basic"),
])
def test_each_store_is_told_from_its_query_endpoint(endpoint, store, update, gsp, auth):
    assert guess_store(endpoint) == store
    profile = resolve(endpoint)
    assert (profile.store, profile.query_url, profile.update_url, profile.gsp_url, profile.auth) == (
        store, endpoint, update, gsp, auth)


def test_the_store_can_be_named_and_urls_overridden():
    profile = resolve("https://h/rdf/query", store="oxigraph", update="https://h/rdf/write", auth="digest")
    assert (profile.update_url, profile.gsp_url, profile.auth) == ("https://h/rdf/write", "https://h/rdf/store", "digest")


def test_an_endpoint_of_no_known_shape_is_refused():
    with pytest.raises(UserError) as info:
        resolve("http://h/some/endpoint")
    assert str(info.value) == (
        "Cannot tell which store 'http://h/some/endpoint' is, so not where its updates go: give --store "
        "(virtuoso, fuseki, graphdb, oxigraph), or --update URL (and --gsp URL unless --mode update).")
    assert info.value.exit_code == 2


def test_an_endpoint_of_no_known_shape_with_its_update_url():
    profile = resolve("http://h/q", update="http://h/u", gsp="http://h/g")
    assert (profile.store, profile.update_url, profile.gsp_url) == ("other", "http://h/u", "http://h/g")


def test_literals_compare_by_value_where_stores_rewrite_them():
    def lit(value, datatype):
        return term_key(ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)))

    assert lit("1.50", "decimal") == lit("1.5", "decimal")
    assert lit("+7", "integer") == lit("7", "integer")
    assert lit("1.0E0", "double") == lit("1", "double")
    assert lit("1", "boolean") == lit("true", "boolean")
    assert lit("2015", "gYear") != lit("2016", "gYear")
    assert term_key(ox.Literal("Kent Police")) != term_key(ox.Literal("Kent Constabulary"))
    assert term_key(ox.Literal("chat", language="FR")) == term_key(ox.Literal("chat", language="fr"))
