"""Binding parameter values into query text: by a VALUES block, never by pasting text.

A parameter's term (query.params resolves a command-line value into one) is bound with a VALUES
block placed first in the outer WHERE group (and in each subquery and UNION branch that uses it):
the standard SPARQL 1.1 way to pre-bind a variable, which every store runs the same way
(pyoxigraph's own substitution refuses variables that are not projected, and a remote store only
takes query text). The value never enters the query as text:
only the serialisation of a checked RDF term does (``term_to_sparql``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import BindingError, UnbindableTerm
from ..rdf.names import IRI_FORBIDDEN
from ..rdf.vocab import XSD_NS
from .sparql import WHERE, closing_brace, find_form, mask, opening_brace, variables


_XSD_STRING = XSD_NS + "string"
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_VARIABLE_NAME = re.compile(r"^\w+$")
_UNION = re.compile(r"(?<![?$:\w])UNION(?![\w:])", re.IGNORECASE)
_SUBSELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def term_to_sparql(term) -> str:
    """The SPARQL serialisation of a checked RDF term (IRI or literal, pyoxigraph's or rdflib's),
    in a form no value can break out of: IRIs are refused if they hold a character that ends an
    IRIREF, literals are written short-quoted with every special character escaped (rdflib's
    ``Literal.n3()`` uses the long form for multi-line text and mis-escapes a trailing backslash
    before a quote)."""
    if not isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        term = _from_rdflib(term)
    if isinstance(term, ox.NamedNode):
        if IRI_FORBIDDEN.search(term.value):
            raise BindingError(f"{term.value!r} is not a valid IRI.")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        escaped = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            if not _LANG_TAG.match(term.language):
                raise BindingError(f"{term.language!r} is not a valid language tag.")
            return f'"{escaped}"@{term.language}'
        if term.datatype.value != _XSD_STRING:
            return f'"{escaped}"^^{term_to_sparql(term.datatype)}'
        return f'"{escaped}"'
    raise UnbindableTerm(f"cannot bind {term!r}: only IRIs and literals can be parameters.")


def _from_rdflib(term):
    """An rdflib term (a caller working on rdflib graphs binds one) as pyoxigraph's, through the
    one bridge; imported only then, so the query path itself never loads rdflib."""
    from ..rdf.bridge import term_from_rdflib

    try:
        return term_from_rdflib(term)
    except TypeError:
        raise UnbindableTerm(f"cannot bind {term!r}: only IRIs and literals can be parameters.") from None


def bind(query: str, bindings: Mapping[str, object]) -> str:
    """``query`` with its parameters bound by VALUES blocks: one first in the outer WHERE group
    with every binding, and one first in each subquery's WHERE group for the parameters that
    subquery uses. (A subquery does not see the outer VALUES unless it projects the variable,
    so without its own block it would, say, count the statements of every report.)

    The blocks go inside the groups, not after the query (SPARQL's trailing VALUES clause):
    there they are joined with the pattern before grouping, ordering and LIMIT, as a parameter
    should be, and Virtuoso 7, which mis-applies a trailing VALUES, runs them correctly too.
    Each branch of a UNION that uses a parameter gets a block too. pyoxigraph does not push the
    outer block into the branches: it would evaluate a branch for every value of the variable
    (every report, every entity) and join afterwards (timeline, 430 generated reports: 6.3 ->
    1.2 ms). Where the branch matches the parameter in a pattern the rows are the same, since a
    join distributes over UNION; a branch that only filters on it now sees its value, as its
    author means (with the outer block alone the variable is unbound inside the branch).

    This is peelkg's one binding mechanism, for the built store and remote endpoints alike.
    Names may be given with or without their leading ``?``."""
    if not bindings:
        return query
    masked = mask(query)
    mentioned = variables(masked)
    terms: dict[str, str] = {}
    for name, term in bindings.items():
        bare = name[1:] if name[:1] in "?$" else name
        if not _VARIABLE_NAME.match(bare):
            raise BindingError(f"invalid variable name: {name!r}")
        if bare not in mentioned:
            raise BindingError(f"variable ?{bare} does not occur in the query")
        terms[bare] = term_to_sparql(term)
    outer = _outer_group(masked)
    inserts: list[tuple[int, list[str]]] = [(outer, sorted(terms))]
    starts = {match.end() for match in WHERE.finditer(masked) if match.end() > outer}
    starts |= {start for start in _union_branches(masked) if start > outer}
    for start in starts:
        group = masked[start: closing_brace(masked, start - 1)]
        used = sorted(n for n in terms if re.search(rf"[?$]{re.escape(n)}\b", group))
        if used:
            inserts.append((start, used))
    for position, names in sorted(inserts, reverse=True):
        values = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
                  + " ".join(terms[n] for n in names) + ") } ")
        query = query[:position] + values + query[position:]
    return query


def _union_branches(masked: str) -> set[int]:
    """The offsets just inside the ``{`` of every group that is a branch of a UNION, except a
    branch that is a subquery (``{ SELECT ... }`` holds nothing else; its own WHERE group gets
    the block)."""
    starts = set()
    for match in _UNION.finditer(masked):
        before = masked[:match.start()].rstrip()
        after = len(masked) - len(masked[match.end():].lstrip())
        if before.endswith("}"):
            starts.add(opening_brace(masked, len(before) - 1) + 1)
        if masked[after:after + 1] == "{":
            starts.add(after + 1)
    return {start for start in starts if start > 0 and not _SUBSELECT.match(masked, start)}


def _outer_group(masked: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group (the keyword WHERE is
    optional in SPARQL), skipping a CONSTRUCT template and braces inside SELECT expressions."""
    form = find_form(masked)
    if form is None:
        raise BindingError("cannot find SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    position = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        rest = masked[position:]
        if not rest.lstrip().startswith("{"):
            raise BindingError("bindings cannot be placed in the short form 'CONSTRUCT WHERE { ... }'; "
                               "write 'CONSTRUCT { template } WHERE { pattern }'")
        position = closing_brace(masked, position + len(rest) - len(rest.lstrip())) + 1
    parens = 0
    for index in range(position, len(masked)):
        char = masked[index]
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{" and parens == 0:
            return index + 1
    raise BindingError("cannot find the WHERE group of the query to bind its parameters in")
