"""What a build saves beside its store for the next build to reuse, where recomputing it was
most of an incremental build's time at hundreds of reports:

* corpus.json: what each report folder declares (validation.corpus.Declarations), keyed by
  report id and the hash of its files, so that the next build parses only changed folders
  (resolving references between reports needs every folder's declarations);
* tbox.json: the ontology's closure compiled into rule tables (pipeline.reasoning.TBox), which
  owlrl takes about two seconds to compute.

Both are JSON and tied to the hash of the ontology, reference data, shapes and peelkg's code
(pipeline.build's base hash). A missing, damaged or outdated file is ignored: what it held is
then computed again."""

from __future__ import annotations

import json
from pathlib import Path

from ..validation.corpus import Declarations
from .atomic import write_file
from .reasoning import TBox

CORPUS = "corpus.json"
TBOX = "tbox.json"
_DAMAGED = (OSError, ValueError, KeyError, TypeError, AttributeError)


def _read(path: Path, base_hash: str):
    saved = json.loads(path.read_text(encoding="utf-8"))
    return saved if isinstance(saved, dict) and saved.get("base_hash") == base_hash else None


def _write(path: Path, base_hash: str, content: dict) -> None:
    data = json.dumps({"base_hash": base_hash} | content, separators=(",", ":"), sort_keys=True)
    write_file(path, data.encode("utf-8"))


def read_tbox(folder: Path, base_hash: str) -> TBox | None:
    try:
        saved = _read(Path(folder) / TBOX, base_hash)
        return TBox.from_json(saved["tbox"]) if saved else None
    except _DAMAGED:
        return None


def write_tbox(folder: Path, base_hash: str, tbox: TBox) -> None:
    _write(Path(folder) / TBOX, base_hash, {"tbox": tbox.to_json()})


def read_declarations(folder: Path, base_hash: str, hashes: dict[str, str]) -> dict[str, Declarations]:
    """The saved declarations of the reports whose files are unchanged (same hash)."""
    try:
        saved = _read(Path(folder) / CORPUS, base_hash)
        if not saved:
            return {}
        known = {}
        for report_id, entry in saved["reports"].items():
            if hashes.get(report_id) == entry["hash"]:
                known[report_id] = Declarations.from_json(entry["declarations"])
        return known
    except _DAMAGED:
        return {}


def write_declarations(folder: Path, base_hash: str, hashes: dict[str, str],
                       declarations: dict[str, Declarations]) -> None:
    entries = {report_id: {"hash": hashes[report_id], "declarations": declared.to_json()}
               for report_id, declared in sorted(declarations.items()) if report_id in hashes}
    _write(Path(folder) / CORPUS, base_hash, {"reports": entries})
