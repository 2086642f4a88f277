"""Where a node is written in the input files: the file and line a problem points at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from ..rdf.io import FORMATS


_TURTLE_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_FIRST_TERM = re.compile(r"^\s*(?:<([^<>\s]*)>|([A-Za-z][\w.-]*)?:((?:\\.|[^\s;,()\[\]\"'<>#])*))")
_JSONLD_ID = re.compile(r'"@id"\s*:\s*"([^"]+)"')
_LOCAL_ESCAPE = re.compile(r"\\(.)")


class SourceFile:
    """One input file's text: its prefixes, and the line where each subject is written."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []
        self.jsonld = FORMATS.get(path.suffix.lower()) == ox.RdfFormat.JSON_LD
        self.prefixes: dict[str, str] = self._jsonld_prefixes() if self.jsonld else self._turtle_prefixes()
        self.subject_lines: dict[str, int] = {}
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
            code = re.sub(r"\s#[^\"'<>]*$", "", stripped).rstrip()
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

    def mention_line(self, iri: str) -> int | None:
        """The first line that mentions ``iri``, written in full or with one of the prefixes."""
        forms = [f"<{iri}>", f'"{iri}"']
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        patterns = [re.compile(r"(?<![\w:/-])" + re.escape(f) + r"(?![\w/-])") for f in forms]
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("#"):
                continue
            if any(p.search(line) for p in patterns):
                return number
        return None


class Locator:
    """Finds the file and line where a node is written, across the input files."""

    def __init__(self, files: list[Path]):
        self.files = [SourceFile(f, _display(f)) for f in files]

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

