"""Running a measured process for the benchmarks: wall time, CPU time of the process tree, peak
memory of the process tree, with a time and a memory limit; and the frozen copy of peelkg that
every measured process imports."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TIME = "/usr/bin/time"

# -- A frozen copy of peelkg ----
# The build's base hash covers peelkg's own source files, and src/ changes while people work:
# every measured process imports a copy of src/peelkg taken when the benchmark starts.
SNAPSHOT: Path | None = None


def snapshot_peelkg(out: Path) -> Path:
    global SNAPSHOT
    target = out / "peelkg-snapshot"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "src" / "peelkg", target / "peelkg", ignore=shutil.ignore_patterns("__pycache__"))
    SNAPSHOT = target
    return target


def use_snapshot(path: Path | None) -> None:
    global SNAPSHOT
    SNAPSHOT = path


def source_digest() -> str:
    """A short hash of the peelkg source the measured processes run."""
    import hashlib

    root = (SNAPSHOT or REPO / "src") / "peelkg"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def child_env() -> dict:
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SNAPSHOT), env.get("PYTHONPATH")]))
    return env


def log(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


# -- Memory of a process tree ----

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry))
    return children


def _memory_kb(pid: int) -> int:
    """PSS of a process (its share of shared pages), else RSS, in kB."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed memory of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb, self.current_kb = pid, interval, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            children = _children_map()
            stack, total = [self.pid], 0
            while stack:
                pid = stack.pop()
                total += _memory_kb(pid)
                stack.extend(children.get(pid, ()))
            self.current_kb = total
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kb


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(argv: list[str], timeout: float | None = None, memory_mib: float | None = None) -> dict:
    """Run argv in a new process group: wall time, CPU seconds (user + sys) of the process and
    every descendant it waited for (a pool's workers are joined at its shutdown), exit code,
    output and memory peaks. It is killed (with its whole group) after ``timeout`` s or once
    the tree's memory passes ``memory_mib``; ``stopped`` then says which."""
    use_time = os.access(TIME, os.X_OK)
    cmd = [TIME, "-v", *argv] if use_time else argv
    # Output goes to files, not pipes: the loop below watches time and memory, nobody reads a pipe.
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        cpu_before = _children_cpu_s()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, text=True, start_new_session=True,
                                env=child_env())
        sampler = TreeMemory(proc.pid)
        sampler.start()
        stopped = None
        while proc.poll() is None:
            elapsed = time.perf_counter() - started
            if timeout is not None and elapsed > timeout:
                stopped = f"stopped after {timeout:.0f} s"
            elif memory_mib is not None and sampler.current_kb / 1024 > memory_mib:
                stopped = f"stopped at {sampler.current_kb / 1024:.0f} MiB after {elapsed:.0f} s"
            if stopped:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        cpu = _children_cpu_s() - cpu_before
        tree_kb = sampler.stop()
        out_f.seek(0)
        err_f.seek(0)
        out, err = out_f.read(), err_f.read()
    max_proc_kb = None
    if use_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        max_proc_kb = int(match.group(1)) if match else None
        err = "\n".join(line for line in err.splitlines()
                        if not line.startswith(("\t", "Command exited with non-zero status", "Command terminated")))
    return {"wall_s": wall, "cpu_s": cpu, "returncode": proc.returncode, "timed_out": stopped is not None,
            "stopped": stopped, "stdout": out, "stderr": err.strip(), "tree_peak_mib": tree_kb / 1024,
            "max_proc_rss_mib": None if max_proc_kb is None else max_proc_kb / 1024}
