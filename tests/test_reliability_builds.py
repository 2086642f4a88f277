"""Builds and other writes under faults: a build killed at the switch, two builds at once, a
damaged store, a killed `add`, and output paths that are links, devices or missing folders.
Kills are planted in a child process at a chosen rename (peelkg_process)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from fixture_paths import KENT, REPORT_TTL, SOURCE
from peelkg.cli import main
from peelkg_process import KILL_AT_CALL, KILL_AT_RENAME, PAUSE_AT_RENAME, assert_clean_failure, run, start

pytestmark = pytest.mark.reliability

MET = "peel-2015-effectiveness-metropolitan"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _build(project: Path, *args: str, hook: str = ""):
    return run("--project", str(project), "build", "-q", *args, hook=hook)


def _in_use(project: Path) -> tuple[int, dict]:
    """The triples of the build in use and its manifest, read as a reader would."""
    build = project / "build"
    store = ox.Store.read_only(str(build / "store"))
    count = int(next(iter(store.query(COUNT)))["n"].value)
    return count, json.loads((build / "manifest.json").read_text())


def _drop_a_finding(project: Path) -> None:
    """Change the Met report so that a new build differs from the old one (one triple more)."""
    path = project / "data" / "reports" / MET / "findings-q2.ttl"
    path.write_text(path.read_text() + f"\n<https://w3id.org/peelkg/id/report/{MET}> "
                    "<http://www.w3.org/2000/01/rdf-schema#comment> \"changed\" .\n")


@pytest.fixture
def built_copy(project_copy) -> Path:
    assert _build(project_copy).returncode == 0
    return project_copy


def _change_and_kill(project: Path, target: str, when: str) -> tuple[int, dict]:
    """Change a report, kill the build at the rename onto ``target``; the build in use before."""
    before = _in_use(project)
    _drop_a_finding(project)
    assert _build(project, hook=KILL_AT_RENAME.format(target=target, when=when)).returncode == 137
    return before


def test_kill_just_before_the_switch_leaves_the_old_build(built_copy):
    before = _change_and_kill(built_copy, "current", "before")
    assert _in_use(built_copy) == before
    rebuilt = _build(built_copy)  # the next build reuses nothing stale and tidies up
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _in_use(built_copy)[0] == before[0] + 1  # the new triple, in the report's graph
    assert len(list((built_copy / "build" / "versions").iterdir())) == 2  # new and previous


def test_kill_just_after_the_switch_leaves_the_new_build_with_its_manifest(built_copy):
    before = _change_and_kill(built_copy, "current", "after")
    count, manifest = _in_use(built_copy)
    assert count == before[0] + 1
    assert manifest["reports"][MET]["hash"] != before[1]["reports"][MET]["hash"]
    again = run("--project", str(built_copy), "build")
    assert again.returncode == 0, again.stderr
    assert " (0 rebuilt, " in again.stdout  # store and manifest agree: nothing to rebuild
    assert _in_use(built_copy)[0] == count


def test_kill_while_writing_the_manifest_leaves_the_old_build(built_copy):
    before = _change_and_kill(built_copy, "manifest.json", "before")
    assert _in_use(built_copy) == before


def test_a_second_build_fails_clearly_while_the_first_writes(built_copy, tmp_path):
    before = _in_use(built_copy)
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = start("--project", str(built_copy), "build", "-q", "--full",
                  hook=PAUSE_AT_RENAME.format(target="current", ready=str(ready), go=str(go)))
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        second = _build(built_copy)
        assert_clean_failure(second, 2, f"Another `peelkg build` (process {first.pid}) is writing "
                                        f"{built_copy / 'build'}; nothing was changed.")
        assert _in_use(built_copy) == before  # the second build touched nothing
    finally:
        go.touch()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert _in_use(built_copy)[0] == before[0]


def test_damaged_store_is_reported_by_query_and_rebuilt_by_build(built_copy):
    store = (built_copy / "build" / "store").resolve()
    sst = sorted(store.glob("*.sst"))[0]
    os.truncate(sst, sst.stat().st_size // 2)
    query = run("--project", str(built_copy), "query", "grades-by-question")
    assert_clean_failure(query, 2, f"The built graph in {store} is damaged or incomplete",
                         "Run `peelkg build` to rebuild it")
    rebuilt = _build(built_copy)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert run("--project", str(built_copy), "query", "grades-by-question").returncode == 0


def test_missing_store_files_are_reported(built_copy):
    store = (built_copy / "build" / "store").resolve()
    (store / "CURRENT").unlink()
    result = run("--project", str(built_copy), "export", "--format", "nquads")
    assert_clean_failure(result, 2, "is damaged or incomplete")


def test_killed_add_leaves_nothing_a_build_loads_and_a_retry_works(project_copy):
    reports = project_copy / "data" / "reports"
    before = sorted(p.name for p in reports.iterdir())
    args = ("--project", str(project_copy), "add", str(REPORT_TTL.parent), "--source", str(SOURCE))
    killed = run(*args, hook=KILL_AT_CALL.format(function="rename"))  # as the report moves into place
    assert killed.returncode == 137
    assert sorted(p.name for p in reports.iterdir()) == before
    retry = run(*args)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert (reports / KENT / "report.ttl").read_bytes() == REPORT_TTL.read_bytes()
    assert list((project_copy / "data" / ".staging").iterdir()) == []


# -- Output files ----

def _cli(project, *args):
    return CliRunner().invoke(main, ["--project", str(project), *args])


def test_export_writes_through_a_symlink(built_copy, tmp_path):
    target = tmp_path / "real.nq"
    target.write_text("old")
    link = tmp_path / "link.nq"
    link.symlink_to(target)
    result = _cli(built_copy, "export", "--format", "nquads", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("<https://w3id.org/peelkg/id/")


def test_export_into_a_device_writes_into_it(built_copy):
    result = _cli(built_copy, "export", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", [["export"], ["catalogue"]])
def test_output_into_a_missing_folder(built_copy, tmp_path, command):
    missing = tmp_path / "nowhere" / "out.txt"
    result = _cli(built_copy, *command, "-o", str(missing))
    assert result.exit_code == 2
    assert f"error: Cannot write {missing}: the folder {missing.parent} does not exist." in result.output


@pytest.mark.parametrize("command", [["export"], ["catalogue"], ["new-report", "--force", "kent", "--year", "2015"]])
def test_output_into_an_unwritable_folder(built_copy, tmp_path, command):
    from peelkg_process import WITHOUT_ROOT_POWERS

    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "existing.ttl").write_text("old")
    os.chown(locked, 65534, 65534) if os.geteuid() == 0 else None
    locked.chmod(0o555)
    target = locked / ("sub" if command[0] == "new-report" else "existing.ttl")
    result = run("--project", str(built_copy), *command, "-o", str(target), prefix=WITHOUT_ROOT_POWERS)
    assert_clean_failure(result, 2, "Permission denied")
    assert (locked / "existing.ttl").read_text() == "old"
    assert sorted(p.name for p in locked.iterdir()) == ["existing.ttl"]


def test_every_store_file_is_on_disk_before_the_switch(tmp_path, monkeypatch):
    from peelkg.pipeline import publish as publishing

    version = publishing.new_version(tmp_path / "build")
    store = ox.Store(str(version / "store"))
    store.add(ox.Quad(ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p"), ox.Literal("x")))
    store.flush()
    del store
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("sync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(b))), real_replace(a, b))[1])
    publishing.publish(tmp_path / "build", version, {"reports": {}})
    switch = events.index(("replace", str(tmp_path / "build" / "current")))
    synced = {path for kind, path in events[:switch] if kind == "sync"}
    files = {str(p.resolve()) for p in (version / "store").rglob("*") if p.is_file()}
    assert files and files <= synced


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_workers_die_with_a_killed_build(project_copy):
    build = start("--project", str(project_copy), "build", "-q", "--full", "--jobs", "2")
    deadline = time.monotonic() + 120
    while len(workers := _children(build.pid)) < 2 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
    assert len(workers) >= 2, "the build never started its worker processes"
    os.kill(build.pid, 9)
    build.wait()
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:
        os.kill(w, 9)
    assert survivors == []
