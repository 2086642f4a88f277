"""The synthetic corpus of benchmarks/generate_corpus.py: valid reports with consistent numbers."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from peelkg.pipeline.build import build
from peelkg.answer import execute
from peelkg.project import Project

ROOT = Path(__file__).resolve().parents[1]
PEEL = "https://w3id.org/peelkg/def#"
ID = "https://w3id.org/peelkg/id/"
FOUR_POINT = {ID + "grade/" + g for g in ("outstanding", "good", "requires-improvement", "inadequate")}
GRADED = {ID + "question/peel-2015-effectiveness/" + q for q in ("overall", "q1", "q2", "q3", "q4")}


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_corpus", ROOT / "benchmarks" / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _triples(folder: Path) -> list[ox.Triple]:
    files = sorted(folder.glob("*.ttl"))
    assert len(files) == 1, "one Turtle file per report"
    return [q.triple for q in ox.parse(path=str(files[0]), format=ox.RdfFormat.TURTLE)]


def _group_of(project: Path) -> dict[str, str]:
    broader = "http://www.w3.org/2004/02/skos/core#broader"
    return {
        q.subject.value: q.object.value
        for path in (project / "data" / "reference").glob("*.ttl")
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if q.predicate.value == broader and q.subject.value.startswith(ID + "measure/")
    }


def _check_numbers(triples: list[ox.Triple], group_of: dict[str, str]) -> int:
    """Asserts group totals = sum of parts, percentages in 0-100, counts >= 0; returns groups checked."""
    stats: dict = defaultdict(dict)
    for t in triples:
        stats[t.subject.value][t.predicate.value.removeprefix(PEEL)] = t.object
    stats = {s: p for s, p in stats.items() if "value" in p}
    for s, p in stats.items():
        value, unit = Decimal(p["value"].value), p["unit"].value.removeprefix(ID + "unit/")
        if unit == "percent":
            assert 0 <= value <= 100, s
        elif unit != "percent-change":
            assert value >= 0, s
    checked = 0
    for s, p in stats.items():
        key = (p["refArea"], p["refPeriod"], p["unit"])
        parts = [Decimal(q["value"].value) for q in stats.values()
                 if group_of.get(q["measure"].value) == p["measure"].value
                 and (q["refArea"], q["refPeriod"], q["unit"]) == key]
        if parts:
            assert sum(parts) == Decimal(p["value"].value), f"{s}: {p['value'].value} != sum {sum(parts)}"
            checked += 1
    return checked


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "project"
    ids = gen.generate(out, 3, seed=7)
    assert ids == [
        "peel-2015-effectiveness-avon-and-somerset",
        "peel-2015-effectiveness-bedfordshire",
        "peel-2015-effectiveness-cambridgeshire",
    ]
    return out


def test_three_reports_build_without_violations(corpus, tmp_path):
    folders = sorted(p.name for p in (corpus / "data" / "reports").iterdir())
    assert len(folders) == 3
    summary = build(Project(corpus), tmp_path / "build", jobs=1)
    assert summary.violations == 0
    assert (summary.reports, summary.rebuilt, summary.judgments) == (3, 3, 15)
    # The stored query answers for a generated report.
    out = execute(Project(corpus), tmp_path / "build", "grades-by-question", None,
                  [("report", "peel-2015-effectiveness-bedfordshire")], "csv")
    assert len(out.strip().splitlines()) == 1 + 5


def test_group_totals_grades_and_iris(corpus):
    group_of = _group_of(corpus)
    for folder in sorted((corpus / "data" / "reports").iterdir()):
        triples = _triples(folder)
        assert _check_numbers(triples, group_of) >= 4  # the outcome groups, force and England and Wales
        judged = defaultdict(list)
        for t in triples:
            if t.predicate.value == PEEL + "grade":
                assert t.object.value in FOUR_POINT
            if t.predicate.value == PEEL + "question" and "/judgment/" in t.subject.value:
                judged[t.object.value].append(t.subject.value)
        assert set(judged) == GRADED and all(len(v) == 1 for v in judged.values())
        iris = {term.value for t in triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
        assert not any("metropolitan" in iri or "E23000001" in iri for iri in iris), folder.name
        assert ID + "report/" + folder.name in iris


def test_generation_is_deterministic_and_independent_of_size(tmp_path):
    template = gen.Template()
    forces = gen.load_forces()
    a = gen.write_corpus(tmp_path / "a", gen.plan(2, forces), seed=1, template=template)
    gen.write_corpus(tmp_path / "b", gen.plan(1, forces), seed=1, template=template)
    assert (tmp_path / "a" / "data" / "reports" / a[0] / "report.ttl").read_bytes() == \
        (tmp_path / "b" / "data" / "reports" / a[0] / "report.ttl").read_bytes()


def test_later_cycles_are_valid(tmp_path):
    """Reports of cycles after 2015 use generated copies of the 2015 cycle and periods."""
    forces = {f.id: f for f in gen.load_forces()}
    out = tmp_path / "project"
    ids = gen.write_corpus(out, [(forces["kent"], 2016), (forces["dyfed-powys"], 2024)], seed=3)
    assert ids == ["peel-2016-effectiveness-kent", "peel-2024-effectiveness-dyfed-powys"]
    assert (out / "data" / "reference" / "synthetic-cycles.ttl").is_file()
    summary = build(Project(out), tmp_path / "build", jobs=1)
    assert summary.violations == 0
    text = (out / "data" / "reports" / ids[1] / "report.ttl").read_text()
    assert "cycle:peel-2024-effectiveness" in text and "12-months-to-2024-06-30" in text
