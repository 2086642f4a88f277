"""Push and remote queries against a real Oxigraph server: a store whose update endpoint is
not its query endpoint, with no authentication, and the README's recipe for it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from click.testing import CliRunner

from oxigraph_server import SERVE_FLAGS
from peelkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
EX = "http://example.org/"
NO_CREDENTIALS = {"PEELKG_USER": None, "PEELKG_PASSWORD": None}


def _cli(*args: str):
    return CliRunner().invoke(main, ["--project", str(ROOT), *args], env=NO_CREDENTIALS)


def _tmp_graphs(server) -> list[str]:
    return [g for g in server.graphs() if g.startswith("urn:peelkg:tmp:")]


def test_push_with_only_gsp_sends_the_move_to_the_update_endpoint(oxigraph, make_build):
    # The old push sent the MOVE to --endpoint (the query URL) and printed "verified" with the
    # old literal still in the store.
    graph = f"{EX}graph/{uuid.uuid4()}"
    args = ["push", "--endpoint", oxigraph.query_url, "--gsp", oxigraph.gsp_url]
    first = _cli("--build-dir", str(make_build("a", {graph: "Kent Police"})), *args)
    assert first.exit_code == 0, first.output
    second = _cli("--build-dir", str(make_build("b", {graph: "Kent Constabulary"})), *args)
    assert second.exit_code == 0, second.output
    assert oxigraph.force_name(graph) == "Kent Constabulary"
    assert _tmp_graphs(oxigraph) == []


def test_a_move_the_store_refuses_is_reported_not_verified(oxigraph, make_build):
    graph = f"{EX}graph/{uuid.uuid4()}"
    assert _cli("--build-dir", str(make_build("a", {graph: "Kent Police"})),
                "push", "--endpoint", oxigraph.query_url).exit_code == 0
    # --update pointing at the query endpoint: the store answers the MOVE with 400
    result = _cli("--build-dir", str(make_build("b", {graph: "Kent Constabulary"})),
                  "push", "--endpoint", oxigraph.query_url, "--update", oxigraph.query_url)
    assert result.exit_code == 1
    assert "verified" not in result.output
    assert f"replacing graph <{graph}> failed: HTTP 400" in result.output
    assert f"  {graph}: unchanged" in result.output
    assert "No graph was changed: run the same push again once the problem is solved." in result.output
    assert oxigraph.force_name(graph) == "Kent Police"
    # the temporary graph cannot be dropped through that endpoint either: it is listed, with the fix
    left = _tmp_graphs(oxigraph)
    assert len(left) == 1
    assert f"temporary graph that may remain in the store: {left[0]}" in result.output
    assert "To remove the temporary graphs, run: peelkg push --endpoint" in result.output
    cleaned = _cli("push", "--endpoint", oxigraph.query_url, "--drop-temporary")
    assert cleaned.exit_code == 0, cleaned.output
    assert cleaned.output == "dropped 1 temporary graph(s)\n"
    assert _tmp_graphs(oxigraph) == []


def test_push_in_update_mode(oxigraph, make_build):
    graph = f"{EX}graph/{uuid.uuid4()}"
    result = _cli("--build-dir", str(make_build("a", {graph: "Kent Police"})),
                  "push", "--store", "oxigraph", "--endpoint", oxigraph.query_url, "--mode", "update")
    assert result.exit_code == 0, result.output
    assert f"{graph}: 3 triples verified" in result.output
    assert oxigraph.force_name(graph) == "Kent Police"


def test_a_query_with_add_in_a_header_comment_is_sent_as_a_query(oxigraph, make_build, tmp_path):
    # SPARQLWrapper took "add" in a comment for the update keyword ADD and sent an update.
    graph = f"{EX}graph/{uuid.uuid4()}"
    assert _cli("--build-dir", str(make_build("a", {graph: "Kent Police"})),
                "push", "--endpoint", oxigraph.query_url).exit_code == 0
    query = tmp_path / "names.rq"
    query.write_text("#+ summary: Names to add to the list\n"
                     f"SELECT ?name WHERE {{ <{graph}#force> <{EX}name> ?name }}\n", encoding="utf-8")
    result = _cli("--build-dir", str(tmp_path / "a"), "query", "--file", str(query),
                  "--endpoint", oxigraph.query_url, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["name", "Kent Police"]


def test_readme_recipe_serves_the_union_default_graph():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"`(oxigraph serve [^`]*)`", readme)
    assert commands, "the README gives no `oxigraph serve` command"
    for command in commands:
        for flag in SERVE_FLAGS:
            assert flag in command.split(), command
