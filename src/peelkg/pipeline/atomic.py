"""Writing an output file (export, catalogue, skeleton) so that it appears whole or not at all.

The data goes to a temporary file beside the target, is flushed to disk, then renamed over the
target: a kill or a full disk leaves the old file (or none), never half of the new one. A target
that is a symbolic link is written through (the file it points at is replaced; the link stays),
a device or pipe (/dev/null, a FIFO) is written into, never replaced, and a folder is refused.
Every failure is a UserError naming the path and what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import RefusedError, UserError


def write_file(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; with ``overwrite=False`` an existing file is never
    replaced (RefusedError). Returns the file written (the link's target for a link)."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode  # through links
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _cannot_write(path, path.parent, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UserError(f"{path} is a folder: give the name of a file to write.")
    if mode is not None and not stat.S_ISREG(mode):  # a device or a FIFO: written into as it is
        if not overwrite:
            raise RefusedError(f"{path} already exists; nothing was written.")
        return _write_into(path, data)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"Cannot write {path}: the folder {folder} does not exist. Create it first, or give "
                        "another path.")
    if not overwrite and (target.exists() or path.is_symlink()):
        raise RefusedError(f"{path} already exists; nothing was written. Give another path, or remove it first.")
    temporary = folder / f".{target.name}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # umask applies
    except OSError as exc:
        raise _cannot_write(path, folder, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name was taken meanwhile: no replace
    except FileExistsError:
        raise RefusedError(f"{path} already exists; nothing was written.") from None
    except OSError as exc:
        raise _cannot_write(path, folder, exc) from None
    finally:
        if temporary.exists():
            temporary.unlink()
    return target


def _write_into(path: Path, data: bytes) -> Path:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise _cannot_write(path, path.parent, exc) from None
    return path


def _cannot_write(path: Path, folder: Path, exc: OSError) -> UserError:
    reason = exc.strerror or str(exc)
    return UserError(f"Cannot write {path}: {reason} (in {folder}). Nothing was written; choose a path you can "
                     "write to, or free some space.")
