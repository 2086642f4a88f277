"""An incremental build reads and hashes only the reports whose files' stat changed
(pipeline.reuse.report_hashes); a full build, and any doubt, hashes the files."""

from __future__ import annotations

import os
import time

import pytest

from peelkg.pipeline.reuse import RACY_NS, report_hashes, stat_signature
from peelkg.project import Project, files_hash

MET = "peel-2015-effectiveness-metropolitan"


@pytest.fixture
def reports(three_report_project):
    return Project(three_report_project).reports()


def _manifest(reports, hashed_at: int, recorded: str = "recorded-hash") -> dict:
    """A previous build's manifest that hashed every report at ``hashed_at`` and recorded
    ``recorded`` as each one's hash (not a real hash, so a test sees whether it was kept)."""
    return {"hashed_at": hashed_at,
            "reports": {r.id: {"hash": recorded, "stat": stat_signature(r.files)} for r in reports}}


def test_a_report_whose_files_keep_their_stat_keeps_its_recorded_hash(reports):
    later = time.time_ns() + 10 * RACY_NS  # the files were last changed long before that hashing
    hashed = report_hashes(reports, _manifest(reports, later))
    assert (set(hashed.hashes.values()), hashed.read) == ({"recorded-hash"}, 0)


def test_a_report_rewritten_with_the_same_size_is_hashed_again(reports):
    manifest = _manifest(reports, time.time_ns() + 10 * RACY_NS)
    met = next(r for r in reports if r.id == MET)
    path = met.files[0]
    text = path.read_bytes()
    time.sleep(0.05)  # past the filesystem clock's tick (a few ms), so the times do change
    path.write_bytes(text.replace(b"Metropolitan", b"Metropolitam", 1))  # same size, new content
    hashed = report_hashes(reports, manifest)
    assert (hashed.hashes[MET], hashed.read) == (files_hash(met.files), 1)


def test_a_report_changed_just_before_the_last_hashing_is_hashed_again(reports):
    # The previous build hashed the files one second after their last change: inside the window
    # in which a change could have kept their stat, so their recorded hash is not trusted.
    newest = max(max(os.stat(f).st_mtime_ns, os.stat(f).st_ctime_ns) for r in reports for f in r.files)
    hashed = report_hashes(reports, _manifest(reports, newest + RACY_NS // 2))
    assert (hashed.hashes, hashed.read) == ({r.id: files_hash(r.files) for r in reports}, 3)


def test_a_build_without_a_previous_manifest_hashes_every_report(reports):
    hashed = report_hashes(reports, {})
    assert (hashed.hashes, hashed.read) == ({r.id: files_hash(r.files) for r in reports}, 3)


def test_the_manifest_records_the_stat_of_every_reports_files_and_when_they_were_hashed(three_report_project):
    import json

    from click.testing import CliRunner

    from peelkg.cli import main

    before = time.time_ns()
    result = CliRunner().invoke(main, ["--project", str(three_report_project), "build", "-q"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((three_report_project / "build" / "manifest.json").read_text())
    project_reports = Project(three_report_project).reports()
    assert {k: v["stat"] for k, v in manifest["reports"].items()} == {
        r.id: stat_signature(r.files) for r in project_reports}
    assert before <= manifest["hashed_at"] <= time.time_ns()
