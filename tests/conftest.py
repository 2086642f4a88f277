"""Shared fixtures: the project, its parsed parts, and one build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from peelkg.pipeline.build import build

from peelkg.pipeline.context import Base
from peelkg.project import Project
from peelkg.rdf.bridge import to_rdflib
from peelkg.rdf.io import read_many
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


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project (ontology, data, shapes, queries) that a test may break or build."""
    import shutil

    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, tmp_path / "project" / part)
    return tmp_path / "project"
