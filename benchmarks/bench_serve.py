"""Benchmark `peelkg serve`: latency per page type and API call, and the SPARQL endpoint under
concurrent clients, each beside the same queries run through raw pyoxigraph in the same run.

    .venv/bin/python benchmarks/bench_serve.py [--project DIR] [--build-dir DIR] [--runs 50]
        [--requests 10000] [--clients 32] [--out benchmarks/out/serve.md]

1. The server runs as `peelkg serve` in its own process on a free loopback port (uvicorn, the
   command's defaults but a row limit large enough for the load query).
2. Latency: for each target (a page type or API call) one warm-up request, then ``--runs``
   sequential requests on one keep-alive connection; p50 and p99 of the wall time per request.
3. Raw pyoxigraph: each target is fetched once in this process through the app with a store
   that records every query it is asked (text and dataset), and the same queries are then run
   ``--runs`` times with ``store.query`` on the same build, every row materialised. The ratio
   is server p50 / raw p50: what HTTP, checking, binding, rendering and serialising cost.
4. Load: ``--clients`` concurrent clients (asyncio, one httpx connection each) send SPARQL GETs
   to /sparql until ``--requests`` have been sent, then stop. Throughput, errors (any status
   but 200, or a failed connection) and the server process's peak RSS (VmHWM). The same query
   then runs ``--requests`` times in ``--clients`` threads on raw pyoxigraph for comparison.

The benchmark and the server share the machine's cores: the client's own work is in the
figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
MET = "peel-2015-effectiveness-metropolitan"
LOAD_QUERY = """PREFIX peel: <https://w3id.org/peelkg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?report ?grade WHERE {
  ?judgment peel:judgmentIn ?report ; peel:grade ?g .
  ?g skos:prefLabel ?grade .
  ?report peel:inspectedForce <https://w3id.org/peelkg/id/force/metropolitan> .
}"""
TARGETS = [  # (page type or API call, path, Accept)
    ("home (grades overview)", "/", "text/html"),
    ("search", "/search?q=trident", "text/html"),
    ("report page", f"/id/report/{MET}", "text/html"),
    ("force page", "/id/force/metropolitan", "text/html"),
    ("entity page", "/id/force/metropolitan/trident", "text/html"),
    ("evidence page", f"/id/report/{MET}/evidence/finding-q2-2-1-01", "text/html"),
    ("query form page", "/queries/areas-for-improvement?question=q4", "text/html"),
    ("ontology page", "/def", "text/html"),
    ("resource as Turtle", f"/id/report/{MET}", "text/turtle"),
    ("API grades-by-question.json", "/api/queries/grades-by-question.json", "*/*"),
    ("API findings-for-question.csv", "/api/queries/findings-for-question.csv?question=q2", "*/*"),
    ("API grades-for-question-and-year.json", "/api/queries/grades-for-question-and-year.json", "*/*"),
    ("SPARQL GET (JSON)", "/sparql?" + httpx.QueryParams({"query": LOAD_QUERY}).__str__(),
     "application/sparql-results+json"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def start_server(project: Path, build_dir: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "peelkg", "--project", str(project), "--build-dir", str(build_dir),
               "serve", "--port", str(port), "--row-limit", "1000000", "--timeout", "60"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server did not start: {process.stderr.read().decode()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_server(base: str, runs: int) -> dict[str, list[float]]:
    timings = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path, accept in TARGETS:
            warm = client.get(path, headers={"Accept": accept})
            if warm.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {warm.status_code}: {warm.text[:300]}")
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(path, headers={"Accept": accept})
                response.read()
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            timings[name] = samples
    return timings


class RecordingStore:
    """A pyoxigraph store that notes every query it is asked before answering it."""

    def __init__(self, store):
        self.store, self.log = store, []

    def query(self, text, **dataset):
        self.log.append((text, dataset))
        return self.store.query(text, **dataset)

    def __getattr__(self, name):
        return getattr(self.store, name)


def recorded_queries(project: Path, build_dir: Path) -> tuple[object, dict[str, list]]:
    """The queries the app runs for each target (after one request that fills the caches)."""
    from starlette.testclient import TestClient

    from peelkg.project import Project
    from peelkg.query.local import lookup_on
    from peelkg.serve import ServeConfig, create_app

    app = create_app(ServeConfig(project=Project(project), build_dir=build_dir, max_rows=1_000_000))
    graph = app.state.graph
    recorder = RecordingStore(graph.store)
    graph.engine.store = graph.page_engine.store = recorder
    graph.resolver.lookup = lookup_on(recorder)  # checks of IRIs against their class are queries too
    found = {}
    with TestClient(app) as client:
        for name, path, accept in TARGETS:
            client.get(path, headers={"Accept": accept})  # warm: the resolver's value lists
            recorder.log = []
            response = client.get(path, headers={"Accept": accept})
            assert response.status_code == 200, (name, response.status_code)
            found[name] = list(recorder.log)
    return recorder.store, found


def materialise(answer) -> int:
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return 1
    if isinstance(answer, ox.QuerySolutions):
        variables = answer.variables
        return sum(1 for row in answer for _ in [[row[v] for v in variables]])
    return sum(1 for _ in answer)


def time_raw(store, queries: dict[str, list], runs: int) -> dict[str, list[float]]:
    timings = {}
    for name, log in queries.items():
        for text, dataset in log:  # warm-up
            materialise(store.query(text, **dataset))
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            for text, dataset in log:
                materialise(store.query(text, **dataset))
            samples.append((time.perf_counter() - started) * 1000)
        timings[name] = samples
    return timings


async def load(base: str, clients: int, total: int) -> tuple[float, int, int]:
    sent = 0
    errors = 0
    params = {"query": LOAD_QUERY}

    async def worker():
        nonlocal sent, errors
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while sent < total:
                sent += 1
                try:
                    response = await client.get("/sparql", params=params,
                                                headers={"Accept": "application/sparql-results+json"})
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started, sent, errors


def raw_load(store, clients: int, total: int) -> float:
    def one(_):
        return materialise(store.query(LOAD_QUERY))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(total)))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--build-dir", type=Path, default=None, help="default: PROJECT/build")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--out", type=Path, default=None, help="also write the tables to this Markdown file")
    args = parser.parse_args(argv)
    build_dir = args.build_dir or args.project / "build"
    if args.requests < 1 or args.clients < 1 or args.runs < 1:
        parser.error("--runs, --requests and --clients must be at least 1")

    manifest = (build_dir / "manifest.json").read_text()
    import json

    summary = json.loads(manifest)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.project, build_dir, port)
    try:
        served = time_server(base, args.runs)
        elapsed, sent, errors = asyncio.run(load(base, args.clients, args.requests))
        peak = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    store, queries = recorded_queries(args.project, build_dir)
    raw = time_raw(store, queries, args.runs)
    raw_elapsed = raw_load(store, args.clients, args.requests)

    reports = len(summary.get("reports", {}))
    lines = [f"Build: {build_dir} ({reports} reports); {args.runs} runs per target; "
             f"{os.cpu_count()} cores shared by server and client.", "",
             "| page type / API call | queries | p50 ms | p99 ms | raw pyoxigraph p50 ms | ratio p50 |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, _, _ in TARGETS:
        p50, p99 = percentile(served[name], 50), percentile(served[name], 99)
        raw50 = percentile(raw[name], 50)
        ratio = f"{p50 / raw50:.1f}" if raw50 > 0 else "-"
        lines.append(f"| {name} | {len(queries[name])} | {p50:.1f} | {p99:.1f} | {raw50:.2f} | {ratio} |")
    lines += ["", f"| load: {args.clients} clients, SPARQL GET | requests | errors | throughput req/s | "
                  "server peak RSS MiB | raw pyoxigraph req/s (same query, {0} threads) | ratio |".format(args.clients),
              "|---|---:|---:|---:|---:|---:|---:|",
              f"| /sparql | {sent} | {errors} | {sent / elapsed:.0f} | {peak:.0f} | "
              f"{args.requests / raw_elapsed:.0f} | {(args.requests / raw_elapsed) / (sent / elapsed):.1f} |"]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
