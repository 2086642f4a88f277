"""Writing a build's store: a new version, filled as the reports' results arrive.

A full build bulk-loads everything (pipeline.store.BulkWriter: the ontology, the reference data
and each report's N-Quads in a few large chunks, in a thread beside the worker processes). An
incremental build starts from a checkpoint of the store in use (hard links, so it costs little)
and replaces the graphs of the changed reports in ordinary transactions: a few reports' quads,
where a bulk load would write files for the whole store to merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from ..rdf import vocab as ns
from .store import STORE, BulkWriter, drop_report, forget_unstated, graph_nquads, missing_from_default


class StoreWrite:
    """The store of a new version at ``path``; ``add`` each report's result, then ``finish``.

    ``reuse`` is the previous build's folder when the unchanged reports' graphs are kept (an
    incremental build), None for a store written from nothing. ``removed`` are the ids of reports
    the previous build had and this one does not."""

    def __init__(self, path: Path, base, reuse: Path | None = None, removed: set[str] = frozenset()):
        if path.exists():
            shutil.rmtree(path)
        self.path = path
        self.incremental = reuse is not None
        # An incremental build's change to the number of distinct triples (the default graph),
        # so that the summary need not count millions of them again.
        self.added = self.removed = 0
        self._stale: set = set()  # triples of dropped graphs, which the default graph may no longer need
        self._restated: set = set()  # triples of the graphs added, which it does need
        if self.incremental:
            ox.Store.read_only(str(Path(reuse) / STORE)).backup(str(path))
            self.store = ox.Store(str(path))
            for report_id in removed:
                self._stale |= drop_report(self.store, report_id)
            self._writer = None
        else:
            self.store = ox.Store(str(path))
            self._writer = BulkWriter(self.store)
            for graph, triples in ((ns.ONTOLOGY_GRAPH, base.ontology), (ns.REFERENCE_GRAPH, base.reference),
                                   (ns.INFERRED_BASE_GRAPH, base.reference_inferred)):
                self._writer.add(graph_nquads(graph, triples))

    def add(self, result) -> None:
        """Write one report's quads (pipeline.context.ReportResult); its bytes are let go."""
        if self._writer is not None:
            self._writer.add(result.nquads)
        else:
            # Parsed once: its default-graph triples are counted, then all its quads are added in
            # one transaction (a few graphs, where a bulk load would write files for the whole store).
            quads = list(ox.parse(result.nquads, format=ox.RdfFormat.N_QUADS))
            stated = {q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
            self._stale |= drop_report(self.store, result.id)
            self.added += missing_from_default(self.store, stated)
            self.store.extend(quads)
            self._restated |= stated
        result.nquads = b""

    def finish(self) -> ox.Store:
        """Wait for the last loads; the store, complete and flushed."""
        if self._writer is not None:
            self._writer.close()
            self.store.flush()
            self.store.optimize()  # compaction pays off after a full load, not after a few graphs
        else:
            # A triple the new graphs state again stays; only the others need a look at the store
            # (an edit to one report restates nearly all of its triples).
            self.removed = forget_unstated(self.store, self._stale - self._restated)
            self.store.flush()
        return self.store

    def abandon(self) -> None:
        """Stop writing and delete the unfinished store (the build failed)."""
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception:  # the build's own error is the one to report
                pass
        self.store = None
        shutil.rmtree(self.path, ignore_errors=True)
