"""Bounds on what one untrusted RDF file may cost to read.

A report folder may come from anyone (a volunteer's draft, a pull request), so a file must not be
able to exhaust the machine: an RDF/XML "billion laughs" (entities of entities) expands a few
hundred bytes into gigabytes, JSON-LD nested a few thousand objects deep overflows the parser's
stack (a segmentation fault, not an exception), and a huge file or literal runs out of memory.
Each bound is checked before or while the file is parsed and fails with the file's name, the
limit and the environment variable that changes it. The defaults are far above anything a PEEL
report needs (its largest file is about 60 kB, its longest literal about 400 characters).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)b?\s*$", re.IGNORECASE | re.ASCII)
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


@dataclass(frozen=True)
class Limit:
    """One bound: its environment variable, default and what it counts."""

    env: str
    default: int
    unit: str

    def value(self) -> int:
        """The bound in force: the environment variable's value (with an optional k, M or G
        suffix, powers of 1000), else the default."""
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return self.default
        match = _SIZE.match(raw)
        if not match:
            raise InputError(f"{self.env}={raw!r} is not a number: give a whole number, optionally with "
                             f"k, M or G (e.g. {self.env}=200M).")
        return int(match.group(1)) * _UNITS[match.group(2).lower()]

    def exceeded(self, path: Path, what: str) -> InputError:
        return InputError(
            f"{path}: {what}, more than the limit of {self.value():,} {self.unit} ({self.env}). "
            f"If the file is genuine, raise the limit (e.g. {self.env}={self.value() * 10} peelkg ...); "
            "otherwise do not load it."
        )


FILE_SIZE = Limit("PEELKG_MAX_FILE_SIZE", 64_000_000, "bytes")
LITERAL_SIZE = Limit("PEELKG_MAX_LITERAL_SIZE", 1_000_000, "characters")
JSONLD_DEPTH = Limit("PEELKG_MAX_JSONLD_DEPTH", 100, "levels")
ENTITY_EXPANSION = Limit("PEELKG_MAX_ENTITY_EXPANSION", 1_000_000, "characters")

ALL = (FILE_SIZE, LITERAL_SIZE, JSONLD_DEPTH, ENTITY_EXPANSION)


def check_file_size(path: Path, size: int) -> None:
    if size > FILE_SIZE.value():
        raise FILE_SIZE.exceeded(path, f"the file has {size:,} bytes")


# -- JSON-LD: nesting depth, counted on the text before the parser sees it ----

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def check_json_depth(path: Path, data: bytes) -> None:
    """Refuse JSON nested deeper than the limit (strings are skipped: a brace in a string is text)."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data))
    limit = JSONLD_DEPTH.value()
    if len(brackets) <= limit:  # too few brackets to be that deep: the usual case, no loop
        return
    depth = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            if depth > limit:
                line = _line_of_depth(data, limit + 1)
                raise JSONLD_DEPTH.exceeded(path, f"the JSON nests objects and arrays {limit + 1} deep "
                                            f"by line {line}")
        else:
            depth -= 1


def _line_of_depth(data: bytes, wanted: int) -> int:
    """The line where nesting first reaches ``wanted`` levels (only computed for the error)."""
    depth, in_string, escaped, line = 0, False, False, 1
    for byte in data:
        if byte == 0x0A:
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth >= wanted:
                return line
        elif byte in b"]}":
            depth -= 1
    return line


# -- RDF/XML: internal DTD entities, whose expansion is computed without expanding them ----

_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s%&;<>\"']+)\s+(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)")
_REFERENCE = re.compile(rb"&([^\s&;#<>\"']+);")
_SUBSET_END = re.compile(rb"\]\s*>")


def check_entity_expansion(path: Path, data: bytes) -> None:
    """Refuse an XML document whose entity references would expand to more than the limit.

    Each internal entity's expanded length is worked out from its declaration (entities may
    refer to entities: that is how a billion laughs grows), then multiplied by the number of
    references to it in the document; nothing is expanded to find out."""
    if b"<!ENTITY" not in data:
        return
    values: dict[bytes, bytes] = {}
    last_declaration = 0
    for match in _ENTITY_DECL.finditer(data):
        last_declaration = match.end()
        if match.group(1):  # a parameter entity (%name;): only meaningful inside the DTD
            continue
        value = match.group(3) if match.group(3) is not None else match.group(4)
        values.setdefault(match.group(2), value if value is not None else b"")
    limit = ENTITY_EXPANSION.value()
    lengths: dict[bytes, int] = {}

    def expanded(name: bytes, seen: tuple[bytes, ...]) -> int:
        if name in lengths:
            return lengths[name]
        if name in seen:
            raise InputError(f"{path}: the XML entity &{name.decode(errors='replace')}; refers to itself; "
                             "remove the loop from the DOCTYPE.")
        value = values[name]
        total = len(value)
        for ref in _REFERENCE.finditer(value):
            if ref.group(1) in values:
                total += expanded(ref.group(1), seen + (name,)) - len(ref.group(0))
            if total > limit:  # stop counting: the answer is already "too much"
                break
        lengths[name] = min(total, limit + 1)
        return lengths[name]

    subset_end = _SUBSET_END.search(data, last_declaration)
    body = data[subset_end.end():] if subset_end else data[last_declaration:]
    total = 0
    for ref in _REFERENCE.finditer(body):
        if ref.group(1) in values:
            total += expanded(ref.group(1), ())
            if total > limit:
                raise ENTITY_EXPANSION.exceeded(
                    path, f"its XML entities (&{ref.group(1).decode(errors='replace')}; and others) would expand "
                    f"to over {limit:,} characters, as in an entity expansion ('billion laughs') attack")


def check_literal_sizes(path: Path, triples) -> None:
    limit = LITERAL_SIZE.value()
    for triple in triples:
        value = getattr(triple.object, "value", "")
        if len(value) > limit and type(triple.object).__name__ == "Literal":
            raise LITERAL_SIZE.exceeded(path, f"a literal of {triple.subject} has {len(value):,} characters")
