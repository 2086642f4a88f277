"""The built store on disk (pyoxigraph) and its manifest: written as a new version next to the one
in use and published by pipeline.publish with one rename, so a failed or interrupted build leaves
the previous build untouched."""

from __future__ import annotations

import json
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


def add_graph(store: ox.Store, graph, triples) -> None:
    name = ox.NamedNode(str(graph))
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in triples)


def forget_unstated(store: ox.Store, triples: set) -> None:
    """Remove from the default graph the triples that no named graph states any more."""
    for t in triples:
        holders = store.quads_for_pattern(t.subject, t.predicate, t.object, None)
        if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in holders):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, DEFAULT))


def add_report(store: ox.Store, result) -> None:
    add_graph(store, ns.report_graph(result.id), result.asserted)
    add_graph(store, ns.inferred_graph(result.id), result.inferred)


def drop_report(store: ox.Store, report_id: str) -> set:
    """Remove a report's graphs; returns their triples (which the default graph may still hold)."""
    dropped: set = set()
    for graph in (ns.report_graph(report_id), ns.inferred_graph(report_id)):
        name = ox.NamedNode(str(graph))
        if store.contains_named_graph(name):
            dropped.update(q.triple for q in store.quads_for_pattern(None, None, None, name))
            store.remove_graph(name)
    return dropped
