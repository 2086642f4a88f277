"""Shared fixtures: the project, its parsed parts, and one build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from peelkg.pipeline.build import build

from peelkg.pipeline.context import Base
from peelkg.project import Project
from peelkg.rdf.bridge import from_rdflib, to_rdflib
from peelkg.rdf.io import read_many
from peelkg.validation.engines import ENGINES
from peelkg.validation.shapes import Shapes
from peelkg.validation.sourcetext import SourceText

ROOT = Path(__file__).resolve().parents[1]
MET = "peel-2015-effectiveness-metropolitan"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def base(project) -> Base:
    return Base(project)


@pytest.fixture(scope="session")
def met_report(project):
    return next(r for r in project.reports() if r.id == MET)


@pytest.fixture(scope="session")
def met_triples(met_report) -> list:
    return read_many(met_report.files)


@pytest.fixture(scope="session")
def met_graph(met_triples) -> Graph:
    """The Met report's asserted triples as an rdflib graph."""
    return to_rdflib(met_triples)


@pytest.fixture(scope="session")
def ontology_graph(base) -> Graph:
    return to_rdflib(base.ontology)


@pytest.fixture(scope="session")
def shapes_graph(base) -> Graph:
    return base.shapes.graph


@pytest.fixture
def broken_met(met_graph):
    """``broken_met(change)``: the Met report's triples after ``change(graph)`` on an rdflib copy."""

    def make(change) -> list:
        copy = Graph()
        for t in met_graph:
            copy.add(t)
        change(copy)
        return from_rdflib(copy)

    return make


@pytest.fixture(scope="session")
def engine_bases(project, base) -> dict:
    """For each SHACL engine (validation.engines.ENGINES), the project's shapes on that engine with
    the ontology and reference data loaded (validation.shapes.BaseData), keyed by engine name."""
    return {name: Shapes(project.shapes_files, engine=name).on_base(base.ontology + base.reference)
            for name in ENGINES}


@pytest.fixture(scope="session")
def met_source(project) -> SourceText:
    return SourceText.from_file(project.sources_dir / f"{MET}.txt")


@pytest.fixture(scope="session")
def built(project, tmp_path_factory) -> Path:
    """A build of the project into a temporary folder; returns the build folder."""
    build_dir = tmp_path_factory.mktemp("build")
    build(project, build_dir, jobs=1)
    return build_dir


@pytest.fixture(scope="session")
def virtuoso():
    """One throwaway Virtuoso server for the whole test session (see tests/virtuoso_server.py).

    Skipped when virtuoso-t is not installed, unless PEELKG_REQUIRE_VIRTUOSO=1 (as in CI),
    where a missing server is a failure rather than a silent skip."""
    import os

    from virtuoso_server import VirtuosoServer, virtuoso_available

    if not virtuoso_available():
        if os.environ.get("PEELKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("PEELKG_REQUIRE_VIRTUOSO=1 but virtuoso-t is not on PATH: "
                        "run .ci/install-virtuoso")
        pytest.skip("virtuoso-t not installed: run .ci/install-virtuoso")
    server = VirtuosoServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def serve_config(project, built):
    from peelkg.serve import ServeConfig

    return ServeConfig(project=project, build_dir=built, timeout=10.0, max_rows=5000)


@pytest.fixture(scope="session")
def client(serve_config):
    """An HTTP client of the app over the session's build (in process, no socket). Server errors
    come back as responses, as a real client would see them."""
    from starlette.testclient import TestClient

    from peelkg.serve import create_app

    with TestClient(create_app(serve_config), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(serve_config):
    """The app under a real uvicorn on a free loopback port, in a thread; yields its base URL."""
    from serve_helpers import LiveServer

    server = LiveServer(serve_config)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph():
    """One throwaway Oxigraph server (`oxigraph serve`, from the test extra) for the session."""
    from oxigraph_server import OxigraphServer

    with OxigraphServer() as server:
        yield server


class RemoteStore:
    """A running store as the push and remote-query tests see it: how to push to it with the
    CLI, where to query it, and the credentials (if any) that must never be printed."""

    def __init__(self, name: str, endpoint: str, push_args: list[str], env: dict[str, str]):
        self.name, self.endpoint, self.push_args, self.env = name, endpoint, push_args, env

    @property
    def secrets(self) -> list[str]:
        return [v for k, v in self.env.items() if k == "PEELKG_PASSWORD" and v]


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def remote_store(request) -> RemoteStore:
    """Each real store the push is tested against: Virtuoso (digest auth, its /sparql endpoint
    tells the store) and Oxigraph (no auth, its /query endpoint tells the store)."""
    server = request.getfixturevalue(request.param)
    if request.param == "virtuoso":
        env = {"PEELKG_USER": server.user, "PEELKG_PASSWORD": server.password}
        return RemoteStore("virtuoso", server.sparql_url, ["--endpoint", server.sparql_url], env)
    no_credentials = {"PEELKG_USER": None, "PEELKG_PASSWORD": None}  # None: unset for the CLI run
    return RemoteStore("oxigraph", server.query_url, ["--endpoint", server.query_url], no_credentials)


def _write_build(folder: Path, graphs: dict[str, str]) -> Path:
    import pyoxigraph as ox

    folder.mkdir(parents=True)
    store = ox.Store(str(folder / "store"))
    ex = "http://example.org/"
    for graph, name in graphs.items():
        g, force = ox.NamedNode(graph), ox.NamedNode(graph + "#force")
        store.extend([ox.Quad(force, ox.NamedNode(ex + "name"), ox.Literal(name), g),
                      ox.Quad(force, ox.NamedNode(ex + "grade"), ox.NamedNode(ex + "good"), g),
                      ox.Quad(force, ox.NamedNode(ex + "size"), ox.Literal(31000), g)])
    store.flush()
    del store
    return folder


@pytest.fixture
def make_build(tmp_path):
    """``make_build(name, {graph IRI: force name})``: a build folder (invented test data) whose
    store holds, in each graph, three triples about ``<GRAPH#force>``: its ex:name (the given
    literal), ex:grade ex:good and ex:size 31000. Two builds that differ in a name have the same
    triple counts."""
    return lambda name, graphs: _write_build(tmp_path / name, graphs)


@pytest.fixture
def fake_server():
    """``fake_server(respond)``: a started fake HTTP server on loopback (see tests/fake_http.py),
    stopped after the test."""
    from fake_http import FakeServer

    started = []

    def start(respond):
        server = FakeServer(respond).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project (ontology, data, shapes, queries) that a test may break or build."""
    import shutil

    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, tmp_path / "project" / part)
    return tmp_path / "project"


@pytest.fixture
def three_report_project(tmp_path) -> Path:
    """A copy of the project with three of its reports: the Met 2015 report and the 2016
    grade-only records of Avon and Somerset and of Bedfordshire."""
    import shutil

    keep = {"peel-2015-effectiveness-metropolitan", "peel-2016-effectiveness-avon-and-somerset",
            "peel-2016-effectiveness-bedfordshire"}
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, tmp_path / "project" / part,
                        ignore=lambda folder, names: [n for n in names if Path(folder).name == "reports"
                                                      and n not in keep])
    return tmp_path / "project"
