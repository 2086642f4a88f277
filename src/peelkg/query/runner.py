"""What `peelkg query` does, whatever the engine: pick the query, check its parameters, resolve
and bind them, run it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import UserError
from ..project import Project
from .checks import check_syntax, refuse_service
from .engine import Engine, Result
from .library import Library, StoredQuery, load_query
from .binding import bind
from .params import Resolver
from .sparql import parameters_used


def select_query(project: Project, name: str | None, query_file: Path | None, *,
                 local: bool = True, known: Mapping[str, dict] | None = None) -> StoredQuery:
    """The stored or ad-hoc query asked for, its syntax checked (and, for the built graph, free
    of SERVICE), with errors naming its file. ``known``: headers the build parsed (query.library)."""
    if (name is None) == (query_file is None):
        raise UserError("Give either a stored query NAME or --file FILE (see `peelkg queries`).")
    if query_file is not None:
        if not query_file.is_file():
            raise UserError(f"{query_file}: no such file.")
        query = load_query(query_file)
    else:
        query = Library(project.queries_dir, known).get(name)
    if local:
        refuse_service(query.text, str(query.path))
    check_syntax(query.text, str(query.path))
    return query


def check_params(query: StoredQuery, given: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    declared = {p.name for p in query.params} | parameters_used(query.text)
    for key, value in given:
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise UserError(f"Query {query.name} has no parameter {key!r} (its parameters: {known}).")
        if key in values:
            raise UserError(f"Parameter {key!r} is given twice.")
        values[key] = value
    for param in query.params:
        if param.name not in values:
            if param.required:
                raise UserError(
                    f"Query {query.name} needs parameter {param.name} ({param.type}): "
                    f"add -p {param.name} VALUE."
                )
            values[param.name] = param.default
    undeclared = parameters_used(query.text) - {p.name for p in query.params} - set(values)
    if undeclared:
        raise UserError(f"Query {query.name} uses undeclared parameter(s) {', '.join(sorted(undeclared))}: "
                        "give them with -p or declare them in its #+ params header.")
    return values


def prepare(project: Project, name: str | None, query_file: Path | None,
            given: list[tuple[str, str]], *, local: bool = True,
            known: Mapping[str, dict] | None = None) -> tuple[StoredQuery, dict[str, str]]:
    """The query asked for and its parameter values, checked against what it declares."""
    query = select_query(project, name, query_file, local=local, known=known)
    return query, check_params(query, given)


def answer(engine: Engine, query: StoredQuery, values: dict[str, str], resolver: Resolver | None = None) -> Result:
    """Resolve ``values`` on ``engine`` (so a value is checked against the data queried), bind
    them and run ``query`` there: the one query path, for the built store and remote stores.
    A long-lived caller (the server) passes its own ``resolver`` on the same engine, so that
    the valid values are looked up once."""
    resolver = resolver or Resolver(engine.lookup)
    # Questions and grades are resolved in the context of the other parameters (a report's
    # cycle, a year); an ad-hoc query's ?_name without a header is a plain string.
    bindings = resolver.resolve_all(query, values)
    return engine.run(bind(query.text, bindings))
