"""The built store on disk (pyoxigraph) and its manifest: written as a new version next to the one
in use and published by pipeline.publish with one rename, so a failed or interrupted build leaves
the previous build untouched."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import UserError
from ..rdf import vocab as ns
from .publish import MANIFEST, STORE, current_dir, describe_damage


def open_store(build_dir: Path) -> ox.Store:
    """The store of the build in use, read-only."""
    if Path(build_dir).exists() and not Path(build_dir).is_dir():
        raise UserError(f"The build folder {build_dir} is a file, not a folder: give --build-dir the folder "
                        "`peelkg build` wrote.")
    path = current_dir(build_dir) / STORE
    if not path.is_dir():
        raise UserError(f"No built graph in {build_dir}: run `peelkg build` first.")
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports missing and truncated files so
        raise describe_damage(path, exc) from None


def store_opens(path: Path) -> bool:
    """Whether the store at ``path`` can be opened (its files are all there, none truncated)."""
    try:
        ox.Store.read_only(str(path))
    except (OSError, RuntimeError):
        return False
    return True


def read_manifest(folder: Path) -> dict:
    """The manifest in ``folder`` (a version, see pipeline.publish), or {} if it is missing or
    damaged: then nothing of the old build is reused."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    reports = manifest.get("reports", {}) if isinstance(manifest, dict) else None
    if not isinstance(reports, dict) or not all(isinstance(r, dict) and isinstance(r.get("hash"), str)
                                                for r in reports.values()):
        return {}
    return manifest


# Every triple is also written once to the store's default graph. Queries run on that graph:
# with the union of the named graphs instead, a triple stated in several reports (a force's
# units, its partners) would be returned once per report and multiply the rows of every join.
DEFAULT = ox.DefaultGraph()


def graph_nquads(graph, triples: Iterable[ox.Triple]) -> bytes:
    """``triples`` as N-Quads, once in the named graph ``graph`` and once in the default graph:
    what the store holds of them. Serialised once: every N-Triples line ends in " .\n" (a
    newline inside a literal is written as \\n), so the named-graph copy is the same lines with
    the graph name put before that end."""
    lines = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    if not lines:
        return b""
    name = f" <{graph}> .\n".encode()
    return lines.replace(b" .\n", name) + lines


# A chunk of about this size is handed to pyoxigraph's bulk loader at a time: large enough that
# the loader writes few, large files (each load writes its own, which later compaction merges),
# small enough that the main process holds at most two of them while workers go on.
CHUNK_BYTES = 64 * 1024 * 1024


class BulkWriter:
    """Writes N-Quads into a new store with pyoxigraph's bulk loader, in a thread beside the
    caller: the worker processes go on validating while the chunks already received load.

    ``add`` collects bytes; every CHUNK_BYTES they go to the loader thread (at most one chunk
    waits, so memory stays bounded); ``close`` loads the rest and waits. A loader error is
    raised from ``add`` or ``close``."""

    def __init__(self, store: ox.Store, chunk_bytes: int = CHUNK_BYTES):
        self.store, self.chunk_bytes = store, chunk_bytes
        self.quads_bytes = 0
        self._parts: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="peelkg-bulk-load", daemon=True)
        self._thread.start()

    def add(self, data: bytes) -> None:
        self._raise_loader_error()
        if not data:
            return
        self._parts.append(data)
        self._size += len(data)
        self.quads_bytes += len(data)
        if self._size >= self.chunk_bytes:
            self._hand_over()

    def close(self) -> None:
        self._hand_over()
        self._queue.put(None)
        self._thread.join()
        self._raise_loader_error()

    def _hand_over(self) -> None:
        if self._parts:
            chunk = b"".join(self._parts)
            self._parts, self._size = [], 0
            self._queue.put(chunk)

    def _load(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
                except BaseException as exc:  # raised in the caller's thread
                    self._error = exc

    def _raise_loader_error(self) -> None:
        if self._error is not None:
            raise self._error


def forget_unstated(store: ox.Store, triples: set) -> int:
    """Remove from the default graph the triples that no named graph states any more; returns
    how many it removed."""
    removed = 0
    for t in triples:
        holders = store.quads_for_pattern(t.subject, t.predicate, t.object, None)
        if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in holders):
            quad = ox.Quad(t.subject, t.predicate, t.object, DEFAULT)
            if quad in store:
                store.remove(quad)
                removed += 1
    return removed


def missing_from_default(store: ox.Store, triples: set[ox.Triple]) -> int:
    """How many of ``triples`` the default graph of ``store`` lacks."""
    return sum(1 for t in triples if ox.Quad(t.subject, t.predicate, t.object, DEFAULT) not in store)


def report_nquads(report_id: str, asserted: list[ox.Triple], inferred: list[ox.Triple]) -> bytes:
    """What the store holds of one report: its graph, its inferred graph, both in the default graph."""
    return graph_nquads(ns.report_graph(report_id), asserted) + graph_nquads(ns.inferred_graph(report_id), inferred)


def drop_report(store: ox.Store, report_id: str) -> set:
    """Remove a report's graphs; returns their triples (which the default graph may still hold)."""
    dropped: set = set()
    for graph in (ns.report_graph(report_id), ns.inferred_graph(report_id)):
        name = ox.NamedNode(str(graph))
        if store.contains_named_graph(name):
            dropped.update(q.triple for q in store.quads_for_pattern(None, None, None, name))
            store.remove_graph(name)
    return dropped
