"""Every value a page shows is escaped: a copy of the project whose labels hold markup (an
invented change, made only here) is built and served, and no page lets the markup through."""

from __future__ import annotations

import shutil

import pytest
from starlette.testclient import TestClient

from peelkg.pipeline.build import build
from peelkg.project import Project
from peelkg.serve import ServeConfig, create_app

FINDING_LABEL = "Referral of crimes to specialist investigators is often delayed"
MARKUP = '<script>alert("finding")</script> & <b onmouseover="x">bold</b>'
FORCE_MARKUP = 'Metropolitan <img src=x onerror="alert(document.cookie)"> Police Service'


@pytest.fixture(scope="module")
def markup_client(project, tmp_path_factory):
    root = tmp_path_factory.mktemp("markup-project")
    for part in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(project.root / part, root / part)
    findings = root / "data" / "reports" / "peel-2015-effectiveness-metropolitan" / "findings-q2.ttl"
    findings.write_text(findings.read_text(encoding="utf-8").replace(
        f'"{FINDING_LABEL}"@en', '"' + MARKUP.replace('"', '\\"') + '"@en'), encoding="utf-8")
    forces = root / "data" / "reference" / "forces.ttl"
    forces.write_text(forces.read_text(encoding="utf-8").replace(
        'rdfs:label "Metropolitan Police Service"@en', 'rdfs:label "' + FORCE_MARKUP.replace('"', '\\"') + '"@en'),
        encoding="utf-8")
    marked = Project(root)
    build_dir = root / "build"
    build(marked, build_dir, jobs=1)
    with TestClient(create_app(ServeConfig(project=marked, build_dir=build_dir))) as test_client:
        yield test_client


@pytest.mark.parametrize("path", [
    "/",
    "/id/report/peel-2015-effectiveness-metropolitan",
    "/id/force/metropolitan",
    "/id/report/peel-2015-effectiveness-metropolitan/finding/q2-2-1-01",
    "/id/report/peel-2015-effectiveness-metropolitan/evidence/finding-q2-2-1-01",
    "/search?q=onerror",
    "/search?q=metropolitan",
    "/queries",
    "/queries/findings-for-question",
    "/sparql?format=html&query=SELECT+%3Fl+WHERE+%7B+%3Fs+%3Chttp%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23label%3E+%3Fl+%7D",
])
def test_markup_in_labels_is_escaped_on_every_page(markup_client, path):
    html = markup_client.get(path, headers={"Accept": "text/html"}).text
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert ("&lt;script&gt;alert(&#34;finding&#34;)&lt;/script&gt;" in html
            or "&lt;img src=x onerror=&#34;alert(document.cookie)&#34;&gt;" in html)


def test_markup_typed_into_the_search_box_is_escaped(markup_client):
    html = markup_client.get("/search", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
