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
then computed again.

The manifest also records what ``os.stat`` said of each report's files when they were hashed
(``report_hashes``): a report whose files still say the same keeps its recorded hash, unread;
reading and hashing every file was 6 s of an incremental build at 4,300 reports (1.2 GB)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..project import Report, files_hash
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


# A file changed less than this before its hashing is hashed again by the next build, whatever
# its stat says: a change within the filesystem's timestamp granularity of the hashing could
# leave its size and times as they were (git guards its index against the same race).
RACY_NS = 2_000_000_000


def stat_signature(files: list[Path]) -> list | None:
    """[name, size, mtime, ctime, inode] of each file (sorted by path), or None if one cannot be
    stat'ed (it is then hashed, which reports the error). The ctime cannot be set back by a
    tool that restores modification times (cp -p, rsync -t), so any rewrite changes it."""
    signature = []
    for path in sorted(files):
        try:
            st = path.stat()
        except OSError:
            return None
        signature.append([path.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return signature


@dataclass
class Hashes:
    """The content hash of each report's files, what their stat said just before, when the
    hashing started, and how many reports were read and hashed (the others kept their hash)."""

    hashes: dict[str, str]
    stats: dict[str, list | None]
    hashed_at: int
    read: int


def report_hashes(reports: list[Report], manifest: dict) -> Hashes:
    """Every report's content hash; ``manifest`` is the previous build's (empty for a full
    build, which therefore reads every file). A report keeps the hash recorded there if its files
    have the recorded stat signature and all of them were last changed RACY_NS before that build
    started hashing; otherwise its files are read and hashed."""
    hashed_at = time.time_ns()
    previous_at = manifest.get("hashed_at")
    old = manifest.get("reports")
    trusted = isinstance(previous_at, int) and isinstance(old, dict)
    hashes, stats, read = {}, {}, 0
    for report in reports:
        files = report.files
        signature = stat_signature(files)  # before reading: a change while hashing shows next time
        entry = old.get(report.id) if trusted else None
        if (signature is not None and isinstance(entry, dict) and entry.get("stat") == signature
                and isinstance(entry.get("hash"), str)
                and all(max(mtime, ctime) < previous_at - RACY_NS for _, _, mtime, ctime, _ in signature)):
            hashes[report.id] = entry["hash"]
        else:
            hashes[report.id] = files_hash(files)
            read += 1
        stats[report.id] = signature
    return Hashes(hashes, stats, hashed_at, read)
