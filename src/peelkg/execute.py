"""What `peelkg query` does: pick the query, check and bind its parameters, run it, write it."""

from __future__ import annotations

from pathlib import Path

from .errors import UserError
from .project import Project
from .queries import Library, Resolver, StoredQuery, bind, load_query, parameters_used
from .run import lookup_on, open_store, run_local, write


def select_query(project: Project, name: str | None, query_file: Path | None) -> StoredQuery:
    if (name is None) == (query_file is None):
        raise UserError("Give either a stored query NAME or --file FILE (see `peelkg queries`).")
    if query_file is not None:
        if not query_file.is_file():
            raise UserError(f"{query_file}: no such file.")
        return load_query(query_file)
    return Library(project.queries_dir).get(name)


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


def execute(project: Project, build_dir: Path, name, query_file, given, fmt: str, endpoint: str | None = None) -> str:
    query = select_query(project, name, query_file)
    values = check_params(query, given)
    if endpoint:
        from .remote_run import run_remote_query

        return run_remote_query(endpoint, query, values, fmt)
    store = open_store(build_dir)
    # An ad-hoc query's ?_name without a header is bound as a plain string.
    bindings = Resolver(lookup_on(store)).resolve_all(query, values)
    result = run_local(store, bind(query.text, bindings))
    return write(result, fmt)
