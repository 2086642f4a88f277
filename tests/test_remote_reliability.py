"""Remote stores that misbehave: challenges and redirects, non-HTTP endpoints, hung servers and
Ctrl-C, and a MOVE that fails half way through a push. Fake servers on loopback only
(tests/fake_http.py); the fault-injecting proxy stands in front of the real Oxigraph server."""

from __future__ import annotations

import base64
import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_http import DROP, HANG, Forward, Reply
from peelkg.cli import main
from peelkg.remote.client import Client, RemoteError

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[1]
EX = "http://example.org/"
USER, PASSWORD = "pusher", "S3cret-Pw-42"
CREDENTIALS = {"PEELKG_USER": USER, "PEELKG_PASSWORD": PASSWORD}
NO_CREDENTIALS = {"PEELKG_USER": None, "PEELKG_PASSWORD": None}
DIGEST_CHALLENGE = {"WWW-Authenticate": 'Digest realm="peelkg-test", nonce="n0nce", qop="auth", algorithm=MD5'}


def _cli(build: Path | None, *args: str, env: dict = NO_CREDENTIALS):
    options = ["--project", str(ROOT)] + (["--build-dir", str(build)] if build else [])
    return CliRunner().invoke(main, [*options, *args], env=env)


def _graph() -> str:
    return f"{EX}graph/{uuid.uuid4()}"


def _redirect_to(target):
    return lambda request: Reply(302, {"Location": target.url + request.path})


# -- (2) credentials only to the host named --------------------------------------------------

def test_a_redirect_after_a_digest_challenge_is_not_followed(fake_server, make_build):
    elsewhere = fake_server(lambda request: Reply(200))
    named = fake_server(lambda request: _redirect_to(elsewhere)(request) if "authorization" in request.headers
                        else Reply(401, DIGEST_CHALLENGE))
    build = make_build("b", {_graph(): "Kent Police"})
    result = _cli(build, "push", "--store", "oxigraph", "--endpoint", named.url + "/query", "--auth", "digest",
                  env=CREDENTIALS)
    assert result.exit_code == 1
    assert f"answered 302 redirecting to {elsewhere.url}/store" in result.output
    assert "peelkg follows no redirects" in result.output
    assert any(r.headers.get("authorization", "").startswith("Digest ") for r in named.requests)
    assert elsewhere.requests == []
    assert PASSWORD not in result.output


def test_a_redirect_with_basic_auth_is_not_followed(fake_server, make_build):
    elsewhere = fake_server(lambda request: Reply(200))
    named = fake_server(lambda request: Reply(307, {"Location": elsewhere.url + request.path}))
    result = _cli(make_build("b", {_graph(): "Kent Police"}), "push", "--store", "fuseki",
                  "--endpoint", named.url + "/ds/query", env=CREDENTIALS)
    assert result.exit_code == 1
    assert f"answered 307 redirecting to {elsewhere.url}/ds/data" in result.output
    assert elsewhere.requests == []


def test_a_remote_query_does_not_follow_a_redirect(fake_server, built):
    elsewhere = fake_server(lambda request: Reply(200))
    named = fake_server(lambda request: _redirect_to(elsewhere)(request) if "authorization" in request.headers
                        else Reply(401, DIGEST_CHALLENGE))
    result = _cli(built, "query", "timeline", "--endpoint", named.url + "/sparql", env=CREDENTIALS)
    assert result.exit_code == 2
    assert f"answered 302 redirecting to {elsewhere.url}/sparql" in result.output
    assert elsewhere.requests == []


def test_the_client_sends_nothing_to_an_origin_not_named(fake_server):
    other = fake_server(lambda request: Reply(200))
    with Client(["http://127.0.0.1:9/query"], user=USER, password=PASSWORD, auth="basic") as client:
        with pytest.raises(RemoteError, match="is not one of the endpoints given"):
            client.request("GET", other.url + "/query", what="asking elsewhere")
    assert other.requests == []


def test_basic_auth_and_the_fuseki_urls(fake_server, oxigraph, make_build):
    # A Fuseki-shaped front (dataset /ds, basic auth) for the real Oxigraph behind it.
    token = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    upstream = {"/ds/query": "/query", "/ds/update": "/update", "/ds/data": "/store"}

    def fuseki(request):
        if request.headers.get("authorization") != token:
            return Reply(401, {"WWW-Authenticate": 'Basic realm="fuseki"'})
        path, _, query = request.path.partition("?")
        return Forward(oxigraph.base_url, path=upstream[path] + ("?" + query if query else ""))

    front = fake_server(fuseki)
    graph = _graph()
    result = _cli(make_build("b", {graph: "Kent Police"}), "push", "--endpoint", front.url + "/ds/query",
                  env=CREDENTIALS)
    assert result.exit_code == 0, result.output
    assert f"{graph}: 3 triples verified" in result.output
    assert {r.path.partition("?")[0] for r in front.requests} == {"/ds/query", "/ds/update", "/ds/data"}


def test_the_graphdb_urls(fake_server, oxigraph, make_build):
    base = "/repositories/peelkg"
    upstream = {base: "/query", base + "/statements": "/update", base + "/rdf-graphs/service": "/store"}

    def graphdb(request):
        path, _, query = request.path.partition("?")
        return Forward(oxigraph.base_url, path=upstream[path] + ("?" + query if query else ""))

    front = fake_server(graphdb)
    graph = _graph()
    result = _cli(make_build("b", {graph: "Kent Police"}), "push", "--endpoint", front.url + base)
    assert result.exit_code == 0, result.output
    assert {r.path.partition("?")[0] for r in front.requests} == set(upstream)


def test_a_wrong_auth_kind_is_named(fake_server, make_build):
    named = fake_server(lambda request: Reply(401, DIGEST_CHALLENGE))
    result = _cli(make_build("b", {_graph(): "Kent Police"}), "push", "--store", "graphdb",
                  "--endpoint", named.url + "/repositories/r", env=CREDENTIALS)
    assert result.exit_code == 1
    assert "HTTP 401 Unauthorized" in result.output
    assert "the store asks for digest authentication: use --auth digest" in result.output


# -- (3) only http(s) endpoints ----------------------------------------------------------------

@pytest.mark.parametrize("option", ["--endpoint", "--update", "--gsp"])
@pytest.mark.parametrize("url", ["file://{secret}", "ftp://127.0.0.1/x", "{secret}"])
def test_push_refuses_a_non_http_endpoint(option, url, tmp_path, make_build):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    url = url.format(secret=secret)
    args = {"--endpoint": "http://127.0.0.1:9/sparql", option: url}
    result = _cli(make_build("b", {_graph(): "x"}), "push", *[w for kv in args.items() for w in kv])
    assert result.exit_code == 2
    assert f"error: {option} must be an http:// or https:// URL with a host" in result.output
    assert "TOP-SECRET-CONTENT" not in result.output


def test_query_refuses_a_non_http_endpoint(built, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    result = _cli(built, "query", "timeline", "--endpoint", f"file://{secret}")
    assert result.exit_code == 2
    assert "error: --endpoint must be an http:// or https:// URL with a host" in result.output
    assert "TOP-SECRET-CONTENT" not in result.output


def test_credentials_in_the_url_are_refused(make_build):
    result = _cli(make_build("b", {_graph(): "x"}), "push", "--endpoint", "http://dba:pw@127.0.0.1:9/sparql")
    assert result.exit_code == 2
    assert "must not contain a user name or password" in result.output
    assert "dba:pw" not in result.output


# -- (6) timeouts and Ctrl-C -----------------------------------------------------------------------

def test_push_to_a_hung_store_times_out_and_sends_nothing_more(fake_server, make_build):
    hung = fake_server(lambda request: HANG)
    started = time.monotonic()
    result = _cli(make_build("b", {_graph(): "x"}), "push", "--store", "oxigraph", "--endpoint",
                  hung.url + "/query", "--timeout", "1")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert f"no answer from {hung.url}/store?graph=urn%3Apeelkg%3Atmp%3A" in result.output
    assert "within 1 s" in result.output
    assert len(hung.requests) == 1  # no cleanup request to a store that does not answer


def test_remote_query_to_a_hung_store_times_out(fake_server, built):
    hung = fake_server(lambda request: HANG)
    started = time.monotonic()
    result = _cli(built, "query", "timeline", "--endpoint", hung.url + "/sparql", "--timeout", "1")
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert f"no answer from {hung.url}/sparql within 1 s" in result.output


def _interrupt(args: list[str], server) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run peelkg in a process, Ctrl-C it once ``server`` has a request; returns the result, the
    seconds from the signal to the exit, and the requests the server had at the signal."""
    env = {k: v for k, v in os.environ.items() if k not in ("PEELKG_USER", "PEELKG_PASSWORD")}
    proc = subprocess.Popen([sys.executable, "-m", "peelkg", "--project", str(ROOT), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.requests, "peelkg sent no request"
    time.sleep(0.3)
    seen = len(server.requests)
    proc.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    out, err = proc.communicate(timeout=10)
    elapsed = time.monotonic() - signalled
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), elapsed, seen


def test_ctrl_c_stops_a_push_at_once_without_cleanup_requests(fake_server, make_build):
    hung = fake_server(lambda request: HANG)
    graph = _graph()
    result, elapsed, seen = _interrupt(["--build-dir", str(make_build("b", {graph: "x"})), "push", "--store",
                                        "oxigraph", "--endpoint", hung.url + "/query"], hung)
    assert elapsed < 1.0
    assert result.returncode == 130
    assert "error: push interrupted" in result.stderr
    assert f"  {graph}: unchanged" in result.stderr
    assert "temporary graph that may remain in the store: urn:peelkg:tmp:" in result.stderr
    assert "Traceback" not in result.stderr
    time.sleep(0.3)
    assert len(hung.requests) == seen


def test_ctrl_c_stops_a_remote_query_at_once(fake_server, built):
    hung = fake_server(lambda request: HANG)
    result, elapsed, seen = _interrupt(["--build-dir", str(built), "query", "timeline", "--endpoint",
                                        hung.url + "/sparql"], hung)
    assert elapsed < 1.0
    assert result.returncode == 130
    assert result.stderr == "interrupted\n"


# -- (7) a MOVE that fails mid-push ----------------------------------------------------------------

def _graphs(n: int) -> list[str]:
    base = _graph()
    return [f"{base}/g{i}" for i in range(1, n + 1)]


def _names(oxigraph, graphs) -> list[str | None]:
    return [oxigraph.force_name(g) for g in graphs]


def _tmp_graphs(oxigraph) -> list[str]:
    return [g for g in oxigraph.graphs() if g.startswith("urn:peelkg:tmp:")]


def _proxy_failing_move(fake_server, oxigraph, nth: int, fault):
    """A proxy to Oxigraph that does ``fault`` (a Reply, or a Forward with its ``then``) with the
    nth MOVE and passes everything else on."""
    moves = []

    def respond(request):
        if "MOVE" in request.form.get("update", ""):
            moves.append(request)
            if len(moves) == nth:
                return fault
        return Forward(oxigraph.base_url)

    return fake_server(respond)


def _recover(output: str, prefix: str, build: Path):
    line = next(line for line in output.splitlines() if line.startswith(prefix))
    words = shlex.split(line[len(prefix):])
    assert words[:2] == ["peelkg", "push"]
    return _cli(build, *words[1:])


def _push_old_then_new(oxigraph, proxy, make_build, graphs):
    assert _cli(make_build("old", {g: "old" for g in graphs}), "push", "--endpoint",
                oxigraph.query_url).exit_code == 0
    new = make_build("new", {g: "new" for g in graphs})
    return new, _cli(new, "push", "--store", "oxigraph", "--endpoint", proxy.url + "/query")


def test_a_refused_move_reports_each_graph_and_the_recovery(fake_server, oxigraph, make_build):
    graphs = _graphs(3)
    proxy = _proxy_failing_move(fake_server, oxigraph, 2, Reply(500, body=b"disk full"))
    new, result = _push_old_then_new(oxigraph, proxy, make_build, graphs)
    assert result.exit_code == 1
    assert f"replacing graph <{graphs[1]}> failed: HTTP 500" in result.output
    assert [f"  {g}: {s}" in result.output for g, s in zip(graphs, ("replaced", "unknown", "unchanged"))] == [True] * 3
    assert _names(oxigraph, graphs) == ["new", "old", "old"]
    assert _tmp_graphs(oxigraph) == []  # the store still answered: the temporary graphs were dropped
    recovered = _recover(result.output, "To finish the push, run: ", new)
    assert recovered.exit_code == 0, recovered.output
    assert f"{graphs[1]}: 3 triples verified" in recovered.output
    assert f"{graphs[2]}: 3 triples verified" in recovered.output
    assert _names(oxigraph, graphs) == ["new", "new", "new"]


def test_a_move_done_but_unanswered_is_unknown_and_nothing_more_is_sent(fake_server, oxigraph, make_build):
    graphs = _graphs(3)
    proxy = _proxy_failing_move(fake_server, oxigraph, 2, Forward(oxigraph.base_url, then=DROP))
    new, result = _push_old_then_new(oxigraph, proxy, make_build, graphs)
    assert result.exit_code == 1
    assert f"replacing graph <{graphs[1]}> failed: the connection to {proxy.url}/update broke" in result.output
    assert [f"  {g}: {s}" in result.output for g, s in zip(graphs, ("replaced", "unknown", "unchanged"))] == [True] * 3
    assert "MOVE" in proxy.requests[-1].form["update"]  # no request after the one without an answer
    assert _names(oxigraph, graphs) == ["new", "new", "old"]
    assert len(_tmp_graphs(oxigraph)) == 1  # the third graph's, listed with the command that drops it
    assert _recover(result.output, "To remove the temporary graphs, run: ", new).exit_code == 0
    assert _tmp_graphs(oxigraph) == []
    assert _recover(result.output, "To finish the push, run: ", new).exit_code == 0
    assert _names(oxigraph, graphs) == ["new", "new", "new"]


def test_a_move_done_but_answered_with_an_error_is_found_replaced(fake_server, oxigraph, make_build):
    graphs = _graphs(3)
    proxy = _proxy_failing_move(fake_server, oxigraph, 2, Forward(oxigraph.base_url, then=Reply(502, body=b"gateway")))
    new, result = _push_old_then_new(oxigraph, proxy, make_build, graphs)
    assert result.exit_code == 1
    assert [f"  {g}: {s}" in result.output for g, s in zip(graphs, ("replaced", "replaced", "unchanged"))] == [True] * 3
    assert f"--graph {graphs[2]}" in result.output and f"--graph {graphs[1]}" not in result.output
    assert _names(oxigraph, graphs) == ["new", "new", "old"]
    assert _tmp_graphs(oxigraph) == []



def test_a_password_echoed_by_the_store_is_not_printed(fake_server, make_build):
    echo = fake_server(lambda request: Reply(500, body=f"bad login {PASSWORD} for {USER}".encode()))
    result = _cli(make_build("b", {_graph(): "x"}), "push", "--store", "oxigraph", "--endpoint",
                  echo.url + "/query", env=CREDENTIALS)
    assert result.exit_code == 1
    assert f"bad login *** for {USER}" in result.output
    assert PASSWORD not in result.output


def test_a_user_without_a_password_is_refused(make_build):
    result = _cli(make_build("b", {_graph(): "x"}), "push", "--endpoint", "http://127.0.0.1:9/sparql",
                  env={"PEELKG_USER": USER, "PEELKG_PASSWORD": None})
    assert result.exit_code == 2
    assert "error: Set both PEELKG_USER and PEELKG_PASSWORD, or neither." in result.output


def test_an_unreadable_ssl_cert_file_is_a_clear_error(tmp_path, make_build):
    missing = tmp_path / "no-such-ca.pem"
    result = CliRunner().invoke(main, ["--project", str(ROOT), "--build-dir", str(make_build("b", {_graph(): "x"})),
                                       "push", "--endpoint", "https://127.0.0.1:9/sparql"],
                                env={**NO_CREDENTIALS, "SSL_CERT_FILE": str(missing)})
    assert result.exit_code == 2
    assert result.output.startswith(f"error: SSL_CERT_FILE={missing}: not a readable file of CA certificates")


@pytest.mark.parametrize("url, problem", [
    ("http://[::1/sparql", "is not a valid URL ('http://[::1/sparql': Invalid IPv6 URL)."),
    ("http://127.0.0.1:99999/sparql", "is not a valid URL ('http://127.0.0.1:99999/sparql': Port out of range 0-65535)."),
    (" http://127.0.0.1:9/sparql", "must not contain spaces or control characters (' http://127.0.0.1:9/sparql')."),
])
def test_a_malformed_endpoint_is_a_clear_error(url, problem, make_build):
    result = _cli(make_build("b", {_graph(): "x"}), "push", "--endpoint", url)
    assert result.exit_code == 2
    assert result.output == f"error: --endpoint {problem}\n"


def test_a_store_that_refuses_connections_leaves_everything_unchanged(make_build):
    graph = _graph()
    result = _cli(make_build("b", {graph: "x"}), "push", "--endpoint", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 1
    assert "cannot connect to http://127.0.0.1:9/sparql-graph-crud-auth?graph=" in result.output
    assert f"  {graph}: unchanged" in result.output
    assert "No graph was changed: run the same push again once the problem is solved." in result.output
    assert "temporary graph" not in result.output.split("Where each graph stands:")[1]
