"""Push named graphs to, and query, a remote SPARQL store.

Two entry points:

``push_graphs``
    Replaces named graphs in a remote store (tested against Virtuoso 7.2.5)
    and verifies the triple count of each.  The data goes over the SPARQL 1.1
    Graph Store HTTP Protocol (``mode="gsp"``, one ``PUT ?graph=`` per graph)
    or over SPARQL 1.1 Update only (``mode="update"``, chunked ``INSERT
    DATA``).

``remote_select``
    Runs a stored SELECT / ASK / CONSTRUCT / DESCRIBE query against a remote
    endpoint with SPARQLWrapper, with parameter values injected as an inline
    ``VALUES`` block, and returns rdflib terms.

How graphs are replaced
-----------------------
Virtuoso offers no atomicity over HTTP: a Graph Store ``PUT`` clears the
graph first and then loads row by row, so a body that fails to parse half way
leaves a partial graph (and concurrent readers see partial counts); a
multi-operation SPARQL Update request is not rolled back when a later
operation fails.  ``push_graphs`` therefore works in two phases:

1. *Stage*: every graph is loaded into its own fresh temporary graph
   (``urn:peelkg:tmp:<uuid>``) and the temporary graph's triple count is
   checked against the expected count.  If any graph fails to load or
   verify, all temporary graphs are dropped and ``RemoteError`` is raised:
   no target graph has been touched (every graph is "fully old").
2. *Swap*: each target graph is replaced by one single-operation
   ``MOVE <tmp> TO <graph>`` request, then its count is checked again.  The
   swap runs entirely on the server with already-validated data.  Virtuoso
   does not make even a ``MOVE`` atomic for concurrent readers or across a
   server crash, so if a swap fails the graph is staged and moved again
   (``swap_retries``); if that fails too, ``RemoteError`` names the graph
   that may be incomplete.  A failed ``MOVE`` is never blindly re-sent:
   ``MOVE`` from an empty source *clears* the target in Virtuoso.

Credentials are passed in by the caller (the CLI reads ``PEELKG_USER`` /
``PEELKG_PASSWORD``) and never appear in exceptions or log messages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Iterable, Literal as TypingLiteral, Mapping, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import UserError
from .query.params import bind, term_to_sparql
from .rdf.bridge import term_to_rdflib

__all__ = [
    "RemoteError",
    "PushResult",
    "SelectResult",
    "push_graphs",
    "remote_select",
]

log = logging.getLogger(__name__)

TMP_GRAPH_PREFIX = "urn:peelkg:tmp:"
_TURTLE_PREAMBLE = b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
_ERROR_EXCERPT = 500


class RemoteError(UserError):
    """A remote store request failed or a graph did not verify (the message
    never contains the password)."""


def _iri_ref(iri: str) -> str:
    """``<iri>`` for a graph name in a query or update (checked by the one serialiser)."""
    if not iri:
        raise ValueError("an empty graph IRI")
    return term_to_sparql(URIRef(iri))


# ---------------------------------------------------------------------------
# HTTP with preemptive digest / basic authentication
# ---------------------------------------------------------------------------


def _redact_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"***@{host}")
    return urllib.parse.urlunsplit(parts)


class _Http:
    """Minimal HTTP client for the store.

    Digest authentication is done preemptively: the challenge is fetched with
    a small unauthenticated GET before the first request that carries a body,
    because Virtuoso answers an unauthenticated request with ``401`` and
    ``Connection: close`` without reading the body, which turns a large PUT
    into a "connection reset" before urllib's HTTPDigestAuthHandler can retry.
    """

    def __init__(self, user, password, auth, timeout):
        if auth not in ("digest", "basic"):
            raise ValueError(f"auth must be 'digest' or 'basic', not {auth!r}")
        if (user is None) != (password is None):
            raise ValueError("give both user and password, or neither")
        self.user = user
        self._password = password
        self.auth = auth
        self.timeout = timeout
        # no auth handlers: authentication is done here
        self._opener = urllib.request.build_opener()
        self._challenges: dict[tuple[str, str, str], dict | None] = {}
        self._nc = 0

    # -- messages ----------------------------------------------------------
    def scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _fail(self, what: str, detail: str) -> RemoteError:
        return RemoteError(self.scrub(f"{what} failed: {detail}"))

    # -- authentication ------------------------------------------------------
    @staticmethod
    def _key(url: str) -> tuple[str, str, str]:
        p = urllib.parse.urlsplit(url)
        return (p.scheme, p.netloc, p.path)

    @staticmethod
    def _parse_challenge(headers) -> dict | None:
        for value in headers.get_all("WWW-Authenticate") or []:
            scheme, _, rest = value.strip().partition(" ")
            if scheme.lower() == "digest":
                items = urllib.request.parse_http_list(rest)
                return urllib.request.parse_keqv_list(items)
        return None

    def _probe(self, url: str) -> None:
        """Fetch the digest challenge for url's path (cached)."""
        key = self._key(url)
        if key in self._challenges:
            return
        chal = None
        try:
            with self._opener.open(
                urllib.request.Request(url, method="GET"), timeout=self.timeout
            ) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            e.read()
            if e.code == 401:
                chal = self._parse_challenge(e.headers)
        except (urllib.error.URLError, OSError):
            pass  # the real request will report the problem
        self._challenges[key] = chal

    def _digest_header(self, method: str, url: str, chal: dict) -> str:
        algorithm = chal.get("algorithm", "MD5")
        base_alg = algorithm.upper().removesuffix("-SESS")
        hashers = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
        if base_alg not in hashers:
            raise RemoteError(f"unsupported digest algorithm {algorithm!r}")

        def h(s: str) -> str:
            return hashers[base_alg](s.encode("utf-8")).hexdigest()

        realm, nonce = chal.get("realm", ""), chal.get("nonce", "")
        p = urllib.parse.urlsplit(url)
        uri = (p.path or "/") + (f"?{p.query}" if p.query else "")
        self._nc += 1
        nc = f"{self._nc:08x}"
        cnonce = os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self._password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
        fields = [
            f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"',
            f'uri="{uri}"', f"algorithm={algorithm}",
        ]
        if "auth" in qops:
            response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        elif not qops:
            response = h(f"{ha1}:{nonce}:{ha2}")
        else:
            raise RemoteError(f"unsupported digest qop {chal.get('qop')!r}")
        fields.append(f'response="{response}"')
        if "opaque" in chal:
            fields.append(f'opaque="{chal["opaque"]}"')
        return "Digest " + ", ".join(fields)

    def _auth_header(self, method: str, url: str) -> str | None:
        if self.user is None:
            return None
        if self.auth == "basic":
            token = base64.b64encode(f"{self.user}:{self._password}".encode()).decode()
            return f"Basic {token}"
        chal = self._challenges.get(self._key(url))
        return self._digest_header(method, url, chal) if chal else None

    # -- requests --------------------------------------------------------------
    def request(self, method: str, url: str, *, what: str, data: bytes | None = None,
                headers: Mapping[str, str] | None = None,
                retry_unsent: bool = True) -> bytes:
        """Send one request; return the body.  ``retry_unsent``: the request
        may be re-sent after a connection reset (only safe for idempotent
        requests).  It is always re-sent after a 401 that carried a fresh
        challenge, since the server then did not execute it."""
        if self.user is not None and self.auth == "digest":
            self._probe(url)
        for attempt in range(2):
            hdrs = dict(headers or {})
            auth = self._auth_header(method, url)
            if auth:
                hdrs["Authorization"] = auth
            req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
            try:
                with self._opener.open(req, timeout=self.timeout) as resp:
                    return resp.read()
            except urllib.error.HTTPError as e:
                body = e.read()
                if e.code == 401 and self.user is not None and attempt == 0:
                    chal = self._parse_challenge(e.headers)
                    if self.auth == "digest" and chal:
                        self._challenges[self._key(url)] = chal  # stale nonce
                        continue
                if e.code == 401:
                    raise self._fail(
                        what,
                        f"HTTP 401 Unauthorized from {_redact_url(url)} "
                        + ("(check the user name and password)" if self.user
                           else "(credentials required)"),
                    ) from None
                raise self._fail(
                    what, f"HTTP {e.code} {e.reason} from {_redact_url(url)}: "
                    f"{_excerpt(body)}"
                ) from None
            except (urllib.error.URLError, OSError) as e:
                reason = getattr(e, "reason", e)
                if attempt == 0 and retry_unsent and isinstance(
                    reason, (ConnectionResetError, BrokenPipeError)
                ):
                    self._challenges.pop(self._key(url), None)
                    if self.user is not None and self.auth == "digest":
                        self._probe(url)
                    continue
                raise self._fail(
                    what, f"no answer from {_redact_url(url)}: {reason}"
                ) from None
        raise self._fail(what, f"no response from {_redact_url(url)}")

    def query_json(self, url: str, query: str, *, what: str) -> dict:
        body = self.request(
            "POST", url, what=what,
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        try:
            return json.loads(body)
        except ValueError:
            raise self._fail(what, f"not a SPARQL JSON result: {_excerpt(body)}") from None

    def update(self, url: str, update: str, *, what: str, retry_unsent: bool) -> None:
        self.request(
            "POST", url, what=what, retry_unsent=retry_unsent,
            data=urllib.parse.urlencode({"update": update}).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, */*;q=0.1",
            },
        )


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    # Virtuoso wraps some errors in HTML; strip the tags but not IRIs
    text = re.sub(r"(?i)<!DOCTYPE[^>]*>|</?(?:html|head|body|title|h[1-6]|xmp|pre|p|br|div)\b[^>]*>",
                  " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > _ERROR_EXCERPT:
        text = text[:_ERROR_EXCERPT] + "..."
    return text


# ---------------------------------------------------------------------------
# push_graphs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    graph: str
    triples: int


class _Pusher:
    def __init__(self, http: _Http, gsp_url, sparql_url, update_url, mode,
                 chunk_size, content_type):
        self.http = http
        self.gsp_url = gsp_url
        self.sparql_url = sparql_url
        self.update_url = update_url
        self.mode = mode
        self.chunk_size = chunk_size
        self.content_type = content_type

    def count(self, graph: str, target: str | None = None) -> int:
        what = f"counting the triples of graph <{target or graph}>"
        if target and target != graph:
            what += f" (temporary graph <{graph}>)"
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri_ref(graph)} {{ ?s ?p ?o }} }}"
        res = self.http.query_json(self.sparql_url, q, what=what)
        try:
            return int(res["results"]["bindings"][0]["n"]["value"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise RemoteError(f"{what}: unexpected result {str(res)[:200]}") from None

    def drop(self, graph: str, *, quiet: bool = False) -> None:
        try:
            self.http.update(self.update_url, f"DROP SILENT GRAPH {_iri_ref(graph)}",
                             what=f"dropping <{graph}>", retry_unsent=True)
        except RemoteError:
            if not quiet:
                raise
            log.warning("could not drop temporary graph <%s>", graph)

    def load(self, graph: str, ntriples: bytes, target: str) -> None:
        """Load into ``graph`` (a temporary graph) the data for ``target``."""
        what = f"uploading the data of graph <{target}> (temporary graph <{graph}>)"
        if self.mode == "gsp":
            sep = "&" if "?" in self.gsp_url else "?"
            url = self.gsp_url + sep + urllib.parse.urlencode({"graph": graph})
            body = ntriples
            if "turtle" in self.content_type:
                # N-Triples is Turtle.  The @prefix line matters to Virtuoso,
                # which ignores Content-Type and sniffs the body: a body
                # starting with fewer than three short lines before a long
                # one (a literal over ~64 KB) is taken for text/plain and
                # rejected; a leading @prefix makes it Turtle at once.
                body = _TURTLE_PREAMBLE + ntriples.removeprefix(b"\xef\xbb\xbf")
            self.http.request(
                "PUT", url, what=what, data=body,
                headers={"Content-Type": self.content_type},
            )
        else:
            iri = _iri_ref(graph)
            for chunk, has_bnodes in _ntriples_chunks(ntriples, self.chunk_size):
                block = f"GRAPH {iri} {{\n{chunk}\n}}"
                # Virtuoso refuses blank nodes in INSERT DATA ("not allowed in
                # a constant clause"); an INSERT template with an empty WHERE
                # is the standard equivalent (one solution: one fresh bnode
                # per label).
                op = (f"INSERT {{ {block} }} WHERE {{ }}" if has_bnodes
                      else f"INSERT DATA {{ {block} }}")
                self.http.update(self.update_url, op, what=what, retry_unsent=False)

    def stage(self, graph: str, ntriples: bytes, expected: int) -> str:
        """Load into a fresh temporary graph and verify it; return its IRI."""
        tmp = f"{TMP_GRAPH_PREFIX}{uuid.uuid4()}"
        try:
            if expected or ntriples.strip():
                self.load(tmp, ntriples, graph)
            actual = self.count(tmp, graph)
            if actual != expected:
                raise RemoteError(
                    f"graph <{graph}>: expected {expected} triples, but the remote "
                    f"store holds {actual} after loading (temporary graph <{tmp}>); "
                    "the graph was not replaced"
                )
        except BaseException:
            self.drop(tmp, quiet=True)
            raise
        return tmp

    def swap(self, graph: str, tmp: str, expected: int) -> int:
        if expected == 0:
            op = f"DROP SILENT GRAPH {_iri_ref(graph)}"
        else:
            op = f"MOVE {_iri_ref(tmp)} TO {_iri_ref(graph)}"
        error = None
        try:
            # never re-sent: a second MOVE of the (now empty) source would
            # clear the target in Virtuoso
            self.http.update(self.update_url, op, what=f"replacing graph <{graph}>",
                             retry_unsent=False)
        except RemoteError as e:
            error = e  # it may still have completed: check the counts
        actual = self.count(graph)
        if actual != expected:
            detail = f" ({error})" if error else ""
            raise RemoteError(
                f"graph <{graph}>: expected {expected} triples, but the remote "
                f"store holds {actual} after replacing it{detail}"
            )
        if error is not None or expected == 0:
            self.drop(tmp, quiet=True)
        return actual


def _ntriples_chunks(ntriples: bytes, chunk_size: int) -> Iterable[tuple[str, bool]]:
    """Parse N-Triples and yield (SPARQL triple block, has blank nodes) for
    blocks of about chunk_size triples.  Triples sharing a blank node (directly or through other blank
    nodes) go in the same chunk: each INSERT DATA request has its own blank
    node scope."""
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as e:
        raise RemoteError(f"invalid N-Triples data: {e}") from None

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for t in triples:
        bnodes = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for b in bnodes:
            parent.setdefault(b, b)
        if len(bnodes) == 2:
            ra, rb = find(bnodes[0]), find(bnodes[1])
            if ra != rb:
                parent[ra] = rb

    bnode_ids: dict[str, str] = {}
    groups: dict[object, list[str]] = {}
    for i, t in enumerate(triples):
        b = next((n.value for n in (t.subject, t.object)
                  if isinstance(n, ox.BlankNode)), None)
        key = ("b", find(b)) if b is not None else ("t", i)
        groups.setdefault(key, []).append(_ox_triple(t, bnode_ids))

    chunk: list[str] = []
    has_bnodes = False
    for key, lines in groups.items():
        if chunk and len(chunk) + len(lines) > chunk_size:
            yield "\n".join(chunk), has_bnodes
            chunk, has_bnodes = [], False
        chunk.extend(lines)
        has_bnodes = has_bnodes or key[0] == "b"
    if chunk:
        yield "\n".join(chunk), has_bnodes


def _ox_term(term, bnode_ids: dict[str, str]) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        # relabel: N-Triples labels may contain characters SPARQL does not allow
        return bnode_ids.setdefault(term.value, f"_:b{len(bnode_ids)}")
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term_to_sparql(term_to_rdflib(term))
    raise RemoteError(f"unsupported RDF term in N-Triples data: {term!r}")


def _ox_triple(t, bnode_ids: dict[str, str]) -> str:
    return " ".join(_ox_term(x, bnode_ids) for x in (t.subject, t.predicate, t.object)) + " ."


def push_graphs(
    graphs: Iterable[tuple[str, bytes, int]],
    *,
    gsp_url: str | None = None,
    sparql_url: str,
    update_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: TypingLiteral["digest", "basic"] = "digest",
    timeout: float = 600.0,
    mode: TypingLiteral["gsp", "update"] = "gsp",
    chunk_size: int = 1000,
    content_type: str = "text/turtle",
    swap_retries: int = 1,
) -> list[PushResult]:
    """Replace named graphs in a remote store and verify their triple counts.

    ``graphs``: iterable of ``(graph_iri, ntriples_bytes, expected_count)``.
    ``gsp_url``: Graph Store Protocol endpoint (Virtuoso:
    ``http://host:8890/sparql-graph-crud-auth``); required for ``mode="gsp"``.
    ``sparql_url``: query endpoint used for the count checks (Virtuoso:
    ``/sparql``; give ``/sparql-auth`` if graph-level security hides the
    graphs from anonymous readers).  ``update_url``: SPARQL Update endpoint for ``MOVE`` /
    ``DROP`` / ``INSERT DATA`` (Virtuoso: ``/sparql-auth``); defaults to
    ``sparql_url``.  ``mode="update"`` loads with chunked ``INSERT DATA``
    instead of ``PUT``.  ``timeout`` is per HTTP request, in seconds.

    All graphs are first staged in temporary graphs and verified; only then
    are the targets replaced (see the module docstring).  Raises
    ``RemoteError`` on any failure; the message names the graph and, for a
    count mismatch, the expected and actual counts.  Returns one
    ``PushResult`` per graph.
    """
    if mode not in ("gsp", "update"):
        raise ValueError(f"mode must be 'gsp' or 'update', not {mode!r}")
    if mode == "gsp" and not gsp_url:
        raise ValueError("mode='gsp' needs gsp_url")
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    http = _Http(user, password, auth, timeout)
    pusher = _Pusher(http, gsp_url, sparql_url, update_url or sparql_url, mode,
                     chunk_size, content_type)

    items = []
    seen = set()
    for graph, data, expected in graphs:
        _iri_ref(graph)
        if graph.startswith(TMP_GRAPH_PREFIX):
            raise ValueError(f"graph IRI uses the reserved prefix {TMP_GRAPH_PREFIX}")
        if graph in seen:
            raise ValueError(f"graph <{graph}> given twice")
        if not isinstance(expected, int) or expected < 0:
            raise ValueError(f"graph <{graph}>: invalid expected count {expected!r}")
        seen.add(graph)
        items.append((graph, bytes(data), expected))

    # Phase 1: stage and verify everything; nothing visible has changed yet.
    staged: list[tuple[str, bytes, int, str]] = []
    try:
        for graph, data, expected in items:
            tmp = pusher.stage(graph, data, expected)
            staged.append((graph, data, expected, tmp))
            log.info("staged <%s>: %d triples verified", graph, expected)
    except BaseException:
        for *_, tmp in staged:
            pusher.drop(tmp, quiet=True)
        raise

    # Phase 2: swap each graph in.
    results = []
    for n, (graph, data, expected, tmp) in enumerate(staged):
        try:
            for attempt in range(swap_retries + 1):
                try:
                    if attempt:
                        tmp = pusher.stage(graph, data, expected)
                    actual = pusher.swap(graph, tmp, expected)
                    break
                except RemoteError as e:
                    pusher.drop(tmp, quiet=True)
                    if attempt >= swap_retries:
                        raise RemoteError(
                            f"{e}; graph <{graph}> may be incomplete: push it again"
                        ) from None
                    log.warning("replacing <%s> failed, staging it again: %s", graph, e)
        except BaseException:
            pusher.drop(tmp, quiet=True)
            for *_, later_tmp in staged[n + 1:]:
                pusher.drop(later_tmp, quiet=True)
            raise
        log.info("replaced <%s>: %d triples", graph, actual)
        results.append(PushResult(graph, actual))
    return results


# ---------------------------------------------------------------------------
# remote_select
# ---------------------------------------------------------------------------


class SelectResult(NamedTuple):
    vars: list[str]
    rows: list[dict[str, Identifier]]


def _json_term(b: dict) -> Identifier:
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = b.get("xml:lang")
        dt = b.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if dt and dt != str(XSD.string):
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    raise RemoteError(f"unknown term type in SPARQL JSON results: {kind!r}")


def remote_select(
    sparql_url: str,
    query: str,
    bindings: Mapping[str, Identifier] | None = None,
    timeout: float = 60.0,
    *,
    user: str | None = None,
    password: str | None = None,
    auth: TypingLiteral["digest", "basic"] = "digest",
) -> SelectResult | bool | Graph:
    """Run ``query`` on a remote endpoint, with ``bindings`` (variable name ->
    rdflib URIRef/Literal) bound by ``peelkg.queries.bind``, the same VALUES placement as for
    the built store.

    Returns ``SelectResult(vars, rows)`` for SELECT (rows are dicts of the
    bound variables), ``bool`` for ASK, an rdflib ``Graph`` for CONSTRUCT /
    DESCRIBE.  Plain literals come back as ``Literal(value)`` (no
    ``xsd:string`` datatype).  Raises ``RemoteError`` if the request fails.
    """
    from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper

    text = bind(query, bindings or {})
    sw = SPARQLWrapper(sparql_url)
    sw.setMethod(POST)
    sw.setOnlyConneg(True)
    sw.setTimeout(max(1, int(round(timeout))))
    if user is not None:
        sw.setHTTPAuth(DIGEST if auth == "digest" else BASIC)
        sw.setCredentials(user, password)
    sw.setQuery(text)
    qtype = sw.queryType
    graph_result = qtype in ("CONSTRUCT", "DESCRIBE")
    sw.setReturnFormat(TURTLE if graph_result else JSON)

    def fail(detail: str) -> RemoteError:
        if password:
            detail = detail.replace(password, "***")
        return RemoteError(f"query on {_redact_url(sparql_url)} failed: {detail}")

    try:
        result = sw.query()
        raw = result.response.read()
    except Exception as e:  # SPARQLWrapper and urllib errors
        detail = f"{type(e).__name__}: {e}"
        raise fail(detail[: _ERROR_EXCERPT * 2]) from None

    if graph_result:
        g = Graph()
        try:
            g.parse(data=raw, format="turtle")
        except Exception as e:
            raise fail(f"cannot parse the RDF result: {e}") from None
        return g
    try:
        data = json.loads(raw)
    except ValueError:
        raise fail(f"not a SPARQL JSON result: {_excerpt(raw)}") from None
    if "boolean" in data:
        return bool(data["boolean"])
    variables = list(data.get("head", {}).get("vars", []))
    rows = [
        {var: _json_term(b) for var, b in row.items()}
        for row in data.get("results", {}).get("bindings", [])
    ]
    return SelectResult(variables, rows)
