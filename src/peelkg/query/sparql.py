"""The one SPARQL lexer peelkg needs: comments, IRIs and strings masked out, so that the query
form, the ``?_name`` parameters, keywords and braces are only ever found in real syntax.

(A ``#`` inside ``<...def#inspectedForce>`` or ``"#"`` is not a comment; a ``?_x`` in a comment is
not a parameter. Masking keeps offsets, so positions found in the masked text hold in the query.)
"""

from __future__ import annotations

import re

from ..errors import UserError

# Comments, IRIs and strings (short and long): blanked out before looking for syntax.
_OPAQUE = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\x00-\x20]*>'
    r'|"""(?:"{0,2}(?:[^"\\]|\\.))*"""' r"|'''(?:'{0,2}(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
)
# After masking, a prologue is PREFIX name: and BASE keywords with blanks where the IRIs were
# (an IRI the mask leaves, one with a character IRIREF forbids, is skipped as written).
_FORM = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*(?:<[^>\n]*>)?\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
                   re.IGNORECASE)
_VARIABLE = re.compile(r"[?$](\w+)")
_PARAMETER = re.compile(r"[?$]_([A-Za-z0-9_]+)")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_KEYWORD = re.compile(r"(?<![?$:\w])([A-Za-z]+)(?![\w:])")


def mask(query: str) -> str:
    """The query with comments, IRIs and strings blanked out, offsets unchanged."""
    return _OPAQUE.sub(lambda m: " " * len(m.group()), query)


def keywords(query: str) -> set[str]:
    """The bare words of a query outside comments, IRIs and strings, upper-cased: its
    keywords (and function names), not its variables or prefixed names. Used to tell an
    update (INSERT, LOAD ...) or a federated query (SERVICE) from a read-only query."""
    return {m.group(1).upper() for m in _KEYWORD.finditer(mask(query))}


def find_form(masked: str) -> re.Match | None:
    """The query form keyword (group 1) of a masked query, or None."""
    return _FORM.match(masked)


def query_form(text: str, where: str = "The query") -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    match = find_form(mask(text))
    if not match:
        raise UserError(f"{where}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query (peelkg runs no updates).")
    return match.group(1).upper()


def variables(masked: str) -> set[str]:
    """The names of every variable of a masked query (without ``?``)."""
    return {m.group(1) for m in _VARIABLE.finditer(masked)}


def parameters_used(text: str) -> set[str]:
    """The query's parameters: its ``?_name`` variables, as names without ``?_``."""
    return {m.group(1) for m in _PARAMETER.finditer(mask(text))}


def _matching_brace(masked: str, start: int, step: int) -> int | None:
    """The offset of the brace that matches the one at ``start``, scanning forward (step 1, from a
    ``{``) or backward (step -1, from a ``}``); None if no brace does."""
    own, other = ("{", "}") if step > 0 else ("}", "{")
    depth = 0
    for index in range(start, len(masked) if step > 0 else -1, step):
        if masked[index] == own:
            depth += 1
        elif masked[index] == other:
            depth -= 1
            if depth == 0:
                return index
    return None


def closing_brace(masked: str, opening: int) -> int:
    """The offset of the ``}`` that closes the ``{`` at ``opening`` (the end if none does)."""
    found = _matching_brace(masked, opening, 1)
    return len(masked) if found is None else found


def opening_brace(masked: str, closing: int) -> int:
    """The offset of the ``{`` that the ``}`` at ``closing`` closes (-1 if none does)."""
    found = _matching_brace(masked, closing, -1)
    return -1 if found is None else found


# SERVICE as a keyword: not a variable (?service), a prefixed name (ex:service, service:x), a
# language tag (@service) or part of a longer word. A '.' before it is allowed ("?o .SERVICE"
# is valid syntax), at the price of refusing a name like ex:a.service.
_SERVICE = re.compile(r"(?<![\w?$:@-])SERVICE(?![\w:-])", re.IGNORECASE)


def service_position(text: str) -> tuple[int, int] | None:
    """(line, column) of the first SERVICE keyword in the query's real syntax, or None."""
    match = _SERVICE.search(mask(text))
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
