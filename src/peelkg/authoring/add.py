"""`peelkg add`: copy a validated report into data/reports/<report-id>/, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import RefusedError
from ..pipeline.context import load_base
from ..project import Project
from ..rdf.io import RDF_SUFFIXES, format_for, read_many, rdf_files
from ..rdf.vocab import peel
from ..validation.report import Outcome
from ..validation.validator import Validator


@dataclass
class Added:
    report_id: str
    folder: Path
    files: list[Path]
    source: Path | None
    outcome: Outcome


def add_report(project: Project, paths: list[Path], source: Path | None = None) -> tuple[Outcome, Added | None]:
    """Validate ``paths`` as one report; if it conforms, copy it into data/reports/<report-id>/
    (and ``source`` into data/sources/). Returns the outcome and what was added (None when the
    report does not conform: then nothing is written)."""
    outcome = Validator(project, load_base(project)).validate(paths, source=source)
    if not outcome.conforms():
        return outcome, None
    if len(outcome.reports) != 1 or "/" in outcome.reports[0] or ":" in outcome.reports[0]:
        raise RefusedError("The report's IRI must be report:<report-id> (https://w3id.org/peelkg/id/report/<id>) "
                           "to be added; nothing was written.")
    report_id = outcome.reports[0]
    files = rdf_files(paths)
    destination = project.reports_dir / report_id
    if destination.exists():
        raise RefusedError(f"{destination} already exists; `peelkg add` never replaces a report. Nothing was "
                           "written. Remove the folder first if you mean to replace it.")
    names: dict[str, Path] = {}
    for f in files:
        # A file named .json or .xml goes in under its format's own suffix, the one a report folder is read by.
        name = f.name if f.suffix.lower() in RDF_SUFFIXES else f"{f.stem}.{format_for(f).file_extension}"
        if name in names:
            raise RefusedError(f"Two input files are both named {name}; rename one. Nothing was written.")
        names[name] = f
    source_target = None
    if source is not None:
        source = Path(source)
        source_target = project.sources_dir / _source_name(paths, source)
        if source_target.exists() and source_target.resolve() != source.resolve() \
                and source_target.read_bytes() != source.read_bytes():
            raise RefusedError(f"{source_target} already exists with other content; nothing was written.")
    project.reports_dir.mkdir(parents=True, exist_ok=True)
    copied_source = None
    staging = _staging_folder(project, report_id)
    try:
        report_stage = staging / "report"
        report_stage.mkdir()
        for name, f in names.items():
            shutil.copyfile(f, report_stage / name)
        if source_target is not None and not source_target.exists():
            source_target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / "source")
            os.link(staging / "source", source_target)  # appears whole, and never replaces a file
            copied_source = source_target
        os.rename(report_stage, destination)  # the report appears whole, or not at all
    except BaseException:
        if copied_source is not None:
            copied_source.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcome, Added(report_id, destination, sorted(destination / n for n in names), source_target, outcome)


STAGING = Path("data") / ".staging"


def _staging_folder(project: Project, report_id: str) -> Path:
    """A fresh folder to assemble the report in, outside data/reports (so a killed `add` leaves
    nothing a build would load, and nothing in the way of a retry) but on the same file system
    (so the report moves into place with one rename). Folders that killed runs left are removed."""
    root = project.root / STAGING
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.iterdir():
        pid = stale.name.rsplit(".", 2)[-2] if stale.name.count(".") >= 2 else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{report_id}.{os.getpid()}.", dir=root))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _source_name(paths: list[Path], source: Path) -> str:
    """The name the report gives its source text (peel:fileName), else the file's own name."""
    triples = read_many(rdf_files(paths))
    names = sorted({t.object.value for t in triples
                    if t.predicate == peel("fileName") and isinstance(t.object, ox.Literal)})
    return names[0] if len(names) == 1 else source.name
