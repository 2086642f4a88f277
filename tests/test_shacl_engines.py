"""pyshacl-turbo (the default SHACL engine) gives exactly pySHACL's problems (the reference engine):
on every broken copy the shape tests make (tests/test_shapes.py, test_validate.py,
test_report_kinds.py), on every report in data/reports and on the invented fixtures; and the
engine is chosen with PEELKG_SHACL_ENGINE."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
import test_report_kinds
import test_shapes
import test_validate
from fixture_paths import FIXTURE, KENT, ROOT
from peelkg.errors import UserError
from peelkg.project import Project
from peelkg.rdf.io import rdf_files, read_many
from peelkg.validation.engines import ENGINE_VARIABLE, PYSHACL, TURBO
from peelkg.validation.shapes import Shapes


def _every_field(problems) -> list[tuple]:
    return [dataclasses.astuple(p) for p in problems]


def _reference_problems(engine_bases, triples: list) -> list:
    """pySHACL's problems of ``triples`` with the base, after checking pyshacl-turbo's are the same,
    field for field (term and the SHACL-SPARQL constraint too), both fresh and on the loaded base."""
    reference = engine_bases[PYSHACL].validate(triples)
    turbo = engine_bases[TURBO]
    assert _every_field(turbo.validate(triples)) == _every_field(reference)
    assert _every_field(turbo.shapes.validate(turbo.base + triples)) == _every_field(reference)
    return reference


def _cases(module, uses: str) -> list:
    """The tests of ``module`` whose source calls ``uses``."""
    return [f for name, f in sorted(vars(module).items())
            if name.startswith("test_") and inspect.isfunction(f) and uses in inspect.getsource(f)]


# -- The broken copies of the Met report (tests/test_shapes.py) ----


@pytest.mark.parametrize("case", _cases(test_shapes, "violations("), ids=lambda f: f.__name__)
def test_broken_met_copy_has_the_same_problems_on_both_engines(case, request, broken_met, engine_bases):
    compared = []

    def violations(change, severity: str = "Violation"):
        problems = _reference_problems(engine_bases, broken_met(change))
        compared.append(len(problems))
        return test_shapes.focus_and_message(problems, severity)

    # The case runs as written, its own assertions on pySHACL's problems included.
    case(**{name: violations if name == "violations" else request.getfixturevalue(name)
            for name in inspect.signature(case).parameters})
    assert compared and compared[0] > 0


# -- The broken copies of the invented fixtures (test_validate.py, test_report_kinds.py) ----


class _Made(Exception):
    """Raised by the stand-in for a test's broken() helper once the broken copy is written: the
    rest of the test (its CLI run) is the business of that test, not of this one."""

    def __init__(self, folder):
        super().__init__(str(folder))
        self.folder = folder


_COMPARED: set = set()  # the broken copies compared so far, by helper and change (several tests share one)


def _broken_copy_of(case, module, helper: str, monkeypatch, tmp_path):
    """The folder ``case`` makes with ``module.helper``, or None when an earlier case made the same."""
    real = getattr(module, helper)

    def make(*args, **kwargs):
        change = (module.__name__, args[1:], tuple(sorted(kwargs.items())))  # args[0] is tmp_path
        if change in _COMPARED:
            raise _Made(None)
        _COMPARED.add(change)
        raise _Made(real(*args, **kwargs))

    monkeypatch.setattr(module, helper, make)
    with pytest.raises(_Made) as made:
        # The helper is the first thing each case calls; it needs tmp_path alone.
        case(**{name: tmp_path if name == "tmp_path" else None for name in inspect.signature(case).parameters})
    return made.value.folder


FILE_CASES = [(test_validate, "broken", f) for f in _cases(test_validate, "broken(")] + \
             [(test_report_kinds, "_broken", f) for f in _cases(test_report_kinds, "_broken(")]


@pytest.mark.parametrize(("module", "helper", "case"), FILE_CASES, ids=[f.__name__ for _, _, f in FILE_CASES])
def test_broken_fixture_copy_has_the_same_problems_on_both_engines(module, helper, case, monkeypatch, tmp_path,
                                                                   engine_bases):
    folder = _broken_copy_of(case, module, helper, monkeypatch, tmp_path)
    if folder is not None:
        _reference_problems(engine_bases, read_many(rdf_files([folder])))


def test_the_file_cases_cover_both_test_modules():
    assert {m.__name__ for m, _, _ in FILE_CASES} == {"test_validate", "test_report_kinds"}
    assert len(FILE_CASES) >= 20


# -- Every real report and every invented fixture ----


REPORTS = Project(ROOT).reports()
FIXTURES = [FIXTURE / KENT] + sorted(p for p in (ROOT / "tests" / "fixtures" / "kinds").iterdir() if p.is_dir())


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.id)
def test_report_has_the_same_problems_on_both_engines(report, engine_bases):
    _reference_problems(engine_bases, read_many(report.files))


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_fixture_has_the_same_problems_on_both_engines(folder, engine_bases):
    _reference_problems(engine_bases, read_many(rdf_files([folder])))


# -- The loaded base stays whole ----


def test_a_report_repeating_a_reference_triple_leaves_it_in_the_base(base, met_triples, engine_bases):
    turbo = engine_bases[TURBO]
    reference_triple = base.reference[0]
    turbo.validate(met_triples + [reference_triple])
    assert turbo.validate(met_triples) == turbo.shapes.validate(base.ontology + base.reference + met_triples)
    assert turbo.validate([]) == []


def test_each_report_is_validated_in_a_store_of_only_the_base_and_that_report(base, met_triples, engine_bases,
                                                                             monkeypatch):
    # A store shared between reports kept every removed quad as a dead version in pyoxigraph,
    # which made each report slower than the one before (validation.shapes.BaseData).
    turbo = engine_bases[TURBO]
    seen = []
    real = turbo.shapes.problems_in
    monkeypatch.setattr(turbo.shapes, "problems_in",
                        lambda store, data=None, text=None: seen.append(store) or real(store, data, text))
    turbo.validate(met_triples)
    turbo.validate(met_triples[:10])
    base_size = len(set(base.ontology + base.reference))
    assert [len(store) for store in seen] == [len(set(base.ontology + base.reference + met_triples)),
                                              len(set(base.ontology + base.reference + met_triples[:10]))]
    assert seen[0] is not seen[1] and base_size < len(seen[1])


def test_a_report_triple_that_breaks_a_reference_node_is_reported(base, engine_bases):
    # A second rank on a reference grade: the grade is reference data, the triple the report's.
    grade = ox.NamedNode("https://w3id.org/peelkg/id/grade/good")
    rank = ox.NamedNode("https://w3id.org/peelkg/def#rank")
    problems = _reference_problems(engine_bases, [ox.Triple(grade, rank, ox.Literal(7))])
    assert [(p.focus, p.path) for p in problems] == [(grade.value, rank.value)]


# -- Choosing the engine ----


def test_the_default_engine_is_pyshacl_turbo(project, monkeypatch):
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert Shapes(project.shapes_files).engine == TURBO


def test_the_variable_chooses_pyshacl(project, monkeypatch):
    monkeypatch.setenv(ENGINE_VARIABLE, PYSHACL)
    assert Shapes(project.shapes_files).engine == PYSHACL


def test_an_unknown_engine_is_an_error_naming_the_choices(project, monkeypatch):
    monkeypatch.setenv(ENGINE_VARIABLE, "jena")
    with pytest.raises(UserError) as error:
        Shapes(project.shapes_files)
    assert error.value.exit_code == 2
    assert str(error.value) == (f"{ENGINE_VARIABLE}='jena' is not a SHACL engine peelkg knows: set it to "
                                "pyshacl-turbo or pyshacl, or unset it for the default (pyshacl-turbo).")


def test_validate_with_an_unknown_engine_exits_2_without_a_traceback():
    env = {**os.environ, ENGINE_VARIABLE: "jena"}
    done = subprocess.run([sys.executable, "-m", "peelkg", "--project", str(ROOT), "validate",
                           str(FIXTURE / KENT)], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {ENGINE_VARIABLE}='jena' is not a SHACL engine peelkg knows")
    assert "Traceback" not in done.stderr


def test_a_constraint_turbo_does_not_support_is_an_error_not_skipped(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<urn:S> a sh:NodeShape ; sh:targetNode <urn:s> ; sh:minCont 1 .\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        Shapes([shapes], engine=TURBO)
    assert error.value.exit_code == 2
    assert str(error.value) == (f"The shapes ({shapes}) cannot be evaluated by pyshacl-turbo: Unsupported feature: "
                                f"sh:minCont on <urn:S>. Correct the shapes, or set {ENGINE_VARIABLE}=pyshacl "
                                "to validate with pySHACL.")
