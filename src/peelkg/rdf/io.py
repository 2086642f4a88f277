"""Reading RDF files with clear errors.

pyoxigraph parses about ten times faster than rdflib and reports syntax errors with line and
column, so every file is parsed with it. (rdf.bridge converts to rdflib where a library needs it.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

# The one RDF format table: pyoxigraph's formats, by the names the CLI uses (export --format).
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# The suffixes of the files a report folder is made of: each format's own (pyoxigraph's), and
# .owl, the usual name of an ontology in RDF/XML (OWL 2's one required exchange syntax).
RDF_SUFFIXES = {"." + fmt.file_extension for fmt in FORMATS.values()} | {".owl"}
# Read too when a file is named, but not picked out of a folder: .json and .xml need not be RDF.
_SUFFIX_FORMATS = {"." + fmt.file_extension: fmt for fmt in FORMATS.values()} | {
    ".owl": ox.RdfFormat.RDF_XML, ".json": ox.RdfFormat.JSON_LD, ".xml": ox.RdfFormat.RDF_XML}


def format_for(path: Path) -> ox.RdfFormat:
    """The format of an RDF file, from its suffix."""
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise InputError(
            f"{path}: unknown RDF format '{path.suffix or '(no suffix)'}'; "
            f"use one of the suffixes {known}."
        ) from None


def read_triples(path: Path) -> list[ox.Triple]:
    """All triples of an RDF file (for quad formats, the triples of every graph)."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(path)
        raise InputError(f"{where}: syntax error: {exc.msg}. Fix the {fmt.name} syntax there.") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def read_many(paths: Iterable[Path]) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(read_triples(path))
    return triples


def rdf_files(paths: Sequence[Path | str]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders as all their RDF files."""
    if not paths:
        raise InputError("Give at least one file or report folder to validate.")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)
            if not found:
                raise InputError(
                    f"{path}: no RDF files in this folder (looked for {', '.join(sorted(RDF_SUFFIXES))})."
                )
            files.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file or folder.")
        else:
            files.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
