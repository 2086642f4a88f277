"""The stored query library: `queries/NAME.rq` files with a grlc-style `#+` YAML header.

    #+ summary: The grade for each graded question of a report
    #+ description: ...
    #+ tags: [judgments, grades]
    #+ params:
    #+   report: {type: report, default: peel-2015-effectiveness-metropolitan, description: ...}

Parameters are the query's `?_name` variables; query.params checks, resolves and binds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

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


def parse_header(text: str, where: str) -> dict:
    header = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not header:
        return {}
    try:
        meta = yaml.safe_load("\n".join(h[1:] if h.startswith(" ") else h for h in header)) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{where}: the '#+' header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise UserError(f"{where}: the '#+' header must be 'key: value' lines.")
    return meta


def load_query(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    where = str(path)
    meta = parse_header(text, where)
    params = []
    for name, spec in (meta.get("params") or {}).items():
        spec = spec if isinstance(spec, dict) else {"type": spec}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise UserError(f"{where}: parameter {name} has unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}.")
        default = spec.get("default")
        params.append(Param(str(name), kind, str(spec.get("description", "")),
                            None if default is None else str(default), spec.get("class")))
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    return StoredQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(str(t) for t in tags),
        params=tuple(params),
        form=query_form(text),
    )


class Library:
    """The queries of a project's queries/ folder, by name."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.queries = {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}

    def get(self, name: str) -> StoredQuery:
        try:
            return self.queries[name]
        except KeyError:
            close = [n for n in self.queries if name in n or n in name]
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise UserError(f"No stored query named {name!r}.{hint} `peelkg queries` lists them all.") from None
