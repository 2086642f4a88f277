"""How a build moves its results: N-Quads bytes from the workers, bulk-loaded in chunks, and
the corpus declarations saved with the build so that a rebuild reads only changed folders."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from peelkg.pipeline import build as build_module
from peelkg.pipeline.reuse import CORPUS, TBOX
from peelkg.pipeline.publish import current_dir
from peelkg.pipeline.store import BulkWriter, graph_nquads
from peelkg.project import Project
from peelkg.validation.corpus import Corpus, Declarations, MintedIris

A, P = ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p")
G = "https://example.org/graph"
BEDFORDSHIRE = "peel-2016-effectiveness-bedfordshire"


def _build(root: Path):
    return build_module.build(Project(root), jobs=1)


def _count_parses(monkeypatch) -> list[int]:
    calls = [0]
    original = Declarations.of.__func__

    def counting(cls, triples):
        calls[0] += 1
        return original(cls, triples)

    monkeypatch.setattr(Declarations, "of", classmethod(counting))
    return calls


def test_graph_nquads_writes_each_triple_in_the_named_graph_and_in_the_default_graph():
    literal = ox.Literal('ends with " .\nand a line break')
    data = graph_nquads(G, [ox.Triple(A, P, literal)])
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert quads == [ox.Quad(A, P, literal, ox.NamedNode(G)), ox.Quad(A, P, literal, ox.DefaultGraph())]


def test_graph_nquads_of_no_triples_is_empty():
    assert graph_nquads(G, []) == b""


def test_bulk_writer_loads_every_chunk(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    writer = BulkWriter(store, chunk_bytes=200)
    for i in range(50):
        writer.add(graph_nquads(G, [ox.Triple(A, P, ox.Literal(str(i)))]))
    writer.close()
    assert len(store) == 100
    assert writer.quads_bytes == sum(len(graph_nquads(G, [ox.Triple(A, P, ox.Literal(str(i)))])) for i in range(50))


def test_bulk_writer_raises_the_loaders_error_at_close(tmp_path):
    writer = BulkWriter(ox.Store(str(tmp_path / "store")))
    writer.add(b"<https://example.org/a> <https://example.org/p> not-a-term .\n")
    with pytest.raises(SyntaxError):
        writer.close()


def test_declarations_survive_their_json_form(met_triples):
    declared = Declarations.of(met_triples)
    again = Declarations.from_json(json.loads(json.dumps(declared.to_json())))
    assert again == declared
    assert (len(declared.reports), len(declared.judgments), declared.cross_references) == (1, 5, False)


def test_an_iri_described_only_by_the_excluded_folder_is_unknown():
    corpus = Corpus()
    corpus.declare("one", Declarations.of([ox.Triple(A, P, ox.Literal("x"))]))
    corpus.subjects.sort()
    assert (corpus.knows(A.value), corpus.excluding("one").knows(A.value), corpus.knows(P.value)) == (True, False, False)


def _three_folders() -> Corpus:
    """A corpus of three folders: 'one' and 'two' describe A, 'three' describes B."""
    corpus = Corpus()
    for folder, subject in (("one", A), ("two", A), ("three", ox.NamedNode("https://example.org/b"))):
        corpus.declare(folder, Declarations.of([ox.Triple(subject, P, ox.Literal("x"))]))
    return corpus


def test_a_look_up_before_the_keys_are_merged_searches_every_folder():
    corpus = _three_folders()
    found = (corpus.subjects.owners(A.value), corpus.subjects.owners(P.value))
    assert (found, corpus.subjects._keys) == ((["one", "two"], []), None)


def test_look_ups_after_the_keys_are_merged_find_the_same_folders():
    corpus = _three_folders()
    corpus.subjects.sort()
    assert (corpus.subjects.owners(A.value), corpus.subjects.owners(P.value), len(corpus.subjects._keys)) == (
        ["one", "two"], [], 3)


def test_the_keys_are_merged_after_many_look_ups(monkeypatch):
    monkeypatch.setattr(MintedIris, "SCANS", 2)
    corpus = _three_folders()
    answers = [corpus.subjects.owners(A.value) for _ in range(3)]
    assert (answers, len(corpus.subjects._keys)) == ([["one", "two"]] * 3, 3)


def test_a_rebuild_after_editing_one_report_reads_only_that_folder(three_report_project, monkeypatch):
    _build(three_report_project)
    report = three_report_project / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    calls = _count_parses(monkeypatch)
    summary = _build(three_report_project)
    assert (summary.rebuilt, calls[0]) == (1, 1)


def test_a_damaged_corpus_file_is_ignored_and_every_folder_is_read(three_report_project, monkeypatch):
    _build(three_report_project)
    (current_dir(three_report_project / "build") / CORPUS).write_text('{"base_hash": "x", "repo')
    report = three_report_project / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    calls = _count_parses(monkeypatch)
    summary = _build(three_report_project)
    assert (summary.rebuilt, summary.reports, summary.violations, calls[0]) == (1, 3, 0, 3)


def test_a_damaged_line_of_the_corpus_file_costs_only_its_folder(three_report_project, monkeypatch):
    _build(three_report_project)
    saved = current_dir(three_report_project / "build") / CORPUS
    header, *lines = saved.read_text().splitlines()
    saved.write_text("\n".join([header, lines[0][:40]] + lines[1:]) + "\n")
    report = three_report_project / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    calls = _count_parses(monkeypatch)
    summary = _build(three_report_project)
    # Parsed again: the edited folder and the one whose line was cut (the first, not the edited one).
    assert sorted(p.name for p in (three_report_project / "data/reports").iterdir())[0] != BEDFORDSHIRE
    assert (summary.rebuilt, summary.violations, calls[0]) == (1, 0, 2)


def test_a_rebuild_saves_every_folder_again(three_report_project):
    _build(three_report_project)
    report = three_report_project / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    _build(three_report_project)
    lines = (current_dir(three_report_project / "build") / CORPUS).read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines[1:]] == sorted(p.name for p in
                                                                  (three_report_project / "data/reports").iterdir())


def test_the_rule_tables_survive_their_json_form(base):
    from peelkg.pipeline.reasoning import TBox

    assert TBox.from_json(json.loads(json.dumps(base.tbox.to_json()))) == base.tbox


def test_a_rebuild_takes_the_rule_tables_the_last_build_saved(three_report_project, monkeypatch):
    from peelkg.pipeline.reasoning import TBox

    _build(three_report_project)
    closures = []
    monkeypatch.setattr(TBox, "from_ontology", classmethod(lambda cls, graph: closures.append(1)))
    summary = _build(three_report_project)
    assert (summary.rebuilt, closures) == (0, [])


def test_a_damaged_rule_table_file_is_computed_again(three_report_project):
    first = _build(three_report_project)
    (current_dir(three_report_project / "build") / TBOX).write_text('{"base_hash": 1}')
    report = three_report_project / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    second = _build(three_report_project)
    assert (second.rebuilt, second.triples, second.violations) == (1, first.triples, 0)


def _edit_two_reports(root: Path) -> None:
    """Bedfordshire's grade changes; Avon and Somerset's record is removed."""
    report = root / "data" / "reports" / BEDFORDSHIRE / "report.ttl"
    report.write_text(report.read_text().replace("grade:inadequate", "grade:good"))
    import shutil

    shutil.rmtree(root / "data" / "reports" / "peel-2016-effectiveness-avon-and-somerset")


def test_an_incremental_builds_counts_equal_a_full_builds(three_report_project):
    _build(three_report_project)
    _edit_two_reports(three_report_project)
    incremental = _build(three_report_project)
    full = build_module.build(Project(three_report_project), jobs=1, incremental=False)
    assert incremental.rebuilt == 1 and full.rebuilt == 2
    assert (incremental.triples, incremental.asserted, incremental.inferred) == (full.triples, full.asserted,
                                                                                 full.inferred)


def test_the_summary_counts_equal_the_stores(three_report_project):
    summary = _build(three_report_project)
    store = ox.Store.read_only(str(three_report_project / "build" / "store"))
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    inferred = sum(1 for q in store.quads_for_pattern(None, None, None, None)
                   if not isinstance(q.graph_name, ox.DefaultGraph) and "/inferred/" in q.graph_name.value)
    named = sum(1 for q in store.quads_for_pattern(None, None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph))
    assert (summary.triples, summary.inferred, summary.asserted) == (default, inferred, named - inferred)


def test_declarations_read_on_several_processes_equal_those_read_in_one(project):
    reports = project.reports()
    in_pool = build_module._read_declarations(reports, {}, jobs=2)
    assert len(in_pool) == len(reports) == 44
    assert in_pool == Corpus.of_project(project, reports).declarations


def test_declarations_already_known_are_not_read_again(project):
    reports = project.reports()
    known = {reports[0].id: Declarations()}
    assert build_module._read_declarations(reports, known, jobs=2)[reports[0].id] == Declarations()


def test_a_folder_that_cannot_be_read_is_left_out_of_the_declarations(project, tmp_path):
    from peelkg.project import Report

    (tmp_path / "broken.ttl").write_text("@prefix x: <https://example.org/> .\nx:a x:b ", encoding="utf-8")
    reports = project.reports() + [Report(id="broken", folder=tmp_path)]
    found = build_module._read_declarations(reports, {}, jobs=2)
    assert "broken" not in found and len(found) == 44
