"""Tests of peelkg.remote's push and remote queries against a real Virtuoso (skipped if not installed)."""

from __future__ import annotations

import traceback
import uuid

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from typing import NamedTuple

from peelkg.query.binding import bind, term_to_sparql
from peelkg.remote.client import Client, RemoteError
from peelkg.remote.profiles import resolve
from peelkg.remote.push import TMP_GRAPH_PREFIX, push_graphs
from peelkg.remote.query import RemoteEngine

EX = "http://example.org/"
P = URIRef(EX + "p")
INJECTION = '" } ; DROP ALL ; #'


def _nt(triples) -> bytes:
    """N-Triples for (s, p, o) rdflib terms, with a blank line and comment
    thrown in (valid N-Triples)."""
    lines = ["# generated", ""]
    lines += [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _numbered(prefix: str, n: int):
    return [(URIRef(f"{EX}{prefix}/s{i}"), P, Literal(f"v{i}")) for i in range(n)]


def _graph() -> str:
    return f"{EX}graph/{uuid.uuid4()}"


class PushResult(NamedTuple):
    graph: str
    triples: int


class SelectResult(NamedTuple):
    vars: list
    rows: list


def _push(server, items, *, user=None, password=None, auth=None, mode="gsp", chunk_size=1000):
    """Push ``(graph, N-Triples, expected count)`` items to the Virtuoso profile of ``server``."""
    profile = resolve(server.sparql_url, store="virtuoso", auth=auth)
    with Client(profile.urls(), user=user or server.user, password=password or server.password,
                auth=profile.auth, timeout=120) as client:
        report = push_graphs(client, profile, items, mode=mode, chunk_size=chunk_size)
    return [PushResult(g, n) for g, n in report.triples.items()]


def remote_select(url, query, bindings=None):
    """A query's answer on ``url`` through the remote query engine: rows, a boolean or a graph."""
    with RemoteEngine(url) as engine:
        result = engine.run(bind(query, bindings or {}))
    if result.form == "ASK":
        return result.boolean
    if result.form == "CONSTRUCT":
        return result.graph
    return SelectResult(result.variables, result.rows)


def _count(server, graph: str) -> int:
    res = remote_select(
        server.sparql_url,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        {"g": URIRef(graph)},
    )
    return int(res.rows[0]["n"])


def _tmp_graphs(server) -> list[str]:
    res = remote_select(
        server.sparql_url,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{TMP_GRAPH_PREFIX}")) }}',
    )
    return [str(r["g"]) for r in res.rows]


# ---------------------------------------------------------------------------
# push_graphs
# ---------------------------------------------------------------------------


def test_push_two_graphs_exact_counts(virtuoso):
    g1, g2 = _graph(), _graph()
    t1, t2 = _numbered("a", 5), _numbered("b", 12)
    results = _push(virtuoso, [(g1, _nt(t1), 5), (g2, _nt(t2), 12)])
    assert [(r.graph, r.triples) for r in results] == [(g1, 5), (g2, 12)]
    assert _count(virtuoso, g1) == 5
    assert _count(virtuoso, g2) == 12
    assert _tmp_graphs(virtuoso) == []


def test_repush_replaces_graph(virtuoso):
    g = _graph()
    _push(virtuoso, [(g, _nt(_numbered("old", 10)), 10)])
    new = _numbered("new", 4)
    _push(virtuoso, [(g, _nt(new), 4)])
    assert _count(virtuoso, g) == 4
    rows = remote_select(
        virtuoso.sparql_url, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s",
        {"g": URIRef(g)},
    ).rows
    assert [r["s"] for r in rows] == sorted(s for s, _, _ in new)
    # pushing an empty graph empties it
    _push(virtuoso, [(g, b"", 0)])
    assert _count(virtuoso, g) == 0


def test_count_mismatch_raises_and_keeps_old_graph(virtuoso):
    g = _graph()
    _push(virtuoso, [(g, _nt(_numbered("keep", 3)), 3)])
    with pytest.raises(RemoteError) as info:
        _push(virtuoso, [(g, _nt(_numbered("x", 6)), 7)])
    msg = str(info.value)
    assert g in msg and "expected 7" in msg and "holds 6" in msg
    assert _count(virtuoso, g) == 3  # fully old
    assert _tmp_graphs(virtuoso) == []


def test_bad_data_midway_leaves_graph_fully_old(virtuoso):
    # A plain Virtuoso PUT would leave the valid first part loaded.
    g = _graph()
    _push(virtuoso, [(g, _nt(_numbered("keep", 3)), 3)])
    bad = _nt(_numbered("new", 50)) + b'<http://example.org/bad> <http://example.org/p> "unterminated .\n'
    with pytest.raises(RemoteError) as info:
        _push(virtuoso, [(g, bad, 51)])
    assert f"uploading the data of graph <{g}>" in str(info.value)
    assert _count(virtuoso, g) == 3
    assert _tmp_graphs(virtuoso) == []


def test_failure_in_second_graph_touches_neither(virtuoso):
    g1, g2 = _graph(), _graph()
    _push(virtuoso, [(g1, _nt(_numbered("a", 2)), 2), (g2, _nt(_numbered("b", 2)), 2)])
    with pytest.raises(RemoteError, match="expected 99"):
        _push(virtuoso, [(g1, _nt(_numbered("c", 8)), 8), (g2, _nt(_numbered("d", 8)), 99)])
    assert _count(virtuoso, g1) == 2
    assert _count(virtuoso, g2) == 2
    assert _tmp_graphs(virtuoso) == []


def test_wrong_password_error_does_not_leak_it(virtuoso):
    secret = "Wr0ng-S3cret-Passw0rd"
    g = _graph()
    with pytest.raises(RemoteError) as info:
        _push(virtuoso, [(g, _nt(_numbered("a", 2)), 2)], password=secret)
    assert "401" in str(info.value)
    text = "".join(traceback.format_exception(info.value))
    assert secret not in text
    assert _count(virtuoso, g) == 0


def test_basic_auth_is_refused_by_virtuoso_auth_endpoints(virtuoso):
    # Virtuoso's /sparql-auth and /sparql-graph-crud-auth only do digest.
    with pytest.raises(RemoteError, match="401"):
        _push(virtuoso, [(_graph(), _nt(_numbered("a", 1)), 1)], auth="basic")


def test_update_mode_with_blank_nodes_across_chunks(virtuoso):
    g = _graph()
    triples = []
    for i in range(6):  # six blank nodes, each with 3 triples, linked in a chain
        b = BNode(f"node-{i}")
        triples += [(URIRef(f"{EX}item{i}"), P, b), (b, P, Literal(i)),
                    (b, URIRef(EX + "name"), Literal(f"n{i}", lang="en"))]
        if i:
            triples.append((b, URIRef(EX + "prev"), BNode(f"node-{i - 1}")))
    triples += _numbered("plain", 7)
    n = len(triples)
    _push(virtuoso, [(g, _nt(triples), n)], mode="update", chunk_size=4)
    assert _count(virtuoso, g) == n
    res = remote_select(
        virtuoso.sparql_url,
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?x ?p ?b FILTER(isBlank(?b)) } }",
        {"g": URIRef(g)},
    )
    assert int(res.rows[0]["n"]) == 6
    # replace in update mode too
    _push(virtuoso, [(g, _nt(_numbered("other", 3)), 3)], mode="update")
    assert _count(virtuoso, g) == 3


def test_large_body_with_digest_and_unicode(virtuoso):
    # Virtuoso answers an unauthenticated request with 401 + close without
    # reading the body, so a big PUT needs preemptive digest auth; and its
    # content sniffer rejects a body that starts with a >64 KB line.
    g = _graph()
    # ~5 MB in 40 literals of ~130 KB (Virtuoso parses one huge literal in
    # quadratic time: a single 6 MB literal takes ~40 s)
    big = "Ünïcödé café – 🚓 " * 5000
    triples = [(URIRef(f"{EX}big{i}"), P, Literal(f"{big}{i}")) for i in range(40)]
    triples.append((URIRef(EX + "small"), P, Literal("naïve", lang="fr")))
    escaped = rb'<http://example.org/esc> <http://example.org/p> "caf\u00e9 \"q\" \\ \U0001F693" .' + b"\n"
    _push(virtuoso, [(g, _nt(triples) + escaped, 42)])
    rows = remote_select(
        virtuoso.sparql_url, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        {"g": URIRef(g), "s": URIRef(EX + "esc")},
    ).rows
    assert rows == [{"o": Literal('café "q" \\ 🚓')}]
    rows = remote_select(
        virtuoso.sparql_url,
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        {"g": URIRef(g), "s": URIRef(EX + "small")},
    ).rows
    assert rows == [{"o": Literal("naïve", lang="fr")}]
    res = remote_select(
        virtuoso.sparql_url,
        "SELECT (STRLEN(?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        {"g": URIRef(g), "s": URIRef(EX + "big7")},
    )
    assert int(res.rows[0]["n"]) == len(big) + 1


def test_push_as_least_privileged_user(virtuoso):
    name = f"pk{uuid.uuid4().hex[:8]}"
    virtuoso.create_user(name, "Pk-pass-123")
    g = _graph()
    _push(virtuoso, [(g, _nt(_numbered("u", 3)), 3)], user=name, password="Pk-pass-123")
    assert _count(virtuoso, g) == 3


# ---------------------------------------------------------------------------
# remote_select
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_graph(virtuoso):
    g = _graph()
    triples = [
        (URIRef(EX + "force/met"), URIRef(EX + "name"), Literal("Metropolitan Police")),
        (URIRef(EX + "force/met"), URIRef(EX + "grade"), Literal("good")),
        (URIRef(EX + "force/kent"), URIRef(EX + "name"), Literal("Kent Police")),
        (URIRef(EX + "force/kent"), URIRef(EX + "grade"), Literal("outstanding")),
        (URIRef(EX + "force/odd"), URIRef(EX + "name"), Literal(INJECTION)),
        (URIRef(EX + "force/odd"), URIRef(EX + "grade"), Literal("good")),
        (URIRef(EX + "force/met"), URIRef(EX + "officers"), Literal(31000)),
    ]
    _push(virtuoso, [(g, _nt(triples), len(triples))])
    return g


def test_select_with_binding_exact_rows(virtuoso, data_graph):
    q = """PREFIX ex: <http://example.org/>
    # a comment with a brace {
    SELECT ?force ?name
    WHERE { GRAPH ?g { ?force ex:grade ?grade ; ex:name ?name } }
    ORDER BY ?name"""
    res = remote_select(virtuoso.sparql_url, q,
                        {"g": URIRef(data_graph), "grade": Literal("good")})
    assert isinstance(res, SelectResult)
    assert res.vars == ["force", "name"]
    assert res.rows == [
        {"force": URIRef(EX + "force/odd"), "name": Literal(INJECTION)},
        {"force": URIRef(EX + "force/met"), "name": Literal("Metropolitan Police")},
    ]


def test_binding_applies_before_limit(virtuoso, data_graph):
    # Virtuoso applies a trailing VALUES clause after LIMIT; ours is inside WHERE.
    q = ("SELECT ?force WHERE { GRAPH ?g { ?force <http://example.org/grade> ?grade } } "
         "ORDER BY ?force LIMIT 1")
    res = remote_select(virtuoso.sparql_url, q,
                        {"g": URIRef(data_graph), "grade": Literal("outstanding")})
    assert res.rows == [{"force": URIRef(EX + "force/kent")}]


def test_typed_literal_binding(virtuoso, data_graph):
    q = "SELECT ?f WHERE { GRAPH ?g { ?f <http://example.org/officers> ?n } }"
    res = remote_select(virtuoso.sparql_url, q, {"g": URIRef(data_graph), "n": Literal(31000)})
    assert res.rows == [{"f": URIRef(EX + "force/met")}]
    res = remote_select(virtuoso.sparql_url,
                        "SELECT ?n WHERE { GRAPH ?g { ?f <http://example.org/officers> ?n } }",
                        {"g": URIRef(data_graph)})
    assert res.rows == [{"n": Literal(31000)}]


def test_injection_attempt_is_harmless(virtuoso, data_graph):
    q = "SELECT ?force WHERE { GRAPH ?g { ?force <http://example.org/name> ?name } }"
    res = remote_select(virtuoso.sparql_url, q,
                        {"g": URIRef(data_graph), "name": Literal(INJECTION)})
    # matched as a literal...
    assert res.rows == [{"force": URIRef(EX + "force/odd")}]
    # ...and nothing was dropped
    assert _count(virtuoso, data_graph) == 7
    with pytest.raises(ValueError):
        remote_select(virtuoso.sparql_url, q, {"name": URIRef("http://x> } DROP ALL #")})


def test_ask_with_binding(virtuoso, data_graph):
    q = "ASK { GRAPH ?g { ?force <http://example.org/grade> ?grade } }"
    assert remote_select(virtuoso.sparql_url, q,
                         {"g": URIRef(data_graph), "grade": Literal("good")}) is True
    assert remote_select(virtuoso.sparql_url, q,
                         {"g": URIRef(data_graph), "grade": Literal("awful")}) is False


def test_construct_with_binding(virtuoso, data_graph):
    q = """CONSTRUCT { ?force <http://example.org/label> ?name }
    WHERE { GRAPH ?g { ?force <http://example.org/name> ?name ;
                              <http://example.org/grade> ?grade } }"""
    g = remote_select(virtuoso.sparql_url, q,
                      {"g": URIRef(data_graph), "grade": Literal("good")})
    assert isinstance(g, Graph)
    assert set(g) == {
        (URIRef(EX + "force/met"), URIRef(EX + "label"), Literal("Metropolitan Police")),
        (URIRef(EX + "force/odd"), URIRef(EX + "label"), Literal(INJECTION)),
    }


def test_bad_query_raises_remote_error(virtuoso):
    with pytest.raises(RemoteError):
        remote_select(virtuoso.sparql_url, "SELECT ?x WHERE { ?x ?y }")


# ---------------------------------------------------------------------------
# bind / term_to_sparql, the binding remote_select uses (no server needed)
# ---------------------------------------------------------------------------


def test_bind_placement():
    q = ('PREFIX ex: <http://example.org/{x}>\n# {\n'
         'SELECT (CONCAT("{", ?a) AS ?b) (EXISTS { ?a ?p ?o } AS ?e) '
         'FROM <http://g> WHERE { ?a ?p ?o }')
    out = bind(q, {"a": URIRef("http://example.org/a")})
    assert out.endswith('WHERE { VALUES (?a) { (<http://example.org/a>) }  ?a ?p ?o }')
    c = "CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }"
    assert bind(c, {"?o": Literal("x")}) == (
        'CONSTRUCT { ?a ?p ?o } WHERE { VALUES (?o) { ("x") }  ?a ?p ?o }')
    assert bind(c, {}) == c


def test_bind_puts_a_block_in_each_union_branch_that_uses_the_parameter():
    q = "SELECT * WHERE { { ?a ?p ?o } UNION { ?o ?p ?b } UNION { ?b ?p ?a } }"
    v = "VALUES (?a) { (<http://example.org/a>) } "
    assert bind(q, {"a": URIRef("http://example.org/a")}) == (
        "SELECT * WHERE { " + v + " { " + v + " ?a ?p ?o } UNION { ?o ?p ?b } UNION { " + v + " ?b ?p ?a } }")


def test_bind_leaves_a_union_branch_that_is_a_subquery_to_its_own_where_group():
    q = "SELECT * WHERE { { SELECT ?a WHERE { ?a ?p ?o } } UNION { ?a ?q ?o } }"
    v = "VALUES (?a) { (<http://example.org/a>) } "
    assert bind(q, {"a": URIRef("http://example.org/a")}) == (
        "SELECT * WHERE { " + v + " { SELECT ?a WHERE { " + v + " ?a ?p ?o } } UNION { " + v + " ?a ?q ?o } }")


def test_bind_in_union_branches_gives_the_rows_of_the_outer_block_alone():
    store = ox.Store()
    ex = "http://example.org/"
    for s, o in [("a", "x"), ("b", "y"), ("c", "a")]:
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.NamedNode(ex + o)))
    q = "SELECT ?a ?o WHERE { { ?a <http://example.org/p> ?o } UNION { ?o <http://example.org/p> ?a } }"
    rows = [(r["a"].value, r["o"].value) for r in store.query(bind(q, {"a": URIRef(ex + "a")}))]
    assert sorted(rows) == [(ex + "a", ex + "c"), (ex + "a", ex + "x")]


def test_bind_lets_a_union_branch_that_only_filters_on_the_parameter_see_its_value():
    store = ox.Store()
    ex = "http://example.org/"
    store.add(ox.Quad(ox.NamedNode(ex + "s1"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "o1")))
    store.add(ox.Quad(ox.NamedNode(ex + "s2"), ox.NamedNode(ex + "q"), ox.NamedNode(ex + "o2")))
    q = ("SELECT ?s WHERE { { ?s <http://example.org/p> ?o } "
         "UNION { ?s <http://example.org/q> ?o FILTER (?o = ?v) } }")
    rows = sorted(r["s"].value for r in store.query(bind(q, {"v": URIRef(ex + "o2")})))
    assert rows == [ex + "s1", ex + "s2"]


def test_bind_rejects_bad_input():
    with pytest.raises(ValueError, match="short form"):
        bind("CONSTRUCT WHERE { ?a ?p ?o }", {"a": URIRef("http://x")})
    with pytest.raises(ValueError, match="does not occur"):
        bind("SELECT * { ?a ?p ?o }", {"zz": URIRef("http://x")})
    with pytest.raises(ValueError, match="variable name"):
        bind("SELECT * { ?a ?p ?o }", {"a) {} #": URIRef("http://x")})
    with pytest.raises(TypeError):
        bind("SELECT * { ?a ?p ?o }", {"a": BNode()})
    with pytest.raises(ValueError):
        term_to_sparql(Literal("x", datatype=URIRef("http://x> } DROP ALL #")))


def test_term_to_sparql_escaping():
    # rdflib's Literal.n3() gets this one wrong (long-quote form)
    assert term_to_sparql(Literal('a\n\\"')) == r'"a\n\\\""'
    assert term_to_sparql(Literal(INJECTION)) == r'"\" } ; DROP ALL ; #"'
    xsd_string = URIRef("http://www.w3.org/2001/XMLSchema#string")
    assert term_to_sparql(Literal("x", datatype=xsd_string)) == '"x"'
    assert term_to_sparql(Literal("chat", lang="fr")) == '"chat"@fr'
    assert term_to_sparql(Literal(5)) == '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
