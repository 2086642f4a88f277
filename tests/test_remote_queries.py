"""Push to real stores, and every stored query gives the same answer there as on the built graph.

For each store of the ``remote_store`` fixture (a throwaway Virtuoso and a throwaway Oxigraph
server on loopback), the built dataset is pushed with `peelkg push`; the remote graphs must
then equal the local ones, no temporary graph may remain, and each stored query runs with its
default parameters on both (`peelkg query ... --endpoint`). Answers are compared after
normalising what legitimately differs between engines: the serialisation of numbers (compared
by value), plain literals versus xsd:string, and row order when the query has no ORDER BY.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from decimal import Decimal, InvalidOperation

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import to_isomorphic

from peelkg.cli import main
from peelkg.answer import execute
from peelkg.query.library import Library
from peelkg.project import Project
ROOT = Path(__file__).resolve().parents[1]

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}
QUERY_NAMES = sorted(Library(Project(ROOT).queries_dir).queries)
TIMINGS: dict[str, tuple[float, float]] = {}


@pytest.fixture(scope="module")
def pushed(remote_store, built, project):
    """The built dataset pushed to the store with the CLI; returns the CLI result."""
    runner = CliRunner()
    started = time.monotonic()
    result = runner.invoke(
        main, ["--project", str(project.root), "--build-dir", str(built), "push", *remote_store.push_args],
        env=remote_store.env,
    )
    result.elapsed = time.monotonic() - started
    print(f"\npush to {remote_store.name}: {result.elapsed:.1f} s\n{result.output}")
    return result


def test_push_reports_each_graph(pushed, remote_store, built):
    import pyoxigraph as ox

    assert pushed.exit_code == 0, pushed.output
    store = ox.Store.read_only(str(built / "store"))
    for graph in store.named_graphs():
        n = len(list(store.quads_for_pattern(None, None, None, graph)))
        assert f"{graph.value}: {n} triples verified" in pushed.output
    assert re.search(r"pushed \d+ graph\(s\), \d+ triples, in [\d.]+ s", pushed.output)
    for secret in remote_store.secrets:
        assert secret not in pushed.output


def _remote_rows(endpoint: str, query: str) -> list[dict]:
    """SPARQL JSON rows straight from the endpoint (plain urllib: independent of peelkg's client)."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["results"]["bindings"]


def _local_json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    else:
        out["datatype"] = term.datatype.value
    return out


def test_remote_graphs_equal_the_local_ones(pushed, remote_store, built):
    import pyoxigraph as ox

    assert pushed.exit_code == 0, pushed.output
    store = ox.Store.read_only(str(built / "store"))
    for graph in store.named_graphs():
        local = Counter(tuple(_norm_term(_local_json_term(t)) for t in (q.subject, q.predicate, q.object))
                        for q in store.quads_for_pattern(None, None, None, graph))
        rows = _remote_rows(remote_store.endpoint, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
        remote = Counter(tuple(_norm_term(r[v]) for v in ("s", "p", "o")) for r in rows)
        assert remote == local, graph.value


def test_no_temporary_graph_remains(pushed, remote_store):
    assert pushed.exit_code == 0, pushed.output
    rows = _remote_rows(remote_store.endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                               'FILTER(STRSTARTS(STR(?g), "urn:peelkg:tmp:")) }')
    assert rows == []


def _push_build(build: Path, project, args: list[str], env: dict):
    return CliRunner().invoke(main, ["--project", str(project.root), "--build-dir", str(build), "push", *args], env=env)


def test_changed_literal_with_the_same_count_is_replaced(remote_store, project, make_build):
    graph = f"http://example.org/graph/{uuid.uuid4()}"
    old = make_build("old", {graph: "Kent Police"})
    new = make_build("new", {graph: "Kent Constabulary"})
    first = _push_build(old, project, remote_store.push_args, remote_store.env)
    assert first.exit_code == 0, first.output
    second = _push_build(new, project, remote_store.push_args, remote_store.env)
    assert second.exit_code == 0, second.output
    assert f"{graph}: 3 triples verified" in second.output
    rows = _remote_rows(remote_store.endpoint,
                        f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{graph}#force> ?p ?o }} }}")
    assert sorted(r["o"]["value"] for r in rows) == ["31000", "Kent Constabulary", "http://example.org/good"]


def _num(value: str):
    try:
        d = Decimal(value.strip())
    except InvalidOperation:
        return value
    if d.is_nan() or d.is_infinite():
        return str(d)
    f = float(d)
    return 0.0 if f == 0 else float(f"{f:.12g}")  # same value, whatever the engine's precision


def _norm_term(b: dict):
    kind, value = b["type"], b["value"]
    if kind == "uri":
        return ("iri", value)
    if kind == "bnode":
        return ("bnode",)
    lang, dt = b.get("xml:lang"), b.get("datatype")
    if lang:
        return ("lang", value, lang.lower())
    if dt in NUMERIC:
        return ("num", _num(value))
    if dt == XSD + "boolean":
        return ("bool", value in ("true", "1"))
    if dt is None or dt == XSD + "string":
        return ("str", value)
    return ("typed", value, dt)


def _norm_rows(text: str):
    data = json.loads(text)
    if "boolean" in data:
        return data["boolean"]
    return data["head"]["vars"], [
        tuple(sorted((var, _norm_term(b)) for var, b in row.items())) for row in data["results"]["bindings"]
    ]


def _ordered(query_text: str) -> bool:
    body = "\n".join(line.split("#", 1)[0] for line in query_text.splitlines())
    return re.search(r"\bORDER\s+BY\b", body, re.IGNORECASE) is not None


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_same_on_the_store(name, pushed, remote_store, project, built):
    assert pushed.exit_code == 0, pushed.output
    query = Library(project.queries_dir).get(name)
    t0 = time.monotonic()
    local = execute(project, built, name, None, [], "json")
    t1 = time.monotonic()
    remote = execute(project, built, name, None, [], "json", endpoint=remote_store.endpoint)
    t2 = time.monotonic()
    TIMINGS[name] = (t1 - t0, t2 - t1)
    print(f"\n{name}: local {t1 - t0:.3f} s, remote {t2 - t1:.3f} s")
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        g_local, g_remote = Graph().parse(data=local, format="turtle"), Graph().parse(data=remote, format="turtle")
        assert len(g_local) > 0
        assert to_isomorphic(g_local) == to_isomorphic(g_remote)
        return
    n_local, n_remote = _norm_rows(local), _norm_rows(remote)
    if query.form == "ASK":
        assert n_local == n_remote
        return
    (vars_local, rows_local), (vars_remote, rows_remote) = n_local, n_remote
    assert vars_local == vars_remote
    assert len(rows_local) == len(rows_remote)
    if _ordered(query.text):
        assert rows_local == rows_remote
    else:
        assert sorted(rows_local) == sorted(rows_remote)


def test_query_cli_csv_on_endpoint(pushed, remote_store, project, built):
    assert pushed.exit_code == 0, pushed.output
    runner = CliRunner()
    args = ["--project", str(project.root), "--build-dir", str(built), "query", "timeline", "--format", "csv"]
    remote = runner.invoke(main, args + ["--endpoint", remote_store.endpoint])
    assert remote.exit_code == 0, remote.output
    local = runner.invoke(main, args)
    assert local.exit_code == 0, local.output
    lines = remote.output.splitlines()
    assert lines[0] == local.output.splitlines()[0]
    assert len(lines) == len(local.output.splitlines()) > 1


def test_remote_parameter_is_checked_on_the_endpoint(pushed, remote_store, project, built):
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(project.root), "--build-dir", str(built), "query", "timeline",
                                  "-p", "report", "no-such-report", "--endpoint", remote_store.endpoint])
    assert result.exit_code == 2
    assert "Unknown report 'no-such-report'" in result.output
    assert "peel-2015-effectiveness-metropolitan" in result.output


def test_unreachable_endpoint_is_a_user_error(project, built):
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(project.root), "--build-dir", str(built),
                                  "query", "timeline", "--endpoint", "http://127.0.0.1:9/sparql"])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output


def test_push_wrong_password_exits_1(virtuoso, built, project):
    runner = CliRunner()
    result = runner.invoke(
        main, ["--project", str(project.root), "--build-dir", str(built), "push", "--endpoint", virtuoso.sparql_url,
               "--graph", "reference"],
        env={"PEELKG_USER": virtuoso.user, "PEELKG_PASSWORD": "Not-The-Pass-42"},
    )
    assert result.exit_code == 1
    assert "401" in result.output and "Not-The-Pass-42" not in result.output


def test_literals_the_store_rewrites_still_verify(remote_store, project, tmp_path):
    # Virtuoso returns "1.50"^^xsd:decimal as "1.5", "+7" as "7", "1.0E0" as "1.0"; Oxigraph
    # also writes the boolean "1" as "true" and lower-cases language tags.
    import pyoxigraph as ox

    graph = ox.NamedNode(f"http://example.org/graph/{uuid.uuid4()}")
    s, xsd = ox.NamedNode("http://example.org/s"), "http://www.w3.org/2001/XMLSchema#"
    values = [("1.50", "decimal"), ("+7", "integer"), ("1.0E0", "double"), ("1", "boolean"), ("2015", "gYear")]
    (tmp_path / "b").mkdir()
    store = ox.Store(str(tmp_path / "b" / "store"))
    store.extend([ox.Quad(s, ox.NamedNode(f"http://example.org/p{i}"), ox.Literal(v, datatype=ox.NamedNode(xsd + t)),
                          graph) for i, (v, t) in enumerate(values)])
    store.add(ox.Quad(s, ox.NamedNode("http://example.org/label"), ox.Literal("chat", language="FR"), graph))
    store.flush()
    del store
    result = _push_build(tmp_path / "b", project, remote_store.push_args, remote_store.env)
    assert result.exit_code == 0, result.output
    assert f"{graph.value}: 6 triples verified" in result.output
