"""Jinja2 templates with autoescaping on for every page (labels come from data and may hold markup)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

from rdflib import URIRef
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..rdf.vocab import ID
from ..rdf.names import compact

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_href(iri) -> str:
    """The server's own URL for an IRI: /id/... for peelkg resources, /def#Term for ontology
    terms, else the IRI itself (an external link)."""
    text = str(iri)
    if not text.startswith(("http://", "https://")):
        return ""  # never a link to javascript:, data: or a relative path taken from the data
    if text.startswith(str(ID)):
        return "/id/" + quote(text[len(str(ID)):], safe="/-._~:@!$&'()*+,;=")
    if text.startswith("https://w3id.org/peelkg/def#"):
        return "/def#" + text.split("#", 1)[1]
    if text == "https://w3id.org/peelkg/def":
        return "/def"
    return text


def evidence_href(iri) -> str:
    return local_href(iri) + "#quote"


# Links are made in Python rather than Jinja macros: a report page has about two thousand, and a
# macro call costs several times a function call. Every part is escaped with markupsafe.


def link(iri, label=None) -> Markup:
    """A link to ``iri`` (its page here, or the IRI itself), showing ``label`` or the short IRI."""
    text = compact(str(iri)) if label is None else label
    target = local_href(iri)
    if not target:
        return escape(text if label is not None else iri)
    return Markup('<a href="{}">{}</a>').format(target, text)


def term(value) -> Markup:
    """A result cell: an IRI as a link, a literal as its text."""
    if value is None:
        return Markup("")
    if isinstance(value, URIRef):
        return link(value)
    return escape(value)


def quote_link(evidence, what) -> Markup:
    """The link from a statement to the evidence view of its quote."""
    if evidence is None:
        return Markup("")
    return Markup(' <a class="quote-link" href="{}" aria-label="The report\'s words: {}">quote</a>').format(
        evidence_href(evidence), what)


env.filters["href"] = local_href
env.filters["compact"] = lambda iri: compact(str(iri))
env.filters["urlencode_pairs"] = lambda pairs: urlencode(list(pairs))
env.globals.update(evidence_href=evidence_href, link=link, term=term, quote_link=quote_link)
env.tests["iri"] = lambda value: isinstance(value, URIRef)


def render(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)
