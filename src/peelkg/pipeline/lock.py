"""One build at a time per build folder.

`peelkg build` holds an exclusive POSIX record lock on BUILD_DIR/.lock while it writes. A second
build of the same folder fails at once with the first one's process id, instead of deleting or
replacing what the first is writing. The kernel drops the lock when its process ends, however it
ends (kill -9 included), so a dead build never leaves a stale lock behind. Record locks (fcntl),
unlike flock, belong to the process and are not inherited by forked workers, so an orphaned
worker cannot keep the folder locked either.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError

LOCK = ".lock"


class BuildLocked(UserError):
    """Another build is writing the same build folder (exit code 2)."""


def usable_build_dir(build_dir: Path) -> Path:
    """``build_dir``, created if missing; a clear error if it is a file or cannot be created."""
    build_dir = Path(build_dir)
    if build_dir.exists() and not build_dir.is_dir():
        raise UserError(f"The build folder {build_dir} is a file, not a folder: give --build-dir a folder "
                        "(it is created if missing), or move the file away.")
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot create the build folder {build_dir}: {exc.strerror or exc}. "
                        "Give --build-dir a folder you can write to.") from None
    return build_dir


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold BUILD_DIR/.lock for the duration of the block, or raise BuildLocked. A build folder
    this call created is removed again if the block fails before writing anything into it."""
    created = not Path(build_dir).exists()
    path = usable_build_dir(build_dir) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise UserError(f"Cannot create the lock file {path}: {exc.strerror or exc}. "
                        "Give --build-dir a folder you can write to.") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise UserError(f"Cannot lock {path}: {exc.strerror or exc}.") from None
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BuildLocked(
                f"Another `peelkg build` (process {holder}) is writing {build_dir}; nothing was changed. "
                "Wait for it to finish, then run the build again."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        except BaseException:
            if created:  # still locked: nobody else can be using the folder
                path.unlink(missing_ok=True)
                try:
                    Path(build_dir).rmdir()
                except OSError:
                    pass  # not empty: the build had written into it
            raise
    finally:
        os.close(fd)  # releases the lock
