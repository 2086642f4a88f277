"""Tests of the throwaway Virtuoso server used by the remote-store tests.

Uses the session fixture ``virtuoso`` from conftest.py (skipped when ``virtuoso-t``
is not installed, unless PEELKG_REQUIRE_VIRTUOSO=1).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from virtuoso_server import VirtuosoServer


def _select(url: str, query: str) -> dict:
    req = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def _digest_opener(server: VirtuosoServer):
    pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    pm.add_password(None, server.base_url, server.user, server.password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(pm))


def _count(server: VirtuosoServer, graph: str) -> int:
    res = _select(
        server.sparql_url,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
    )
    return int(res["results"]["bindings"][0]["n"]["value"])


def test_endpoint_answers_ask(virtuoso):
    assert virtuoso.sparql_url.startswith("http://127.0.0.1:")
    assert _select(virtuoso.sparql_url, "ASK { }")["boolean"] is True


def test_isql_runs_sql(virtuoso):
    out = virtuoso.isql("SELECT 6 * 7")
    assert "42" in out


def test_gsp_put_then_exact_count(virtuoso):
    graph = f"http://example.org/test/{uuid.uuid4()}"
    body = "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .\n' for i in range(7)
    ).encode()
    url = virtuoso.gsp_url + "?" + urllib.parse.urlencode({"graph": graph})
    req = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    with _digest_opener(virtuoso).open(req, timeout=30) as resp:
        assert resp.status in (200, 201, 204)
    assert _count(virtuoso, graph) == 7


def test_anonymous_writes_are_refused(virtuoso):
    graph = f"http://example.org/test/{uuid.uuid4()}"
    url = virtuoso.sparql_url
    req = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(
            {"update": f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}"}
        ).encode(),
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(req, timeout=30).read()
    assert _count(virtuoso, graph) == 0


def test_default_graph_is_union_of_named_graphs(virtuoso):
    # Virtuoso quirk worth knowing: without FROM, the default graph is the
    # union of all graphs.
    marker = f"http://example.org/marker/{uuid.uuid4()}"
    opener = _digest_opener(virtuoso)
    for n in range(2):
        graph = f"http://example.org/test/{uuid.uuid4()}"
        body = f"<http://example.org/s{n}> <{marker}> \"x\" .\n".encode()
        url = virtuoso.gsp_url + "?" + urllib.parse.urlencode({"graph": graph})
        req = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        opener.open(req, timeout=30).read()
    res = _select(virtuoso.sparql_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{marker}> ?o }}")
    assert int(res["results"]["bindings"][0]["n"]["value"]) == 2
