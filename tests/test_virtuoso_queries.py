"""Every stored query gives the same answer on Virtuoso as on the built graph.

The built dataset is pushed to the session's throwaway Virtuoso with `peelkg push`; then each
stored query runs with its default parameters on both stores (`peelkg query ... --endpoint`)
and the answers are compared after normalising what legitimately differs between engines:
the serialisation of numbers (compared by value), plain literals versus xsd:string, and row
order when the query has no ORDER BY.
"""

from __future__ import annotations

import json
import re
import time
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


def _env(server) -> dict:
    return {"PEELKG_USER": server.user, "PEELKG_PASSWORD": server.password}


@pytest.fixture(scope="module")
def pushed(virtuoso, built, project):
    """The built dataset pushed to Virtuoso with the CLI; returns the CLI result."""
    runner = CliRunner()
    started = time.monotonic()
    result = runner.invoke(
        main, ["--project", str(project.root), "--build-dir", str(built), "push", "--endpoint", virtuoso.sparql_url],
        env=_env(virtuoso),
    )
    result.elapsed = time.monotonic() - started
    print(f"\npush: {result.elapsed:.1f} s\n{result.output}")
    return result


def test_push_reports_each_graph(pushed, virtuoso, built):
    import pyoxigraph as ox

    assert pushed.exit_code == 0, pushed.output
    store = ox.Store.read_only(str(built / "store"))
    for graph in store.named_graphs():
        n = len(list(store.quads_for_pattern(None, None, None, graph)))
        assert f"{graph.value}: {n} triples verified" in pushed.output
    assert re.search(r"pushed \d+ graph\(s\), \d+ triples, in [\d.]+ s", pushed.output)
    assert virtuoso.password not in pushed.output


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
def test_query_same_on_virtuoso(name, pushed, virtuoso, project, built):
    assert pushed.exit_code == 0, pushed.output
    query = Library(project.queries_dir).get(name)
    t0 = time.monotonic()
    local = execute(project, built, name, None, [], "json")
    t1 = time.monotonic()
    remote = execute(project, built, name, None, [], "json", endpoint=virtuoso.sparql_url)
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


def test_query_cli_csv_on_endpoint(pushed, virtuoso, project, built):
    assert pushed.exit_code == 0, pushed.output
    runner = CliRunner()
    args = ["--project", str(project.root), "--build-dir", str(built), "query", "timeline", "--format", "csv"]
    remote = runner.invoke(main, args + ["--endpoint", virtuoso.sparql_url])
    assert remote.exit_code == 0, remote.output
    local = runner.invoke(main, args)
    assert local.exit_code == 0, local.output
    lines = remote.output.splitlines()
    assert lines[0] == local.output.splitlines()[0]
    assert len(lines) == len(local.output.splitlines()) > 1


def test_remote_parameter_is_checked_on_the_endpoint(pushed, virtuoso, project, built):
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(project.root), "--build-dir", str(built), "query", "timeline",
                                  "-p", "report", "no-such-report", "--endpoint", virtuoso.sparql_url])
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
