"""A model file with a flood of mistakes gets a bounded answer (issue 12, finding 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workbook.files import ModelInvalid, load_model_text
from workbook.files.problems import MAX_PROBLEMS

REPO = Path(__file__).resolve().parents[2]
SALES = (REPO / "scenarios" / "sales_automation.yaml").read_text(encoding="utf-8")


def flooded(n: int) -> str:
    return SALES + "".join(f"unknown_{i}: 1\n" for i in range(n))


def test_problems_are_capped_with_how_many_more():
    try:
        load_model_text(flooded(5_000), max_bytes=10**8)
    except ModelInvalid as exc:
        problems = exc.problems
    assert len(problems) == MAX_PROBLEMS
    assert problems[-1].message == f"and {5_000 - MAX_PROBLEMS + 1:,} more problems like these"
    assert all("unknown key" in p.message for p in problems[:-1])


def test_a_few_problems_are_all_listed():
    try:
        load_model_text(flooded(3))
    except ModelInvalid as exc:
        assert [p.location for p in exc.problems] == ["unknown_0", "unknown_1", "unknown_2"]


def test_cli_output_stays_small(tmp_path):
    path = tmp_path / "flood.yaml"
    path.write_text(flooded(100_000), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "workbook", "check", str(path)], capture_output=True, text=True,
                         cwd=REPO, env={"WORKBOOK_MAX_MODEL_BYTES": str(10**8), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(run.stdout) + len(run.stderr) < 20_000
    assert "99,951 more problems" in run.stderr
