"""Reading RDF files with clear errors.

pyoxigraph parses about ten times faster than rdflib and reports syntax errors with line and
column, so every file is parsed with it. (rdf.bridge converts to rdflib where a library needs it.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from . import limits

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
    """All triples of an RDF file (for quad formats, the triples of every graph), within the
    bounds of rdf.limits."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file." if not path.is_symlink() else
                         f"{path}: a symbolic link to nothing (or to itself); point it at a file or remove it.")
    try:
        size = path.stat().st_size
        limits.check_file_size(path, size)
        data = None
        if fmt in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):  # checked before the parser sees them
            data = path.read_bytes()
            if fmt == ox.RdfFormat.JSON_LD:
                limits.check_json_depth(path, data)
            else:
                limits.check_entity_expansion(path, data)
        quads = ox.parse(data, format=fmt) if data is not None else ox.parse(path=str(path), format=fmt)
        triples = [q.triple for q in quads]
    except SyntaxError as exc:
        raise InputError(_syntax_message(path, fmt, exc)) from None
    except MemoryError:
        raise InputError(f"{path}: ran out of memory reading this file ({size:,} bytes). "
                         f"Lower {limits.FILE_SIZE.env} or {limits.LITERAL_SIZE.env} to refuse such files "
                         "early, or split the file.") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}."
                         ) from None
    if size > limits.LITERAL_SIZE.value():  # a smaller file cannot hold a longer literal
        limits.check_literal_sizes(path, triples)
    return triples


_BOM = b"\xef\xbb\xbf"


def _syntax_message(path: Path, fmt: ox.RdfFormat, exc: SyntaxError) -> str:
    with open(path, "rb") as handle:
        starts_with_bom = handle.read(3) == _BOM
    if starts_with_bom and fmt != ox.RdfFormat.RDF_XML:
        return (f"{path}:1:1: the file starts with a byte order mark (U+FEFF, invisible in most editors), "
                f"which {fmt.name} does not allow. Save the file as UTF-8 without BOM.")
    line, column = exc.lineno, exc.offset
    if line is None and fmt == ox.RdfFormat.RDF_XML:
        line, column = _xml_position(path, exc.msg)
    where = f"{path}:{line}:{column}" if line else str(path)
    return f"{where}: syntax error: {exc.msg}. Fix the {fmt.name} syntax there."


def _xml_position(path: Path, message: str) -> tuple[int | None, int | None]:
    """Where an RDF/XML error is (pyoxigraph's RDF/XML errors carry no position): the position
    expat gives for an XML error, else the first line holding the name or value the message
    quotes between backticks."""
    from xml.parsers import expat

    data = path.read_bytes()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        return err.lineno, err.offset + 1
    text = data.decode("utf-8", errors="replace")
    for quoted in re.findall(r"`([^`]+)`", message):
        for candidate in (quoted, quoted.strip("<>/")):
            index = text.find(candidate)
            if index >= 0 and candidate:
                line = text.count("\n", 0, index) + 1
                return line, index - (text.rfind("\n", 0, index) + 1) + 1
    return None, None


def read_many(paths: Iterable[Path]) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(read_triples(path))
    return triples


def folder_entries(folder: Path) -> list[Path]:
    """The entries of a folder, sorted, without hidden ones (.name: editors', tools' leftovers)."""
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise InputError(f"{folder}: cannot list this folder: {exc.strerror or exc}.") from None


def readable_file(path: Path) -> Path:
    """``path`` if it is a file (or a link to one); else an error that says what it is instead."""
    if path.is_symlink() and not path.exists():
        raise InputError(f"{path}: a symbolic link that leads nowhere (its target is missing, or it loops "
                         "back to itself); point it at a file or remove it.")
    if path.is_dir():
        raise InputError(f"{path}: a folder, but its name ends in {path.suffix} like an RDF file; report folders "
                         "hold RDF files only: rename or move it.")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file (a device, pipe or socket); replace it with the RDF file.")
    return path


def rdf_files(paths: Sequence[Path | str]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders as all their RDF files."""
    if not paths:
        raise InputError("Give at least one file or report folder to validate.")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = [readable_file(p) for p in folder_entries(path) if p.suffix.lower() in RDF_SUFFIXES]
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
