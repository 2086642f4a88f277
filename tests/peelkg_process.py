"""Running `peelkg` in a child process, optionally with a fault planted in it: the reliability
tests kill builds at chosen moments, and a crash (a segmentation fault, memory exhausted) must
fail the test, not the test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs the CLI after planting HOOK (Python source) in the process.
_LAUNCH = "import sys\n{hook}\nsys.argv = ['peelkg'] + sys.argv[1:]\nfrom peelkg.cli import run\nrun()\n"

# Exits the process (as a kill would: no cleanup) at the rename whose target is named TARGET,
# just before it ("before") or just after it ("after").
KILL_AT_RENAME = """
import os
_real_replace = os.replace
def _replace(src, dst, *args, **kwargs):
    if os.path.basename(os.fspath(dst)) == {target!r}:
        if {when!r} == "before":
            os._exit(137)
        _real_replace(src, dst, *args, **kwargs)
        os._exit(137)
    return _real_replace(src, dst, *args, **kwargs)
os.replace = _replace
"""

# Exits the process at its first call of os.FUNCTION.
KILL_AT_CALL = "import os\nos.{function} = lambda *args, **kwargs: os._exit(137)\n"

# Waits at the rename whose target is named TARGET until the file GO exists, after creating READY.
PAUSE_AT_RENAME = """
import os, time
_real_replace = os.replace
def _replace(src, dst, *args, **kwargs):
    if os.path.basename(os.fspath(dst)) == {target!r}:
        open({ready!r}, "w").close()
        while not os.path.exists({go!r}):
            time.sleep(0.05)
    return _real_replace(src, dst, *args, **kwargs)
os.replace = _replace
"""

MEMORY_LIMIT = 3 * 1024**3  # a file that expands without bound fails the test instead of the machine


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# Root reads files whatever their mode; without its capabilities it obeys them like anyone.
WITHOUT_ROOT_POWERS = ["setpriv", "--bounding-set", "-all", "--inh-caps", "-all", "--"] if os.geteuid() == 0 else []


def command(*args: str, hook: str = "", prefix: list[str] | None = None) -> list[str]:
    return [*(prefix or []), sys.executable, "-c", _LAUNCH.format(hook=hook), *args]


def run(*args: str, hook: str = "", env: dict | None = None, timeout: float = 300,
        prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """`peelkg ARGS` in a child process; its output as text."""
    return subprocess.run(command(*args, hook=hook, prefix=prefix), capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=_limit_memory)


def start(*args: str, hook: str = "", env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(command(*args, hook=hook), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def assert_clean_failure(result, code: int, *fragments: str) -> None:
    """Exit ``code``, each fragment in stderr, and no traceback anywhere."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
