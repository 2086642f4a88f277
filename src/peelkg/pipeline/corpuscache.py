"""What each report folder declares (validation.corpus.Declarations), saved beside a build's
store so that the next build parses only the folders that changed: resolving references
between reports needs every folder's declarations, and reading all of them again was most
of an incremental build's time at hundreds of reports.

The file is JSON, keyed by report id and the hash of its files, and tied to the hash of the
ontology, reference data, shapes and peelkg's code (pipeline.build's base hash). A missing,
damaged or outdated file is ignored: the folders are then read again."""

from __future__ import annotations

import json
from pathlib import Path

from ..validation.corpus import Declarations
from .atomic import write_file

CORPUS = "corpus.json"


def read_declarations(folder: Path, base_hash: str, hashes: dict[str, str]) -> dict[str, Declarations]:
    """The saved declarations of the reports whose files are unchanged (same hash)."""
    try:
        saved = json.loads((Path(folder) / CORPUS).read_text(encoding="utf-8"))
        if saved.get("base_hash") != base_hash:
            return {}
        known = {}
        for report_id, entry in saved["reports"].items():
            if hashes.get(report_id) == entry["hash"]:
                known[report_id] = Declarations.from_json(entry["declarations"])
        return known
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_declarations(folder: Path, base_hash: str, hashes: dict[str, str],
                       declarations: dict[str, Declarations]) -> None:
    entries = {report_id: {"hash": hashes[report_id], "declarations": declared.to_json()}
               for report_id, declared in sorted(declarations.items()) if report_id in hashes}
    data = json.dumps({"base_hash": base_hash, "reports": entries}, separators=(",", ":"), sort_keys=True)
    write_file(Path(folder) / CORPUS, data.encode("utf-8"))
