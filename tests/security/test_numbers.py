"""Absurd and mistyped numbers (issue 12, findings 4 and 8): a clear error with its location,
never a traceback, in every command that reads a model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.files import ModelInvalid, load_model_text

REPO = Path(__file__).resolve().parents[2]
SALES = (REPO / "scenarios" / "sales_automation.yaml").read_text(encoding="utf-8")


def edited(pattern: str, replacement: str) -> str:
    text, n = re.subn(pattern, replacement, SALES, count=1, flags=re.M)
    assert n == 1
    return text


CASES = {
    "weight 1e41": (edited(r"weight: \d+", "weight: 1e41"), "profile[0].weight", "too large to score"),
    "score -1e300": (edited(r"score: 100", "score: -1e300"), "profile[0].values[0].score", "too large to score"),
    "band 1e41": (edited(r"min: 75", "min: 1e41"), "profile_grades[0].min", "too large to score"),
    "match min 1e50": (edited(r"match: \{", "match: {min: 1e50, "), "match.min", "too large to score"),
    "within_days 10**30": (edited(r"match: \{", "match: {within_days: 1000000000000000000000000000000, "),
                           "match.within_days", "too large to score"),
    "weight 1_00": (edited(r"weight: \d+", "weight: 1_00"), "profile[0].weight", "must be a number"),
    "weight true": (edited(r"weight: \d+", "weight: true"), "profile[0].weight", "must be a number"),
    "weight '30'": (edited(r"weight: \d+", "weight: '30'"), "profile[0].weight", "must be a number"),
    "schema_version true": (edited(r"^schema_version: 1", "schema_version: true"), "schema_version",
                            "must be a whole number"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_loading_names_the_place(case):
    text, where, words = CASES[case]
    with pytest.raises(ModelInvalid) as info:
        load_model_text(text)
    said = [str(p) for p in info.value.problems]
    assert any(where in p and words in p for p in said), said


@pytest.mark.parametrize("command", ["check", "scenarios", "calibrate", "export --format yaml --draft",
                                     "export --format sql --draft"])
@pytest.mark.parametrize("case", ["weight 1e41", "score -1e300", "band 1e41"])
def test_every_command_refuses_without_a_traceback(tmp_path, command, case):
    text, where, words = CASES[case]
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "workbook", *command.split()[:1], str(path), *command.split()[1:]],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert where in run.stderr and words in run.stderr
