"""Where a peelkg project keeps its parts, and the list of reports in it.

A project is a folder with ontology/, data/reference/, data/reports/<report-id>/, data/sources/,
shapes/ and queries/. The CLI finds it from --project, the PEELKG_PROJECT environment variable,
the current folder or its parents, or else the checkout the package was installed from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, UserError
from .rdf.io import RDF_SUFFIXES, folder_entries, readable_file



def _is_project(folder: Path) -> bool:
    return (folder / "ontology").is_dir() and (folder / "data" / "reports").is_dir()


def find_root(explicit: str | os.PathLike | None = None) -> Path:
    if explicit is not None:
        root = Path(explicit).resolve()
        if not _is_project(root):
            raise UserError(
                f"{root} is not a peelkg project: it needs ontology/ and data/reports/ folders."
            )
        return root
    env = os.environ.get("PEELKG_PROJECT")
    if env:
        return find_root(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if _is_project(checkout):
        return checkout
    raise UserError(
        "No peelkg project found: run inside a project folder, or give --project DIR "
        "or set PEELKG_PROJECT."
    )


@dataclass(frozen=True)
class Report:
    """One report: a folder of RDF files forming one named graph."""

    id: str
    folder: Path

    @property
    def files(self) -> list[Path]:
        return [readable_file(p) for p in folder_entries(self.folder) if p.suffix in RDF_SUFFIXES]


def files_hash(paths: list[Path]) -> str:
    import hashlib  # here, not at the top: `peelkg query` never hashes, and hashlib costs it ~3 ms

    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}. Make the file readable "
                             "(or remove it), then run the command again.") from None
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike | None = None) -> "Project":
        return cls(find_root(explicit))

    @property
    def ontology_files(self) -> list[Path]:
        return sorted((self.root / "ontology").glob("*.ttl"))

    @property
    def reference_files(self) -> list[Path]:
        return sorted((self.root / "data" / "reference").glob("*.ttl"))

    @property
    def shapes_files(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def sources_dir(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def reports_dir(self) -> Path:
        return self.root / "data" / "reports"

    def reports(self) -> list[Report]:
        reports = []
        for folder in folder_entries(self.reports_dir):
            if folder.is_symlink() and not folder.exists():
                raise InputError(f"{folder}: a symbolic link that leads nowhere (its target is missing, or it "
                                 "loops back to itself); point it at a report folder or remove it.")
            if folder.is_dir() and any(p.suffix in RDF_SUFFIXES for p in folder_entries(folder)):
                reports.append(Report(folder.name, folder))
        return reports

    def default_build_dir(self) -> Path:
        return self.root / "build"

    def base_hash(self) -> str:
        """Hash of everything every report's reasoning and validation depends on, including
        peelkg's own code (a fix to the validator must re-validate every report)."""
        code = sorted(Path(__file__).resolve().parent.rglob("*.py"))  # every sub-package too
        return files_hash(self.ontology_files + self.reference_files + self.shapes_files + code)
