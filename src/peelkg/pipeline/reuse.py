"""What a build saves beside its store for the next build to reuse, where recomputing it was
most of an incremental build's time at hundreds of reports:

* corpus.jsonl: what each report folder declares (validation.corpus.Declarations), keyed by
  report id and the hash of its files, so that the next build parses only changed folders
  (resolving references between reports needs every folder's declarations). One JSON line per
  folder after a header line, so that a rebuild copies the lines of unchanged folders as they
  are instead of encoding every folder again (0.23 s of an incremental build at 430 reports);
* tbox.json: the ontology's closure compiled into rule tables (pipeline.reasoning.TBox), which
  owlrl takes about two seconds to compute.

Both are JSON and tied to the hash of the ontology, reference data, shapes and peelkg's code
(pipeline.build's base hash). A missing, damaged or outdated file is ignored: what it held is
then computed again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..validation.corpus import Declarations
from .atomic import write_file
from .reasoning import TBox

CORPUS = "corpus.jsonl"
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


@dataclass
class SavedCorpus:
    """What the last build saved of the folders that are unchanged since: their declarations,
    and the line each was saved as (written again as it is)."""

    declarations: dict[str, Declarations] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)


def read_declarations(folder: Path, base_hash: str, hashes: dict[str, str]) -> SavedCorpus:
    """The saved declarations of the reports whose files are unchanged (same hash). A damaged
    line loses only its folder (parsed again); a damaged header or another base, all of them."""
    saved = SavedCorpus()
    try:
        with open(Path(folder) / CORPUS, encoding="utf-8") as file:
            header = json.loads(file.readline())
            if not isinstance(header, dict) or header.get("base_hash") != base_hash:
                return saved
            for line in file:
                line = line.rstrip("\n")
                try:
                    entry = json.loads(line)
                    report_id = entry["id"]
                    if hashes.get(report_id) == entry["hash"]:
                        saved.declarations[report_id] = Declarations.from_json(entry["declarations"])
                        saved.lines[report_id] = line
                except _DAMAGED:
                    continue
    except _DAMAGED:
        return SavedCorpus()
    return saved


def write_declarations(folder: Path, base_hash: str, hashes: dict[str, str],
                       declarations: dict[str, Declarations], saved: SavedCorpus | None = None) -> None:
    lines = [json.dumps({"base_hash": base_hash}, separators=(",", ":"))]
    for report_id, declared in sorted(declarations.items()):
        if report_id not in hashes:
            continue
        line = saved.lines.get(report_id) if saved is not None else None
        if line is None:
            line = json.dumps({"id": report_id, "hash": hashes[report_id], "declarations": declared.to_json()},
                              separators=(",", ":"), sort_keys=True)
        lines.append(line)
    write_file(Path(folder) / CORPUS, ("\n".join(lines) + "\n").encode("utf-8"))
