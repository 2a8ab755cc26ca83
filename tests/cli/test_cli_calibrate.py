"""``python -m workbook calibrate``: output, JSON shape, exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from calibrate_builders import REPO

from workbook.cli import main

EXAMPLE = REPO / "scenarios" / "sales_automation.yaml"
CORPUS = REPO / "tests" / "corpus"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_shows_both_suggestions(capsys):
    code, out, err = run(capsys, "calibrate", EXAMPLE)
    assert code == 0
    assert "Thresholds — 17 → 18 of 21 scenarios agree" in out
    assert "B 50 → 57" in out
    assert "Commission-tool shopper at a small agency: B3 / Nurture → C3 / Nurture" in out
    assert "Weights (steps of 0.5 points) — 17 → " in out
    assert "ICP weights:" in out and "Job role" in out
    assert "Broken: none" in out
    assert "Traceback" not in out + err


def test_only_the_asked_suggestion(capsys):
    code, out, _ = run(capsys, "calibrate", EXAMPLE, "--thresholds")
    assert code == 0 and "Thresholds" in out and "Weights" not in out
    code, out, _ = run(capsys, "calibrate", EXAMPLE, "--weights", "--step", "1")
    assert code == 0 and "Weights (steps of 1 points)" in out and "Thresholds" not in out


def test_json_is_one_object(capsys):
    code, out, _ = run(capsys, "calibrate", EXAMPLE, "--json", "--alignment", "--sensitivity", "--thresholds",
                       "--weights")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"model", "thresholds", "weights", "alignment", "sensitivity"}
    t = data["thresholds"]
    assert (t["agreeing_before"], t["agreeing_after"], t["scenarios_with_estimate"]) == (17, 18, 21)
    assert t["changed"] == [{"axis": "profile", "name": "B", "before": 50.0, "after": 57.0}]
    assert t["fixed"] == ["Commission-tool shopper at a small agency"] and t["broken"] == []
    w = data["weights"]
    assert w["agreeing_before"] == 17 and w["agreeing_after"] >= 18
    assert {"section", "name", "before", "after", "fixes", "breaks", "locked"} <= set(w["weights"][0])
    assert data["alignment"]["fleiss_kappa"] is not None
    assert data["sensitivity"]["tornado"]


def test_locked_weights_stay(capsys):
    code, out, _ = run(capsys, "calibrate", EXAMPLE, "--weights", "--json", "--lock", "Geography",
                       "--lock", "profile:Job role")
    assert code == 0
    weights = {(w["section"], w["name"]): w for w in json.loads(out)["weights"]["weights"]}
    for key in (("profile", "Geography"), ("profile", "Job role")):
        assert weights[key]["locked"] and weights[key]["before"] == weights[key]["after"]


def test_unknown_lock_is_a_command_line_error(capsys):
    code, out, err = run(capsys, "calibrate", EXAMPLE, "--lock", "Shoe size")
    assert code == 2 and "Shoe size" in err and out == ""


def test_bad_numbers_are_command_line_errors(capsys):
    for args in (["--step", "0"], ["--step", "x"], ["--time-limit", "-1"], ["--points", "nan"]):
        with pytest.raises(SystemExit) as exc:
            main(["calibrate", str(EXAMPLE), *args])
        assert exc.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


def test_unreadable_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "calibrate", tmp_path / "missing.yaml")
    assert code == 2 and "cannot read" in err


def test_invalid_structure_exits_1(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("schema_version: 1\nname: x\nstates: nope\n", encoding="utf-8")
    code, _, err = run(capsys, "calibrate", path)
    assert code == 1 and "invalid" in err


def test_a_draft_is_calibrated_with_a_note(capsys, tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("weight: 30 ", "weight: 31 ", 1), encoding="utf-8")
    code, out, err = run(capsys, "calibrate", path, "--thresholds")
    assert code == 0 and "note:" in err and "Thresholds" in out


def test_a_model_without_scenarios(capsys, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "none.yaml"
    path.write_text(text[: text.index("\nscenarios:")] + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "calibrate", path)
    assert code == 0 and "0 → 0 of 0 scenarios agree" in out


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_corpus_never_tracebacks(capsys, path: Path):
    code, out, err = run(capsys, "calibrate", path, "--thresholds", "--weights", "--alignment", "--sensitivity",
                         "--time-limit", "2")
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "workbook", "calibrate", str(EXAMPLE), "--thresholds", "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["thresholds"]["agreeing_after"] == 18
