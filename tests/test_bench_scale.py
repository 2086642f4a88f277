"""The helpers of benchmarks/bench_scale.py: target checks and tables from its results, the floor
loads, the measured process's limits and the shell command's parameters."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_floor  # noqa: E402
import bench_process  # noqa: E402
import bench_report as report  # noqa: E402
from bench_scale import shell_params  # noqa: E402


def _query(name: str, median: float, worst: float, ratio: float) -> dict:
    return {"name": name, "rows": 1, "notes": [], "median_ms": median, "max_ms": worst,
            "raw_median_ms": median / ratio, "ratio": ratio}


def _entry(n: int, **changes) -> dict:
    entry = {
        "reports": n, "triples": 1000,
        "full": {"returncode": 0, "stopped": None, "wall_s": 50.0, "cpu_s": 86.0, "tree_peak_mib": 3000.0,
                 "max_proc_rss_mib": 2900.0},
        "floor": {"inputs": {"wall_s": 5.0, "cpu_s": 4.0, "quads": 800},
                  "written": {"wall_s": 12.5, "cpu_s": 20.0, "quads": 2000}},
        "incremental": [{"returncode": 0, "wall_s": 1.5}, {"returncode": 0, "wall_s": 2.5},
                        {"returncode": 0, "wall_s": 1.0}],
        "queries": {"queries": [_query("a", 4.0, 5.0, 1.2), _query("b", 30.0, 600.0, 1.6),
                                _query("c", 10.0, 11.0, 1.0), {"name": "d", "notes": [], "error": "stopped after 60 s"}]},
        "shell": {"median_ms": 150.0, "in_process_ms": 4.0, "overhead_ms": 146.0},
    }
    entry.update(changes)
    return entry


def _summary(checks: list[dict]) -> list[tuple]:
    return [(c["target"], c["value"], c["met"]) for c in checks]


def test_ratio_needs_both_figures_and_a_positive_base():
    assert report.ratio(10.0, 4.0) == 2.5
    assert report.ratio(None, 4.0) is None
    assert report.ratio(10.0, None) is None
    assert report.ratio(10.0, 0.0) is None


def test_a_size_is_held_to_the_named_size_at_or_below_it():
    builds = report.TARGETS["full_build_s"]
    assert [report.limit_for(builds, n) for n in (43, 430, 1000, 4300, 8600)] == [None, 60.0, 60.0, 600.0, 600.0]
    incremental = report.TARGETS["incremental_s"]
    assert [report.limit_for(incremental, n) for n in (1, 430, 431, 4300)] == [2.0, 2.0, 5.0, 5.0]


def test_median_of_medians_skips_queries_without_figures():
    assert report.median_of_medians(_entry(43)) == 10.0


def test_floor_ratios_divide_the_build_by_the_floor():
    assert report.floor_ratios(_entry(430), "written") == {"full": 4.0, "cpu": 4.3, "incremental": 0.12}
    assert report.floor_ratios(_entry(430), "inputs") == {"full": 10.0, "cpu": 21.5, "incremental": 0.3}


def test_checks_at_430_reports():
    assert _summary(report.checks(_entry(430))) == [
        ("full build ≤ 60 s", 50.0, True),
        ("peak memory (process tree) ≤ 2 GiB", 3000.0, False),
        ("full build ≤ 5× floor (b)", 4.0, True),
        ("incremental ≤ 2 s (slowest run)", 2.5, False),
        ("every query ≤ 500 ms (slowest run)", 600.0, False),
        ("median of the query medians ≤ 20 ms", 10.0, True),
        ("every query within 1.5× raw pyoxigraph (medians)", 1.6, False),
        ("`peelkg query grades-by-question` from the shell ≤ 100 ms (median)", 150.0, False),
    ]


def test_checks_below_430_reports_leave_out_build_memory_and_floor_targets():
    assert [c["target"] for c in report.checks(_entry(43))][:2] == [
        "incremental ≤ 2 s (slowest run)", "every query ≤ 500 ms (slowest run)"]


def test_a_stopped_build_misses_its_targets_and_says_why():
    full = {"returncode": -9, "stopped": "stopped after 1800 s", "wall_s": 1800.2, "cpu_s": 3500.0,
            "tree_peak_mib": 5000.0, "max_proc_rss_mib": 4900.0}
    entry = {"reports": 4300, "full": full, "floor": {"inputs": {"wall_s": 90.0, "cpu_s": 120.0, "quads": 9}}}
    checks = report.checks(entry)
    assert _summary(checks) == [("full build ≤ 600 s", None, False),
                                ("peak memory (process tree) ≤ 2 GiB", 5000.0, False),
                                ("full build ≤ 5× floor (b)", None, False)]
    assert {c["detail"] for c in checks} == {" (stopped after 1800 s)"}
    assert report.build_cell(entry) == "stopped after 1800 s"
    assert report.cpu_per_report(entry) is None


def test_memory_of_a_build_stopped_under_the_limit_is_not_known():
    full = {"returncode": -9, "stopped": "stopped after 1800 s", "wall_s": 1800.2, "cpu_s": 3500.0,
            "tree_peak_mib": 1500.0, "max_proc_rss_mib": 1400.0}
    lines = report.targets([{"reports": 4300, "full": full}])
    assert lines[1] == ("- 4300 reports: peak memory (process tree) ≤ 2 GiB: 1500.00 MiB — not known "
                        "(stopped after 1800 s)")


def test_target_lines_name_the_queries_that_missed():
    lines = report.targets([_entry(430)])
    assert lines[4] == ("- 430 reports: every query ≤ 500 ms (slowest run): 600.00 ms — MISSED (worst: b); "
                        "missed by b 600.00")
    assert lines[-1] == "- 430 reports: every query ≤ 500 ms — MISSED: stopped by the benchmark: d (stopped after 60 s)"


def test_target_lines_give_the_reason_a_query_was_not_run():
    failed = {"name": "e", "notes": [], "error": "Parameter to: 'cycle:x' is not a peel:InspectionCycle in the graph."}
    entry = _entry(43, queries={"queries": [_query("a", 4.0, 5.0, 1.2), failed]})
    assert report.targets([entry])[-1] == (
        "- 43 reports: queries not run (error): e (Parameter to: 'cycle:x' is not a peel:InspectionCycle in the graph.)")


def test_floor_table_row():
    assert report.floor_table([_entry(430)])[2] == (
        "| 430 | 5.0 / 4.0 (800 quads) | 12.5 / 20.0 (2,000 quads) | 4.0 / 4.3 / 0.1 | 10.0 / 21.5 / 0.3 |")


def test_build_table_row_gives_cpu_seconds_per_report():
    assert report.build_table([_entry(430)])[2] == (
        "| 430 | 1,000 | 50.0 | 86.0 | 0.200 | 3000 / 2900 | 1.50 / 2.50 | not run |")


def test_shell_command_gets_the_values_the_query_worker_substituted():
    notes = ["report=peel-2015-effectiveness-kent (required)", "force=kent"]
    assert shell_params(notes) == ["-p", "report", "peel-2015-effectiveness-kent", "-p", "force", "kent"]


def test_a_measured_process_is_stopped_at_its_timeout():
    result = bench_process.run_measured([sys.executable, "-c", "import time; time.sleep(60)"], timeout=1)
    assert (result["stopped"], result["returncode"]) == ("stopped after 1 s", -9)


def test_a_measured_process_is_stopped_at_its_memory_limit():
    grow = "import time\nheld = []\nwhile True:\n    held.append(bytearray(50 * 2**20)); time.sleep(0.05)"
    result = bench_process.run_measured([sys.executable, "-c", grow], memory_mib=300)
    assert result["stopped"].startswith("stopped at ") and result["returncode"] == -9


def test_floor_a_loads_every_distinct_triple_of_the_input_files(tmp_path):
    expected = ox.Store()
    for path in bench_floor.input_files(ROOT):
        expected.extend(q for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    floor = bench_floor.measure_inputs(ROOT, tmp_path)
    assert floor["quads"] == len(expected)
    assert floor["files"] == len(bench_floor.input_files(ROOT))
    assert list(tmp_path.iterdir()) == []  # its store is deleted


def test_floor_b_loads_every_quad_the_build_wrote(built, tmp_path):
    floor = bench_floor.measure_written(built, tmp_path)
    assert floor["quads"] == len(ox.Store.read_only(str(bench_floor.built_store(built))))
    assert list(tmp_path.iterdir()) == []  # the dump and its store are deleted
