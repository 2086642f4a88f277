"""Search over the names and abbreviations of things: an index read once from the graph (the
store is read-only), searched in memory. A SPARQL CONTAINS over every label takes seconds at
hundreds of reports; the index answers in milliseconds."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from rdflib.namespace import DCTERMS, RDFS, SKOS

log = logging.getLogger("peelkg.serve")

# Which name a result is shown by, best first.
DISPLAY = (str(SKOS.prefLabel), str(RDFS.label), str(DCTERMS.title))


@dataclass
class Entry:
    item: object
    label: str = ""
    rank: int = len(DISPLAY)
    names: set[str] = field(default_factory=set)


class SearchIndex:
    def __init__(self, graph):
        self.graph = graph
        self._entries: list[Entry] | None = None
        self._kinds: dict[str, str] | None = None
        self._lock = threading.Lock()

    def load_in_background(self) -> None:
        """Start reading the index now (a second or two at hundreds of reports), so that the
        first search does not wait for it; a search before it is done waits on the lock."""
        threading.Thread(target=self._load_quietly, name="peelkg-search-index", daemon=True).start()

    def _load_quietly(self) -> None:
        try:
            self._load()
        except Exception:  # the first search tries again and reports the error as a 500
            log.exception("could not read the search index")

    def _load(self) -> list[Entry]:
        with self._lock:
            if self._entries is None:
                by_item: dict[str, Entry] = {}
                for row in self.graph.rows("search-index"):
                    entry = by_item.setdefault(str(row["item"]), Entry(row["item"]))
                    name = str(row["name"])
                    entry.names.add(name.lower())
                    prop = str(row["property"])
                    rank = DISPLAY.index(prop) if prop in DISPLAY else len(DISPLAY)
                    if rank < entry.rank or not entry.label:
                        entry.label, entry.rank = name, rank
                self._kinds = {str(r["term"]): str(r["label"]) for r in self.graph.rows("ontology-terms")
                               if r.get("label") is not None and str(r["kind"]) == "class"}
                self._entries = list(by_item.values())
        return self._entries

    def search(self, text: str, limit: int = 50) -> list[dict]:
        """Things one of whose names contains ``text`` (any case): exact names first, then
        shorter labels."""
        needle = text.strip().lower()
        if not needle:
            return []
        found = [(0 if needle in e.names else 1, len(e.label), e.label.lower(), e) for e in self._load()
                 if any(needle in name for name in e.names)]
        found.sort(key=lambda f: f[:3])
        results = []
        for _, _, _, entry in found[:limit]:
            types = self.graph.rows("resource-types", resource=str(entry.item))
            kinds = sorted({self._kinds[str(t["type"])] for t in types if str(t["type"]) in self._kinds})
            results.append({"item": entry.item, "label": entry.label, "kind": ", ".join(kinds)})
        return results
