"""Paths of the repository and of the invented authoring fixture, shared by the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "authoring"
KENT = "peel-2015-effectiveness-kent"
REPORT_TTL = FIXTURE / KENT / "report.ttl"
SOURCE = FIXTURE / f"{KENT}.txt"
MET = ROOT / "data" / "reports" / "peel-2015-effectiveness-metropolitan"
MET_SOURCE = ROOT / "data" / "sources" / "peel-2015-effectiveness-metropolitan.txt"
R = f"https://w3id.org/peelkg/id/report/{KENT}/"
