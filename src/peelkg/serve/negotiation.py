"""Content negotiation: the Accept header (or a format the URL names) to one of our formats."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as in `peelkg query --format`, or a graph format of ``run.GRAPH_FORMATS``
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))
RESULTS = (  # SELECT and ASK answers, best first when the client does not mind
    Format("json", "application/sparql-results+json", "json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)
GRAPHS = (  # CONSTRUCT and DESCRIBE answers, and resource descriptions
    Format("turtle", "text/turtle", "ttl", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml")),
)


class NotAcceptable(Exception):
    def __init__(self, offered: tuple[Format, ...]):
        super().__init__("None of the formats you accept can be given here. Available: "
                         + ", ".join(f.media_type for f in offered) + ".")
        self.offered = offered


class UnknownFormat(Exception):
    """?format= names none of the offered formats (HTTP 400)."""

    def __init__(self, named: str, offered: tuple[Format, ...]):
        super().__init__(f"Unknown format {named!r}; use one of {', '.join(f.name for f in offered)}.")


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header; no header is */*."""
    entries = []
    for position, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        entries.append((media, q, position))
    return entries


def _quality(fmt: Format, entries) -> tuple[float, int, int]:
    """How much the client wants ``fmt``: (q, specificity, -position) of the best matching range."""
    best = (0.0, -1, 0)
    for media, q, position in entries:
        for index, name in enumerate((fmt.media_type, *fmt.aliases)):
            major = name.split("/")[0]
            if media == name:
                specificity = 3 if index == 0 else 2
            elif media == f"{major}/*":
                specificity = 1
            elif media == "*/*":
                specificity = 0
            else:
                continue
            candidate = (q, specificity, -position)
            # a more specific range decides (RFC 9110: text/csv;q=0 beats */*)
            if specificity > best[1] or (specificity == best[1] and candidate > best):
                best = candidate
    return best


def choose(accept: str | None, offered: tuple[Format, ...]) -> Format:
    """The offered format the client prefers; ties go to the earlier offer. Raises NotAcceptable."""
    entries = parse_accept(accept)
    scored = [(_quality(f, entries), -i, f) for i, f in enumerate(offered)]
    scored = [s for s in scored if s[0][0] > 0]
    if not scored:
        raise NotAcceptable(offered)
    return max(scored, key=lambda s: (s[0][0], s[1]))[2]


def by_name(name: str, offered: tuple[Format, ...]) -> Format | None:
    """The offered format called ``name`` or with suffix ``name`` (as in ?format=csv or NAME.csv)."""
    name = name.lower()
    return next((f for f in offered if name in (f.name, f.suffix)), None)


def negotiate(named: str | None, accept: str | None, offered: tuple[Format, ...]) -> Format:
    """The format the URL names (``?format=``, by name or suffix), else the one the Accept header
    prefers. Raises UnknownFormat or NotAcceptable."""
    if named:
        fmt = by_name(named, offered)
        if fmt is None:
            raise UnknownFormat(named, offered)
        return fmt
    return choose(accept, offered)
