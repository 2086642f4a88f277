"""The evidence view: the page of the report's text on which a quote stands, with the quote
highlighted (a <mark> the reader can jump to), and the statement it supports."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from ..validation.sourcetext import SourceText, normalise
from .templating import render


@lru_cache(maxsize=64)
def _source(path: Path) -> SourceText | None:
    return SourceText.from_file(path) if path.is_file() else None


def highlight(text: SourceText, quote: str, page: int | None) -> dict:
    """The page's text cut into before / quote / after (the parts are escaped by the template)."""
    found = text.find(quote)
    page = found.page if found is not None else page
    if page is None or not 1 <= page <= text.page_count:
        return {"page": page, "found": False, "before": "", "quote": "", "after": ""}
    start, end = text.page_span(page)
    body = text.normalised[start:end]
    if found is None or not start <= found.offset < end:
        return {"page": page, "found": False, "before": body, "quote": "", "after": ""}
    at = found.offset - start
    length = len(normalise(quote))
    return {"page": page, "found": True, "before": body[:at], "quote": body[at:at + length],
            "after": body[at + length:]}


def page_context(graph, iri: str) -> dict:
    rows = graph.rows("evidence-view", evidence=iri)
    row = rows[0] if rows else {}
    quote = str(row.get("quote") or "")
    page = int(row["page"]) if row.get("page") is not None else None
    source = None
    if row.get("fileName") is not None:
        name = Path(str(row["fileName"])).name  # a file name from the data, never a path
        source = _source(graph.config.project.sources_dir / name)
    view = highlight(source, quote, page) if source is not None and quote else None
    return {"iri": iri, "row": row, "quote": quote, "page": page, "view": view,
            "page_count": source.page_count if source is not None else None}


def render_page(request: Request, graph, iri: str, label) -> Response:
    return render(request, "evidence.html", page_context(graph, iri))
