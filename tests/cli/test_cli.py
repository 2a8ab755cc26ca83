"""``python -m workbook check|scenarios|export``: exit codes, output shapes, atomic writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from builders import REPO, VALID_YAML, valid_data

from workbook.cli import main
from workbook.files import dump_data, load_model_text, model_to_data

SCENARIO_KEYS = {
    "name", "profile_pct", "engagement_pct", "profile_grade", "engagement_level", "cell", "state",
    "knocked_out", "estimate", "agrees", "contributions",
}
LOCATED = re.compile(r"^(error|warning): [\w\[\]. -]+: .+")


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(VALID_YAML, encoding="utf-8")
    return path


@pytest.fixture
def invalid_file(tmp_path: Path) -> Path:
    path = tmp_path / "invalid.yaml"
    path.write_text(
        VALID_YAML.replace("    weight: 35\n", "    weight: 30\n").replace("C3: Nurture", "C3: Call now"),
        encoding="utf-8",
    )
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------
def test_check_valid_exits_0(capsys, valid_file):
    code, out, err = run(capsys, "check", valid_file)
    assert code == 0
    assert out.strip() == f"{valid_file}: valid — 0 error(s), 0 warning(s)"
    assert err == ""


def test_check_invalid_exits_1_with_located_problems(capsys, invalid_file):
    code, out, err = run(capsys, "check", invalid_file)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[-1] == f"{invalid_file}: invalid — 2 error(s), 0 warning(s)"
    problems = lines[:-1]
    assert all(LOCATED.match(line) for line in problems), problems
    assert any(line.startswith("error: profile: weights add up to 95, they must add up to 100") for line in problems)
    assert any(line.startswith("error: matrix.C3: 'Call now' is not one of the states") for line in problems)
    assert all(re.search(r"\(line \d+\)$", line) for line in problems)


def test_check_warnings_do_not_fail(capsys, tmp_path):
    path = tmp_path / "warn.yaml"
    path.write_text(VALID_YAML.replace("    estimate: {state: Ignore}\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "check", path)
    assert code == 0
    assert "warning: scenarios[1].estimate: scenario 'Student with a demo' has no estimate" in out
    assert "valid — 0 error(s), 1 warning(s)" in out


def test_check_wrong_shape_exits_1(capsys, tmp_path):
    path = tmp_path / "shape.yaml"
    path.write_text(VALID_YAML.replace("    weight: 35\n", "    wieght: 35\n"), encoding="utf-8")
    code, out, err = run(capsys, "check", path)
    assert code == 1
    assert "the model file is invalid" in err
    assert "  profile[0].wieght: unknown key (did you mean 'weight'?)" in err
    assert "  profile[0].weight: required key is missing" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"- just\n- a list\n", "the file holds a list"),
        (b"name: [unclosed\n", "not valid YAML"),
        (b"a: &x 1\nb: *x\n", "aliases"),
        (b"\xff\xfe\xfa", "not UTF-8"),
        (b"", "file is empty"),
    ],
)
def test_check_unreadable_exits_2(capsys, tmp_path, content, fragment):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    code, out, err = run(capsys, "check", path)
    assert code == 2
    assert out == ""
    assert err.startswith(f"{path}: cannot read the model file: ")
    assert fragment in err


def test_check_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", tmp_path / "nope.yaml")
    assert code == 2
    assert "no such file" in err


def test_bad_command_line_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "x.yaml", "--format", "xml"])
    assert exc.value.code == 2


# --------------------------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------------------------
def test_scenarios_table(capsys, valid_file):
    code, out, err = run(capsys, "scenarios", valid_file)
    assert code == 0
    lines = out.rstrip("\n").splitlines()
    assert lines[0].split() == ["Scenario", "Profile", "Engagement", "Cell", "State", "Estimate", "Agrees"]
    rows = {line.split("  ")[0]: line for line in lines[2:5]}
    # worked out by hand from VALID_YAML: 35 + 40 + 25 = 100; 60 + 40 = 100
    assert re.search(r"100 %\s+100 %\s+A1\s+Send to sales\s+A1 / Send to sales\s+yes$",
                     rows["RevOps head, demo last week"])
    # 35×0 + 40 + 25 = 65 → B; 60 → 2; the Student knockout sends it to Ignore
    assert re.search(r"65 %\s+60 %\s+B2\s+Ignore \(knocked out\)\s+Ignore\s+yes$", rows["Student with a demo"])
    # 40 × 50 % = 20 → D; 40 × -100 % = -40 → 0 → 4; D4 is Ignore, the team said Nurture
    assert re.search(r"20 %\s+0 %\s+D4\s+Ignore\s+C4 / Nurture\s+NO$", rows["Small firm, unsubscribed"])
    assert lines[-1] == "2 of 3 scenarios agree"
    assert err == ""


def test_scenarios_json(capsys, valid_file):
    code, out, _ = run(capsys, "scenarios", "--json", valid_file)
    assert code == 0
    results = json.loads(out)
    assert [r["name"] for r in results] == [
        "RevOps head, demo last week", "Student with a demo", "Small firm, unsubscribed",
    ]
    for r in results:
        assert set(r) == SCENARIO_KEYS
    first, second, third = results
    assert (first["profile_pct"], first["engagement_pct"], first["cell"], first["state"]) == (100, 100, "A1",
                                                                                            "Send to sales")
    assert first["estimate"] == {"profile": "A", "engagement": "1", "state": "Send to sales"}
    assert first["agrees"] is True
    assert second["knocked_out"] is True and second["state"] == "Ignore" and second["cell"] == "B2"
    assert third["agrees"] is False
    assert (third["profile_grade"], third["engagement_level"]) == ("D", "4")
    contrib = third["contributions"]
    assert [c["name"] for c in contrib] == ["Job role", "Employees", "Country", "Demo request", "E-mail"]
    assert [c["points"] for c in contrib] == [0, 20, 0, 0, -40]
    assert set(contrib[0]) == {"section", "name", "value", "weight", "score", "effective_weight", "points",
                               "knockout"}


def test_scenarios_json_agrees_null_without_estimate(capsys, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(VALID_YAML.replace("    estimate: {state: Ignore}\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "scenarios", "--json", path)
    assert code == 0
    second = json.loads(out)[1]
    assert second["agrees"] is None
    assert second["estimate"] == {}


def test_scenarios_table_counts_scenarios_without_estimate(capsys, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(VALID_YAML.replace("    estimate: {state: Ignore}\n", ""), encoding="utf-8")
    _, out, _ = run(capsys, "scenarios", path)
    assert out.rstrip().splitlines()[-1] == "1 of 2 scenarios agree (1 without estimate)"
    assert re.search(r"Student with a demo .*–\s+–$", out, re.M)


def test_scenarios_of_an_invalid_draft_still_scored_with_a_note(capsys, invalid_file):
    code, out, err = run(capsys, "scenarios", "--json", invalid_file)
    assert code == 0
    assert "note: the model has 2 error(s)" in err
    results = json.loads(out)
    # Job role weight is now 30: 30 + 40 + 25 = 95
    assert results[0]["profile_pct"] == 95


def test_scenarios_unreadable_exits_2(capsys, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("[1, 2]\n")
    code, _, err = run(capsys, "scenarios", path)
    assert code == 2
    assert "the file holds a list" in err


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------
def test_export_yaml_to_stdout_round_trips(capsys, valid_file):
    code, out, err = run(capsys, "export", valid_file, "--format", "yaml")
    assert code == 0
    assert err == ""
    assert load_model_text(out).model == load_model_text(VALID_YAML).model
    assert out.startswith("schema_version: 1\nname: Sales automation software — test\n")


def test_export_json_to_stdout(capsys, valid_file):
    code, out, _ = run(capsys, "export", valid_file, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == model_to_data(load_model_text(VALID_YAML).model)
    assert data["profile"][0]["weight"] == 35 and isinstance(data["profile"][0]["weight"], int)
    assert data["engagement_levels"][0]["level"] == "1"
    assert list(data)[:3] == ["schema_version", "name", "description"]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_to_file(capsys, valid_file, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    code, out, err = run(capsys, "export", valid_file, "--format", fmt, "-o", target)
    assert code == 0
    assert out == ""
    assert err.strip() == f"wrote {target}"
    text = target.read_text(encoding="utf-8")
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert data["name"] == "Sales automation software — test"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["model.yaml", target.name])


def test_export_final_refused_on_invalid_model(capsys, invalid_file, tmp_path):
    target = tmp_path / "out.yaml"
    code, out, err = run(capsys, "export", invalid_file, "--format", "yaml", "-o", target)
    assert code == 1
    assert out == ""
    assert "not exported — a final export needs a valid model (2 error(s)); use --draft" in err
    assert "error: profile: weights add up to 95" in err
    assert not target.exists()


def test_export_draft_allowed_on_invalid_model(capsys, invalid_file):
    code, out, _ = run(capsys, "export", invalid_file, "--format", "json", "--draft")
    assert code == 0
    data = json.loads(out)
    assert data["profile"][0]["weight"] == 30
    assert data["matrix"]["C3"] == "Call now"


def test_export_into_missing_folder_exits_2_and_writes_nothing(capsys, valid_file, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "out.yaml"
    code, out, err = run(capsys, "export", valid_file, "--format", "yaml", "-o", target)
    assert code == 2
    assert f"{target}: cannot write" in err
    assert "No such file or directory" in err
    assert not (tmp_path / "no").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.yaml"]


def test_export_onto_a_folder_keeps_nothing_partial(capsys, valid_file, tmp_path):
    target = tmp_path / "adir"
    target.mkdir()
    code, _, err = run(capsys, "export", valid_file, "--format", "yaml", "-o", target)
    assert code == 2
    assert "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "model.yaml"]
    assert list(target.iterdir()) == []


def test_export_replaces_existing_file_whole(capsys, valid_file, tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old content that is much longer than nothing\n" * 1000)
    code, _, _ = run(capsys, "export", valid_file, "--format", "yaml", "-o", target)
    assert code == 0
    assert load_model_text(target.read_text(encoding="utf-8")).model.name == "Sales automation software — test"
    assert "old content" not in target.read_text(encoding="utf-8")


def export_schema(capsys) -> dict:
    code, out, _ = run(capsys, "export", "unused.yaml", "--format", "jsonschema")
    assert code == 0
    return json.loads(out)


def test_export_jsonschema_structure(capsys):
    schema = export_schema(capsys)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"schema_version", "name", "states", "profile_grades",
                                       "engagement_levels", "matrix"}
    assert {"team", "missing", "knockout_state", "profile", "engagement", "scenarios", "metadata"} <= set(
        schema["properties"])
    assert schema["properties"]["schema_version"]["const"] == 1
    defs = schema["$defs"]
    for name in ("ProfileAttribute", "Activity", "Value", "Scenario", "TeamMember", "State", "Match"):
        assert defs[name]["additionalProperties"] is False, name
    for name in ("ProfileAttribute", "Activity"):
        weight = defs[name]["properties"]["weight"]
        assert (weight["minimum"], weight["maximum"]) == (0, 100)
    score = defs["Value"]["properties"]["score"]
    assert (score["minimum"], score["maximum"]) == (-100, 100)
    for band in ("ProfileGrade", "EngagementLevel"):
        assert (defs[band]["properties"]["min"]["minimum"], defs[band]["properties"]["min"]["maximum"]) == (0, 100)
    assert set(defs["Value"]["required"]) == {"label", "score"}


def test_export_jsonschema_to_file(capsys, tmp_path):
    target = tmp_path / "schema.json"
    code, _, _ = run(capsys, "export", "unused.yaml", "--format", "jsonschema", "-o", target)
    assert code == 0
    assert json.loads(target.read_text())["additionalProperties"] is False


def test_export_jsonschema_validates_a_real_model(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    schema = export_schema(capsys)
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(json.dumps(model_to_data(load_model_text(VALID_YAML).model)))
    assert list(validator.iter_errors(good)) == []

    typo = valid_data()
    typo["profile"][0]["wieght"] = 1
    assert any("wieght" in e.message for e in validator.iter_errors(typo))

    heavy = json.loads(json.dumps(good))
    heavy["profile"][0]["weight"] = 101
    assert any(e.validator == "maximum" for e in validator.iter_errors(heavy))

    low = json.loads(json.dumps(good))
    low["engagement"][1]["values"][1]["score"] = -101
    assert any(e.validator == "minimum" for e in validator.iter_errors(low))

    no_matrix = json.loads(json.dumps(good))
    del no_matrix["matrix"]
    assert any(e.validator == "required" for e in validator.iter_errors(no_matrix))


# --------------------------------------------------------------------------------------------
# real processes
# --------------------------------------------------------------------------------------------
def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


def test_process_check_exit_codes(valid_file, invalid_file, tmp_path):
    unreadable = tmp_path / "list.yaml"
    unreadable.write_text("- 1\n")
    for path, code in ((valid_file, 0), (invalid_file, 1), (unreadable, 2)):
        proc = run_process("check", path)
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr


def test_process_scenarios_json_and_export(valid_file, tmp_path):
    proc = run_process("scenarios", "--json", valid_file)
    assert proc.returncode == 0
    assert [r["agrees"] for r in json.loads(proc.stdout)] == [True, True, False]
    target = tmp_path / "final.yaml"
    proc = run_process("export", valid_file, "--format", "yaml", "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["schema_version"] == 1


def test_process_bad_arguments_exit_2_without_traceback():
    proc = run_process("check")
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_process_lone_surrogate_in_a_name_gives_no_traceback(tmp_path):
    path = tmp_path / "surrogate.yaml"
    text = VALID_YAML.replace("name: Student with a demo", 'name: "Student \\ud800"')
    path.write_text(text.replace("    estimate: {state: Ignore}\n", ""), encoding="utf-8")
    for args in (("check", path), ("scenarios", path)):
        proc = run_process(*args)
        assert "Traceback" not in proc.stdout + proc.stderr
        assert proc.returncode in (1, 2)


# --------------------------------------------------------------------------------------------
# The example workbooks shipped in scenarios/
# --------------------------------------------------------------------------------------------
EXAMPLES = sorted((REPO / "scenarios").glob("*.yaml"))


@pytest.mark.skipif(not EXAMPLES, reason="no example workbooks in scenarios/ yet")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_workbooks_pass_check(capsys, path):
    code, out, err = run(capsys, "check", path)
    assert code == 0, out + err
    assert "Traceback" not in out + err


SALES = REPO / "scenarios" / "sales_automation.yaml"


@pytest.mark.skipif(not SALES.exists(), reason="scenarios/sales_automation.yaml not written yet")
def test_sales_automation_example_has_agreeing_and_disagreeing_scenarios(capsys):
    code, out, _ = run(capsys, "scenarios", "--json", SALES)
    assert code == 0
    results = json.loads(out)
    assert len(results) >= 15
    agrees = [r["agrees"] for r in results]
    assert True in agrees and False in agrees
    for r in results:
        for sec, pct in (("profile", r["profile_pct"]), ("engagement", r["engagement_pct"])):
            points = sum(Fraction(c["points"]) for c in r["contributions"] if c["section"] == sec)
            assert 0 <= pct <= 100
            if 0 < pct < 100:  # not clamped: the contributions explain the % exactly
                assert float(points) == pytest.approx(pct, abs=1e-6)
    _, table, _ = run(capsys, "scenarios", SALES)
    n_agree = agrees.count(True)
    n_given = n_agree + agrees.count(False)
    assert re.search(rf"^{n_agree} of {n_given} scenarios agree", table, re.M)


def test_dump_data_is_plain_yaml():
    assert yaml.safe_load(dump_data({"a": [1, 2], "b": "No"})) == {"a": [1, 2], "b": "No"}
