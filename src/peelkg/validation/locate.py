"""Where a node is written in the input files: the file and line a problem points at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..rdf.io import format_for
from ..rdf.vocab import TYPE


_TURTLE_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_FIRST_TERM = re.compile(r"^\s*(?:<([^<>\s]*)>|([A-Za-z][\w.-]*)?:((?:\\.|[^\s;,()\[\]\"'<>#])*))")
_JSONLD_ID = re.compile(r'"@id"\s*:\s*"([^"]+)"')
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_COMMENT = re.compile(r"\s#[^\"'<>]*$")


def _format(path: Path) -> ox.RdfFormat | None:
    try:
        return format_for(path)
    except InputError:
        return None


def _code(line: str) -> str:
    """A line without its trailing comment."""
    return _COMMENT.sub("", line)


class SourceFile:
    """One input file's text: its prefixes, and the line where each subject is written."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []
        self.jsonld = _format(path) == ox.RdfFormat.JSON_LD
        self.prefixes: dict[str, str] = self._jsonld_prefixes() if self.jsonld else self._turtle_prefixes()
        self.subject_lines: dict[str, int] = {}
        self.statement_starts: list[tuple[int, str]] = []  # (line, subject) of every Turtle statement
        if self.jsonld:
            self._index_jsonld()
        else:
            self._index_turtle()

    def _turtle_prefixes(self) -> dict[str, str]:
        found = {}
        for line in self.lines:
            m = _TURTLE_PREFIX.match(line)
            if m:
                found[m.group(1) or ""] = m.group(2)
        return found

    def _jsonld_prefixes(self) -> dict[str, str]:
        try:
            data = json.loads("\n".join(self.lines))
        except ValueError:
            return {}
        contexts = []
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict):
                ctx = node.get("@context")
                contexts.extend(ctx if isinstance(ctx, list) else [ctx])
        found = {}
        for ctx in contexts:
            if isinstance(ctx, dict):
                for key, value in ctx.items():
                    if isinstance(value, str) and value.endswith(("/", "#")) and not key.startswith("@"):
                        found[key] = value
        return found

    def expand(self, prefix: str | None, local: str) -> str | None:
        namespace = self.prefixes.get(prefix or "")
        if namespace is None:
            return None
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local).rstrip(".")

    def _index_turtle(self) -> None:
        at_start = True
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if at_start and not _TURTLE_PREFIX.match(line):
                m = _FIRST_TERM.match(line)
                if m:
                    iri = m.group(1) if m.group(1) is not None else self.expand(m.group(2), m.group(3))
                    if iri:
                        self.subject_lines.setdefault(iri, number)
                        self.statement_starts.append((number, iri))
            code = _code(stripped).rstrip()
            at_start = code.endswith((".", "{", "}"))

    def _index_jsonld(self) -> None:
        definitions: dict[str, int] = {}
        references: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            for m in _JSONLD_ID.finditer(line):
                value = m.group(1)
                prefix, _, local = value.partition(":")
                iri = self.expand(prefix, local) if local and not local.startswith("//") else value
                iri = iri or value
                # A node object goes on after its "@id" ("@id": "x", ...); a reference does not.
                rest = line[m.end():].strip()
                (definitions if rest.startswith(",") else references).setdefault(iri, number)
        self.subject_lines = {**references, **definitions}

    def _patterns(self, iri: str) -> list[re.Pattern]:
        """How ``iri`` can be written here: in full or with one of the file's prefixes."""
        forms = [f"<{iri}>", f'"{iri}"']
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        patterns = [re.compile(r"(?<![\w:/-])" + re.escape(f) + r"(?![\w/-])") for f in forms]
        if iri == TYPE.value:
            patterns.append(re.compile(r"(?<![\w:/\"'-])a(?![\w:/-])"))
        return patterns

    def mention_line(self, iri: str) -> int | None:
        """The first line that mentions ``iri``, written in full or with one of the prefixes."""
        patterns = self._patterns(iri)
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("#"):
                continue
            if any(p.search(line) for p in patterns):
                return number
        return None

    def statement_line(self, subject: str, predicate: str, value: str | None = None) -> int | None:
        """The line where the statement ``subject predicate [value]`` is written: within the
        subject's statements, the line that names the predicate, the one that also shows the
        value if several do. None in JSON-LD, or when the statement is not written (a missing
        value), so that the problem is placed at its subject instead."""
        starts = self.statement_starts
        blocks = [(line, starts[i + 1][0] if i + 1 < len(starts) else len(self.lines) + 1)
                  for i, (line, iri) in enumerate(starts) if iri == subject]
        predicate_patterns = self._patterns(predicate)
        shown = [] if value is None else [value, value.rpartition(":")[2]]
        candidates = [number for first, end in blocks for number in range(first, end)
                      if any(p.search(_code(self.lines[number - 1])) for p in predicate_patterns)]
        with_value = [n for n in candidates if any(v and v in self.lines[n - 1] for v in shown)]
        return (with_value or candidates or [None])[0]


class Locator:
    """Finds the file and line where a node is written, across the input files."""

    def __init__(self, files: list[Path]):
        self.files = [SourceFile(f, _display(f)) for f in files]

    def statement(self, subject: str, predicate: str, value: str | None) -> tuple[str | None, int | None]:
        """The file and line of the statement a problem is about (see SourceFile.statement_line)."""
        for f in self.files:
            line = f.statement_line(subject, predicate, value)
            if line:
                return f.display, line
        return None, None

    def locate(self, iri: str) -> tuple[str | None, int | None]:
        for f in self.files:
            line = f.subject_lines.get(iri)
            if line:
                return f.display, line
        for f in self.files:
            line = f.mention_line(iri)
            if line:
                return f.display, line
        return None, None

    def prefixes(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for f in self.files:
            for prefix, namespace in f.prefixes.items():
                if prefix:
                    merged.setdefault(prefix, namespace)
        return merged


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
