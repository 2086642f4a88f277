"""The stored query library: `queries/NAME.rq` files with a grlc-style `#+` YAML header.

    #+ summary: The grade for each graded question of a report
    #+ description: ...
    #+ tags: [judgments, grades]
    #+ params:
    #+   report: {type: report, default: peel-2015-effectiveness-metropolitan, description: ...}

Parameters are the query's `?_name` variables; query.params resolves them and query.binding binds them.

`peelkg build` keeps every stored query's parsed header in the build, keyed by the header's exact
text (``known_headers``; pipeline.publish.read_query_headers reads it back): `peelkg query` then
takes the header from there and does not import PyYAML (13 ms of a ~100 ms command). A header
that differs by one character from the one the build saw is parsed again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from .sparql import query_form

QUERY_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PARAM_TYPES = ("report", "force", "grade", "question", "year", "string", "integer", "iri", "entity", "subject")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    cls: str | None = None  # for type iri: the class its value must be an instance of

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def example(self) -> str:
        args = "".join(f" -p {p.name} {_shell_quote(p.default)}" for p in self.params if p.default is not None)
        return f"peelkg query {self.name}{args}"


def _shell_quote(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_.:/-]+", value) else "'" + value.replace("'", "'\\''") + "'"


def _header_lines(text: str) -> tuple[list[int], str]:
    """The line numbers of the '#+' lines and the YAML they hold."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("#+")]
    if not lines:
        return [], ""
    source = text.splitlines()
    header = [source[n - 1][2:] for n in lines]
    return lines, "\n".join(h[1:] if h.startswith(" ") else h for h in header)


def parse_header(text: str, where: str, known: Mapping[str, dict] | None = None) -> dict:
    """The '#+' header of a query's ``text`` as a dict; ``known``: headers already parsed, by
    their YAML text (``known_headers``)."""
    lines, source = _header_lines(text)
    if not lines:
        return {}
    if known is not None and isinstance(known.get(source), dict):
        return known[source]
    import yaml

    # libyaml's safe loader where PyYAML was built with it: the pure-Python one takes ~8 ms a header.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        meta = yaml.load(source, Loader=loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = lines[min(mark.line, len(lines) - 1)] if mark is not None else lines[0]
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{where}:{line}: the '#+' header is not valid YAML ({problem}). "
                        "Write it as '#+ key: value' lines (see docs/queries.md).") from None
    if not isinstance(meta, dict):
        raise UserError(f"{where}:{lines[0]}: the '#+' header must be 'key: value' lines, not {meta!r}.")
    return meta


def known_headers(folder: Path) -> dict[str, dict]:
    """The parsed header of every stored query in ``folder`` whose header parses, by its YAML
    text; only headers that JSON keeps exactly (no dates, say), as the build stores them in JSON."""
    import json

    known = {}
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_bytes().decode("utf-8")
            lines, source = _header_lines(text)
            meta = parse_header(text, str(path)) if lines else None
        except (OSError, UnicodeDecodeError, UserError):
            continue  # `peelkg query` reports it when the query is asked for
        if meta is None:
            continue
        try:
            kept = json.loads(json.dumps(meta))
        except (TypeError, ValueError):
            continue  # a value JSON cannot hold (a date)
        if kept == meta:
            known[source] = meta
    return known


def _header_error(where: str, what: str) -> UserError:
    return UserError(f"{where}: in the '#+' header, {what}. See the headers of the stored queries in "
                     "queries/ for examples.")


def _scalar(value, where: str, what: str) -> str | None:
    if value is None or isinstance(value, (str, int, float, bool)):
        return None if value is None else str(value)
    raise _header_error(where, f"{what} must be a single value, not {value!r}")


def _params(meta: dict, where: str) -> list[Param]:
    specs = meta.get("params") or {}
    if not isinstance(specs, dict):
        raise _header_error(where, f"params must map each parameter name to its type or to "
                                   f"{{type: ..., default: ..., description: ...}}, not {specs!r}")
    params = []
    for name, spec in specs.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise _header_error(where, f"{name!r} is not a parameter name (letters, digits and _ only)")
        spec = spec if isinstance(spec, dict) else {"type": spec}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise UserError(f"{where}: parameter {name} has unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}.")
        params.append(Param(name, kind, _scalar(spec.get("description"), where, f"{name}'s description") or "",
                            _scalar(spec.get("default"), where, f"{name}'s default"),
                            _scalar(spec.get("class"), where, f"{name}'s class")))
    return params


def _tags(meta: dict, where: str) -> tuple[str, ...]:
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        raise _header_error(where, f"tags must be a list such as [judgments, grades], not {tags!r}")
    return tuple(str(t) for t in tags)


def load_query(path: Path, known: Mapping[str, dict] | None = None) -> StoredQuery:
    """The stored query in ``path``; ``known``: headers already parsed (parse_header)."""
    where = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{where}:{line}: not UTF-8 text (the byte {exc.object[exc.start]:#04x} at offset "
                        f"{exc.start}); save the file as UTF-8.") from None
    except OSError as exc:
        raise UserError(f"{where}: cannot read: {exc.strerror or exc}.") from None
    meta = parse_header(text, where, known)
    return StoredQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=(_scalar(meta.get("summary"), where, "summary") or "").strip(),
        description=(_scalar(meta.get("description"), where, "description") or "").strip(),
        tags=_tags(meta, where),
        params=tuple(_params(meta, where)),
        form=query_form(text, where),
    )


class Library:
    """The queries of a project's queries/ folder, by name.

    Every file is read (and its header parsed) on the first use of ``queries`` or ``broken``;
    ``get`` before that reads only the one file asked for, so that `peelkg query NAME` does not
    parse the whole library."""

    def __init__(self, folder: Path, known: Mapping[str, dict] | None = None):
        """``known``: headers already parsed, by their text (the build's, see the module's doc)."""
        self.folder = folder
        self.known = known
        self._queries: dict[str, StoredQuery] | None = None
        self._broken: dict[str, UserError] = {}  # one bad file must not hide the others

    def _paths(self) -> dict[str, Path]:
        return {path.stem: path for path in sorted(self.folder.glob("*.rq"))}

    def _load_all(self) -> None:
        if self._queries is None:
            self._queries = {}
            for name, path in self._paths().items():
                try:
                    self._queries[name] = load_query(path, self.known)
                except UserError as exc:
                    self._broken[name] = exc

    @property
    def queries(self) -> dict[str, StoredQuery]:
        self._load_all()
        return self._queries

    @property
    def broken(self) -> dict[str, UserError]:
        self._load_all()
        return self._broken

    def get(self, name: str) -> StoredQuery:
        if self._queries is not None:
            if name in self._broken:
                raise self._broken[name]
            if name in self._queries:
                return self._queries[name]
            names = list(self._queries) + list(self._broken)
        else:
            # The name is looked up among the folder's files, never joined to a path.
            paths = self._paths()
            if name in paths:
                return load_query(paths[name], self.known)
            names = list(paths)
        close = [n for n in names if name in n or n in name]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UserError(f"No stored query named {name!r}.{hint} `peelkg queries` lists them all.")
