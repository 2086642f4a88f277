"""The built store on disk (pyoxigraph) and its manifest: written next to the old one and swapped
in with renames only, so a failed or interrupted build leaves the previous build untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox

from ..errors import UserError
from ..rdf import vocab as ns

MANIFEST = "manifest.json"
STORE = "store"


def open_store(build_dir: Path) -> ox.Store:
    path = Path(build_dir) / STORE
    if not path.is_dir():
        raise UserError(f"No built graph in {build_dir}: run `peelkg build` first.")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise UserError(f"Cannot open the built graph in {path}: {exc}. Run `peelkg build` again.") from None


def read_manifest(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


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


def swap_in(build_dir: Path, new_store: Path, manifest: dict) -> None:
    """Replace the old store and manifest by the new ones with renames only."""
    final = build_dir / STORE
    old = build_dir / f".{STORE}.old"
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new_store.rename(final)
    tmp_manifest = build_dir / f".{MANIFEST}.new"
    tmp_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    tmp_manifest.replace(build_dir / MANIFEST)
    if old.exists():
        shutil.rmtree(old)
