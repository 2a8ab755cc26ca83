"""``python -m workbook fit``: held-out figures side by side and a valid suggested model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fit_support import KNOWN_POINTS_YAML, known_points_leads

from workbook.cli import main
from workbook.files import load_model_file
from workbook.validate import validate


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fit")
    model = folder / "model.yaml"
    model.write_text(KNOWN_POINTS_YAML, encoding="utf-8")
    leads = folder / "leads.csv"
    known_points_leads(rows=1500, seed=2).to_csv(leads, index=False)
    return model, leads


def test_json_figures_and_suggested_model_file(files, tmp_path, capsys):
    model, leads = files
    out = tmp_path / "suggested.yaml"
    code = main(["fit", str(model), str(leads), "--outcome", "Converted", "--seed", "1", "-o", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    for key in ("auc_current", "auc_suggested", "auc_ceiling"):
        assert 0 <= data[key] <= 1
    assert data["auc_suggested"] > data["auc_current"]
    assert [s["state"] for s in data["states_current"]] == ["Send to sales", "Qualify", "Nurture", "Ignore"]
    assert sum(s["count"] for s in data["states_suggested"]) == data["held_out"]["rows"] == 450
    assert {"rate", "converted", "known"} <= set(data["states_suggested"][0])
    assert any(leak["attribute"] == "Tag" for leak in data["leaks"])
    suggested = load_model_file(out).model
    assert validate(suggested).is_valid
    assert {f.name: f.weight for f in suggested.profile} == {
        w["name"]: w["suggested"] for w in data["weights"] if w["section"] == "profile"}
    assert main(["check", str(out)]) == 0


def test_text_shows_the_side_by_side_table(files, capsys):
    model, leads = files
    assert main(["fit", str(model), str(leads), "--outcome", "Converted", "--keep-thresholds",
                 "--lock", "profile:Size"]) == 0
    text = capsys.readouterr().out
    assert "current  suggested  ceiling" in text
    assert "AUC" in text and "Send to sales" in text and "Possible leakage" in text
    assert "Thresholds" not in text
    assert "of the gap between the current model and the ceiling" in text
    size = next(line for line in text.splitlines() if line.startswith("profile") and " Size " in line)
    assert size.split()[2:5] == ["40", "40", "locked"]


def test_k_fold(files, capsys):
    model, leads = files
    assert main(["fit", str(model), str(leads), "--outcome", "Converted", "--folds", "3", "--json",
                 "--keep-thresholds"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held_out"]["method"] == "3-fold" and data["held_out"]["rows"] == 1500
    assert len(data["held_out"]["folds"]) == 3


def test_errors_in_words_never_a_traceback(files, tmp_path, capsys):
    model, leads = files
    assert main(["fit", str(model), str(leads), "--outcome", "Won"]) == 2
    assert "no column 'Won'" in capsys.readouterr().err
    assert main(["fit", str(tmp_path / "none.yaml"), str(leads), "--outcome", "Converted"]) == 2
    assert "cannot read the model file" in capsys.readouterr().err
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(KNOWN_POINTS_YAML.replace("weight: 40\n    values: [{label: Exec", "weight: 45\n    "
                                                 "values: [{label: Exec"), encoding="utf-8")
    assert main(["fit", str(invalid), str(leads), "--outcome", "Converted"]) == 1
    assert "use --draft" in capsys.readouterr().err
    nowhere = tmp_path / "missing-folder" / "out.yaml"
    assert main(["fit", str(model), str(leads), "--outcome", "Converted", "-o", str(nowhere)]) == 2
    assert "cannot write" in capsys.readouterr().err and not nowhere.exists()
    assert main(["fit", str(model), str(leads), "--outcome", "Converted", "--lock", "Seats"]) == 2
    assert "no attribute or activity is named 'Seats'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["fit", str(model), str(leads), "--outcome", "Converted", "--holdout", "1.5"])
    assert exc.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_an_unreadable_lead_list_is_named_in_words(files, tmp_path, capsys):
    model, _ = files
    assert main(["fit", str(model), str(tmp_path / "nowhere.csv"), "--outcome", "Converted"]) == 2
    err = capsys.readouterr().err
    assert "nowhere.csv: cannot read the lead list" in err and "Traceback" not in err
