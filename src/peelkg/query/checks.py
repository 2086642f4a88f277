"""What every local query is checked for before it runs: no SERVICE (a local query never reaches
the network), and SPARQL syntax, with an error that names the file, line and column.

pyoxigraph would send a SERVICE clause's pattern to whatever URL the query names (SILENT hides a
failure, not the request), so peelkg refuses the keyword itself; a query for another server runs
there with `peelkg query --endpoint URL`.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import UserError
from .sparql import service_position


class ServiceRefused(UserError):
    """A local query with a SERVICE clause (exit code 2)."""


def refuse_service(text: str, where: str = "the query") -> None:
    position = service_position(text)
    if position is not None:
        line, column = position
        raise ServiceRefused(
            f"{where}:{line}:{column}: SERVICE is refused: it would send part of the query to another "
            "server, and peelkg never lets a query on the built graph reach the network (SILENT too). "
            "Remove the SERVICE clause, or run the query on that server with --endpoint URL."
        )


def check_syntax(text: str, where: str) -> None:
    """Raise a UserError naming ``where``, line and column if ``text`` is not valid SPARQL."""
    try:
        ox.Store().query(text)  # parsed against an empty in-memory store: nothing to evaluate
    except SyntaxError as exc:
        raise UserError(syntax_message(text, where, exc.msg)) from None


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def syntax_message(text: str, where: str, message: str) -> str:
    """pyoxigraph places an error where its parser gave up looking, often the end of the file;
    rdflib's parser (only run for the error) stops at the token that does not fit, so its line
    and column are given when it fails too, with the text found there."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    detail = _OXIGRAPH_POSITION.sub("", message)
    try:
        parseQuery(text)
    except ParseException as exc:
        found = text.splitlines()[exc.lineno - 1].strip() if exc.lineno <= len(text.splitlines()) else ""
        near = f" near {found[:60]!r}" if found else " at the end of the query"
        return f"{where}:{exc.lineno}:{exc.col}: SPARQL syntax error{near}. Fix the SPARQL syntax there."
    except Exception:  # rdflib cannot say better: fall back to pyoxigraph's own position
        pass
    match = _OXIGRAPH_POSITION.match(message)
    position = f":{match.group(1)}:{match.group(2)}" if match else ""
    return f"{where}{position}: SPARQL syntax error: {detail}. Fix the SPARQL syntax there."
