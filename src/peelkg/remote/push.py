"""Replace named graphs in a remote store, verified by content, and say honestly what happened.

No store offers a transaction over HTTP across several requests (a Virtuoso Graph Store PUT
clears the graph and then loads row by row, so a body that fails half way leaves a partial
graph), so a push works in two phases:

1. *Stage*: each graph is loaded into a fresh temporary graph (``urn:peelkg:tmp:<uuid>``) and
   read back: it must hold exactly the local triples (:mod:`.verify`). If any graph fails, every
   temporary graph is dropped and no target graph has been touched.
2. *Swap*: each target is replaced by one ``MOVE <tmp> TO <graph>`` (an empty graph by ``DROP``);
   the move is confirmed when the target holds the expected count and the temporary graph is
   gone (a MOVE empties its source), so every graph verified in phase 1 is the graph now in
   the store. A failed MOVE is never re-sent: from an empty source it would clear the target.

Whatever happens, the :class:`PushReport` says for each graph whether it was *replaced*, is
*unchanged* or is in an *unknown* state (a MOVE without a clear answer), and which temporary
graphs may remain. After a request with no answer (timeout, broken connection) or a Ctrl-C no
further request is sent: no cleanup traffic to a server that has stopped answering.
"""

from __future__ import annotations

import logging
import shlex
import uuid
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import UserError
from ..rdf.vocab import GRAPH
from . import sparql, verify
from .client import Client, RemoteError
from .payload import GraphData, insert_operations
from .profiles import Profile

log = logging.getLogger(__name__)

TMP_GRAPH_PREFIX = "urn:peelkg:tmp:"
REPLACED, UNCHANGED, UNKNOWN = "replaced", "unchanged", "unknown"


@dataclass
class PushReport:
    states: dict[str, str]
    triples: dict[str, int] = field(default_factory=dict)
    temporary: list[str] = field(default_factory=list)  # temporary graphs that may remain

    def not_replaced(self) -> list[str]:
        return [g for g, state in self.states.items() if state != REPLACED]

    def lines(self) -> list[str]:
        out = [f"{graph}: {state}" for graph, state in self.states.items()]
        out += [f"temporary graph that may remain in the store: {tmp}" for tmp in self.temporary]
        return out

    def explain(self, what: str, command: list[str]) -> str:
        """``what`` happened, where each graph stands, and the commands that recover, built on
        ``command`` (the push command line as given, shell-quoted words)."""
        lines = [what, "Where each graph stands:"] + [f"  {line}" for line in self.lines()]
        redo = self.not_replaced()
        if redo and len(redo) == len(self.states) and UNKNOWN not in self.states.values():
            lines.append("No graph was changed: run the same push again once the problem is solved.")
        elif redo:
            lines.append("To finish the push, run: " + " ".join(
                command + [f"--graph {shlex.quote(short_graph_name(g))}" for g in redo]))
        if self.temporary:
            lines.append("To remove the temporary graphs, run: " + " ".join(command + ["--drop-temporary"]))
        return "\n".join(lines)


class PushFailed(RemoteError):
    """A push stopped; ``report`` says where every graph stands."""

    def __init__(self, message: str, report: PushReport):
        super().__init__(message)
        self.report = report


class PushInterrupted(UserError):
    """Ctrl-C during a push (exit code 130); ``report`` says where every graph stands."""

    exit_code = 130

    def __init__(self, report: PushReport):
        super().__init__("push interrupted")
        self.report = report


class _Push:
    def __init__(self, client: Client, profile: Profile, mode: str, chunk_size: int):
        self.client, self.profile, self.mode, self.chunk_size = client, profile, mode, chunk_size

    def load(self, tmp: str, item: GraphData, report: PushReport) -> None:
        what = f"uploading the data of graph <{item.graph}> (temporary graph <{tmp}>)"
        done = 0  # INSERT operations the store has answered
        try:
            if self.mode == "gsp":
                body = self.profile.preamble + item.ntriples.removeprefix(b"\xef\xbb\xbf")
                sparql.graph_store_put(self.client, self.profile.gsp_url, tmp, body, self.profile.content_type,
                                       what=what)
                return
            for operation in insert_operations(sparql.iri(tmp), _parse(item), self.chunk_size):
                sparql.update(self.client, self.profile.update_url, operation, what=what, retry=False)
                done += 1
        except RemoteError as exc:
            if exc.unsent and done == 0:
                report.temporary.remove(tmp)  # the store never saw it: there is no such graph
            raise

    def check(self, graph: str, item: GraphData, when: str) -> None:
        """RemoteError unless ``graph`` holds exactly ``item``'s triples."""
        what = f"reading back graph <{graph}>"
        found = verify.differences(self.client, self.profile.query_url, graph, _parse(item), item.expected, what=what)
        if found:
            raise RemoteError(f"graph <{item.graph}>: {'; '.join(found)} {when}")

    def drop(self, graph: str) -> None:
        sparql.update(self.client, self.profile.update_url, f"DROP SILENT GRAPH {sparql.iri(graph)}",
                      what=f"dropping the temporary graph <{graph}>", retry=True)

    def count(self, graph: str) -> int:
        return sparql.count(self.client, self.profile.query_url, graph, what=f"counting the triples of <{graph}>")

    def swap(self, item: GraphData, tmp: str) -> None:
        """Replace the target by the staged graph and confirm it (RemoteError if not)."""
        if item.expected == 0:
            operation = f"DROP SILENT GRAPH {sparql.iri(item.graph)}"
        else:
            operation = f"MOVE {sparql.iri(tmp)} TO {sparql.iri(item.graph)}"
        sparql.update(self.client, self.profile.update_url, operation, what=f"replacing graph <{item.graph}>",
                      retry=False)
        actual, left = self.count(item.graph), self.count(tmp)
        if actual != item.expected or left:
            raise RemoteError(f"graph <{item.graph}>: after `{operation}` the store holds {actual} triples, "
                              f"expected {item.expected}, and the temporary graph <{tmp}> holds {left}: the update "
                              f"endpoint {self.profile.update_url} did not carry it out")


def short_graph_name(graph: str) -> str:
    """``report/...`` for a graph of peelkg's own, as ``--graph`` takes it; other IRIs whole."""
    return graph[len(str(GRAPH)):] if graph.startswith(str(GRAPH)) else graph


def _parse(item: GraphData) -> list[ox.Triple]:
    try:
        return list(ox.parse(item.ntriples, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"graph <{item.graph}>: invalid N-Triples data: {exc}") from None


def _check_items(items: list[GraphData]) -> None:
    seen = set()
    for item in items:
        sparql.iri(item.graph)
        if item.graph.startswith(TMP_GRAPH_PREFIX):
            raise ValueError(f"graph IRI <{item.graph}> uses peelkg's reserved prefix {TMP_GRAPH_PREFIX}")
        if item.graph in seen:
            raise ValueError(f"graph <{item.graph}> given twice")
        if item.expected < 0:
            raise ValueError(f"graph <{item.graph}>: invalid expected count {item.expected}")
        seen.add(item.graph)


def push_graphs(client: Client, profile: Profile, items: list[GraphData], *, mode: str = "gsp",
                chunk_size: int = 1000) -> PushReport:
    """Replace each graph of ``items`` in the store; returns the report (every graph replaced).

    Raises PushFailed (with the report) when the push stopped, PushInterrupted on Ctrl-C."""
    if mode not in ("gsp", "update"):
        raise ValueError(f"mode must be 'gsp' or 'update', not {mode!r}")
    items = [GraphData(*item) for item in items]
    _check_items(items)
    push = _Push(client, profile, mode, chunk_size)
    report = PushReport({item.graph: UNCHANGED for item in items})
    staged: list[tuple[GraphData, str]] = []
    moving = None  # the graph whose MOVE has been sent and not yet confirmed
    try:
        try:
            for item in items:
                tmp = f"{TMP_GRAPH_PREFIX}{uuid.uuid4()}"
                report.temporary.append(tmp)
                if item.expected or item.ntriples.strip():
                    push.load(tmp, item, report)
                push.check(tmp, item, f"after loading it (temporary graph <{tmp}>); no graph was replaced")
                staged.append((item, tmp))
                log.info("staged <%s>: %d triples verified", item.graph, item.expected)
        except RemoteError as exc:
            _clean(push, report, exc)
            raise PushFailed(str(exc), report) from None
        for item, tmp in staged:
            moving = item.graph
            try:
                push.swap(item, tmp)
            except RemoteError as exc:
                report.states[item.graph] = _settle(push, item, exc)
                if report.states[item.graph] == REPLACED:
                    report.triples[item.graph] = item.expected
                _clean(push, report, exc)
                raise PushFailed(str(exc), report) from None
            report.states[item.graph] = REPLACED
            report.triples[item.graph] = item.expected
            moving = None
            report.temporary.remove(tmp)
            log.info("replaced <%s>: %d triples", item.graph, item.expected)
    except KeyboardInterrupt:
        # A MOVE in flight may or may not have happened; send nothing more.
        if moving is not None and report.states[moving] != REPLACED:
            report.states[moving] = UNKNOWN
        raise PushInterrupted(report) from None
    return report


def _settle(push: _Push, item: GraphData, exc: RemoteError) -> str:
    """The state of a graph whose MOVE failed: replaced if it now holds the new triples,
    unchanged if the store refused the MOVE (a 4xx answer), unknown otherwise."""
    if exc.unsent:
        return UNCHANGED  # the MOVE never reached the store
    if exc.no_answer:
        return UNKNOWN  # send nothing more to a server that stopped answering
    try:
        push.check(item.graph, item, "")
        return REPLACED
    except RemoteError:
        pass
    return UNCHANGED if exc.status is not None and 400 <= exc.status < 500 else UNKNOWN


def _clean(push: _Push, report: PushReport, cause: RemoteError) -> None:
    """Drop the temporary graphs still listed, unless the store has stopped answering."""
    if cause.no_answer:
        return
    for tmp in list(report.temporary):
        try:
            push.drop(tmp)
        except RemoteError as exc:
            log.warning("could not drop the temporary graph <%s>: %s", tmp, exc)
            if exc.no_answer:
                return
            continue
        report.temporary.remove(tmp)


def drop_temporary(client: Client, profile: Profile) -> list[str]:
    """Drop every temporary graph that interrupted pushes left in the store; returns their IRIs.
    (Not while another push to the same store is running: its temporary graphs would go too.)"""
    query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
             f'FILTER(STRSTARTS(STR(?g), "{TMP_GRAPH_PREFIX}")) }}')
    found = [row["g"].value for row in sparql.select(client, profile.query_url, query,
                                                      what="listing temporary graphs").rows]
    push = _Push(client, profile, "gsp", 1)
    for graph in found:
        push.drop(graph)
    return found
