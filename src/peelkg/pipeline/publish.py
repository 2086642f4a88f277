"""The build folder's layout, and the one rename that publishes a build.

    BUILD_DIR/
      versions/<id>/store/          one build: its pyoxigraph store ...
      versions/<id>/manifest.json   ... and the manifest that describes that store
      versions/<id>/query-headers.json  the stored queries' parsed headers (query.library)
      current -> versions/<id>      the build in use: a symbolic link, replaced by one rename
      store -> current/store        fixed links, so BUILD_DIR/store and BUILD_DIR/manifest.json
      manifest.json -> current/manifest.json   keep working for people and other tools
      .lock                         pipeline.lock

A build writes a new version next to the one in use and, once the store and its manifest are
both complete and on disk, points ``current`` at it with a single ``rename(2)``, which is atomic.
A build killed at any moment therefore leaves either the old build or the new one in use, never
neither, and never a store with another build's manifest. Readers resolve ``current`` once and
use that version's store and manifest together. The previous version is kept until the next build
(a reader that opened it just before the switch can finish); older ones, and versions a killed
build left half-written, are deleted by the next build, under the build lock.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ..errors import UserError
from .atomic import write_file

STORE = "store"
MANIFEST = "manifest.json"
QUERY_HEADERS = "query-headers.json"  # the stored queries' parsed headers (write_query_headers)
VERSIONS = "versions"
CURRENT = "current"
LEGACY = (f".{STORE}.new", f".{STORE}.old", f".{MANIFEST}.new")  # left by peelkg before versions


def _remove_tree(path: Path, ignore_errors: bool = False) -> None:
    # shutil is imported here, not at the top, because `peelkg query` imports this module (for
    # current_dir) and never removes anything; shutil's imports cost it ~3 ms.
    import shutil

    shutil.rmtree(path, ignore_errors=ignore_errors)


def current_dir(build_dir: Path) -> Path:
    """The folder holding the store and manifest in use: the version ``current`` points at
    (resolved once), else BUILD_DIR itself (a build folder written before versions existed)."""
    pointer = Path(build_dir) / CURRENT
    if pointer.is_symlink():
        return pointer.resolve()
    return Path(build_dir)


def new_version(build_dir: Path) -> Path:
    """A new, empty version folder for a build to write into (only under the build lock)."""
    versions = Path(build_dir) / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.iterdir():  # never published: a build was killed or failed while writing
        if not (stale / MANIFEST).exists():
            _remove_tree(stale, ignore_errors=True)
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{os.urandom(3).hex()}"
    path = versions / name
    path.mkdir()
    return path


def publish(build_dir: Path, version: Path, manifest: dict) -> None:
    """Write ``version``'s manifest, then make ``version`` the build in use with one rename."""
    build_dir = Path(build_dir)
    previous = current_dir(build_dir)
    _sync_tree(version)  # the store's files on disk before anything points at them (a power cut)
    write_file(version / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    _sync_dir(version)
    _replace_with_link(build_dir / CURRENT, Path(VERSIONS) / version.name)  # the switch
    _sync_dir(build_dir)
    _link_fixed_names(build_dir)
    keep = {version.resolve(), previous.resolve()}
    prune(build_dir, keep)


def prune(build_dir: Path, keep: set[Path]) -> None:
    """Delete versions other than ``keep``, and what older layouts or killed builds left."""
    versions = Path(build_dir) / VERSIONS
    for entry in versions.iterdir() if versions.is_dir() else ():
        if entry.resolve() not in keep:
            _remove_tree(entry, ignore_errors=True)
    for link in Path(build_dir).glob(".*.link"):  # a switch a killed build did not finish
        link.unlink()
    for name in LEGACY:
        path = Path(build_dir) / name
        if path.is_dir() and not path.is_symlink():
            _remove_tree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink()


def _link_fixed_names(build_dir: Path) -> None:
    """BUILD_DIR/store and BUILD_DIR/manifest.json as links through ``current``. A store folder
    of the old layout is moved aside first (it was not in use any more: ``current`` is)."""
    for name in (STORE, MANIFEST):
        path = build_dir / name
        target = Path(CURRENT) / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        if path.is_dir() and not path.is_symlink():
            aside = build_dir / f".{STORE}.old"
            if aside.exists():
                _remove_tree(aside)
            path.rename(aside)
        _replace_with_link(path, target)


def _replace_with_link(path: Path, target: Path) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, path)


def _sync_tree(folder: Path) -> None:
    """fsync every file and folder under ``folder`` (hard links to the previous store too:
    syncing them again costs nothing)."""
    for parent, folders, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(parent, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_dir(Path(parent))


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_damage(path: Path, exc: BaseException) -> UserError:
    """The error for a store that cannot be opened (files missing or truncated)."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return UserError(
        f"The built graph in {path} is damaged or incomplete ({detail[:200]}). "
        "Run `peelkg build` to rebuild it (the build notices the damage and rebuilds every report)."
    )


def write_query_headers(version: Path, headers: dict[str, dict]) -> None:
    """Keep the stored queries' parsed headers (query.library.known_headers) in ``version``."""
    write_file(Path(version) / QUERY_HEADERS, json.dumps(headers, sort_keys=True).encode("utf-8"))


def read_query_headers(build_dir: Path) -> dict[str, dict]:
    """The parsed headers the build in use kept, by their text; {} if there are none or the file
    is damaged (the headers are then parsed from the query files, as without a build)."""
    try:
        headers = json.loads((current_dir(build_dir) / QUERY_HEADERS).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, dict)
                                                for k, v in headers.items()):
        return {}
    return headers
