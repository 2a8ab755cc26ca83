"""``python -m workbook score`` and ``export --format sql|dbt``, end to end: outputs, JSON shape,
exit codes (0 fine, 1 invalid model, 2 unreadable input or missing column) and never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from leads_support import AS_OF, REPO, X_EDUCATION_CSV, differences

from workbook.cli import main
from workbook.leads import SCORED_COLUMNS, read_lead_list, score_leads
from workbook.leads.synthetic import generate_leads

SALES = str(REPO / "scenarios" / "sales_automation.yaml")
X_EDU = str(REPO / "scenarios" / "x_education.yaml")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sales_csv(tmp_path, sales) -> str:
    path = tmp_path / "leads.csv"
    generate_leads(sales, 300, as_of=AS_OF, seed=4).to_csv(path, index=False)
    return str(path)


@pytest.fixture
def x_edu_csv() -> str:
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV}")
    return str(X_EDUCATION_CSV)


def test_score_the_real_list_to_a_file(capsys, tmp_path, x_edu_csv, x_education):
    out_path = tmp_path / "scored.csv"
    code, out, err = run(capsys, "score", X_EDU, x_edu_csv, "-o", str(out_path), "--as-of", AS_OF.isoformat())
    assert code == 0 and out == ""
    assert "ignored 1 empty column" in err and "scored 9,240 leads" in err and "Send to sales 2,195 (23.8%)" in err
    written = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    leads = read_lead_list(x_edu_csv).frame
    assert list(written.columns) == [*leads.columns, *SCORED_COLUMNS] and len(written) == 9240
    expected = score_leads(x_education, leads, AS_OF).frame
    got = written[list(SCORED_COLUMNS)].copy()
    got["profile_pct"] = got["profile_pct"].astype(float)
    got["engagement_pct"] = got["engagement_pct"].astype(float)
    got["knocked_out"] = got["knocked_out"].map({"true": True, "false": False})
    assert differences(expected, got) == {}
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left nothing behind


def test_score_to_standard_output_as_csv(capsys, sales_csv):
    code, out, err = run(capsys, "score", SALES, sales_csv, "--as-of", AS_OF.isoformat())
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert len(frame) == 300 and list(frame.columns)[-7:] == list(SCORED_COLUMNS)
    assert set(frame["knocked_out"]) <= {"true", "false"}


def test_score_json_report(capsys, x_edu_csv):
    code, out, err = run(capsys, "score", X_EDU, x_edu_csv, "--json", "--rows", "--outcome", "Converted",
                         "--as-of", AS_OF.isoformat())
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]  # JSON lines: one per lead, the summary last
    report = lines[-1]["summary"] | {"rows": [line["row"] for line in lines[:-1]]}
    assert report["count"] == 9240 and len(report["rows"]) == 9240 and report["as_of"] == AS_OF.isoformat()
    assert sum(c["count"] for c in report["cells"]) == 9240 and len(report["cells"]) == 16
    assert [s["state"] for s in report["states"]] == ["Send to sales", "Qualify", "Nurture", "Ignore"]
    assert sum(s["share"] for s in report["states"]) == pytest.approx(1)
    assert report["knocked_out"] == 833
    assert [u["name"] for u in report["unmatched"]][:3] == ["Occupation", "Lead origin", "Lead source"]
    outcome = report["outcome"]
    assert outcome["column"] == "Converted" and outcome["known"] == 9240
    assert outcome["base_rate"] == pytest.approx(3561 / 9240)
    for s in outcome["states"]:
        assert s["lift"] == pytest.approx(s["rate"] / outcome["base_rate"])
    row = report["rows"][0]
    assert row["Prospect ID"] == "7927b2df-8bba-4d29-b9a2-b6e0beafe620"
    assert {k: row[k] for k in SCORED_COLUMNS} == {
        "profile_pct": 37.0, "engagement_pct": 19.0, "profile_grade": "C", "engagement_level": "4",
        "cell": "C4", "state": "Ignore", "knocked_out": False}


def test_unmatched_values_in_the_json_report(capsys, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("job_title,employees,industry,area_of_interest,country,email_domain,demo_request_date,"
                    "pricing_page_visit_date,comparison_video_date,webinar_attended_date,case_study_download_date,"
                    "email_click_date,company_video_date,subscription_change\n"
                    "Chef,1 000,,x,Mars,acme,15/02/2026,,,,,,,\n" + "Chef,12,,x,Mars,acme,,,,,,,,\n" * 2)
    code, out, err = run(capsys, "score", SALES, str(path), "--json", "--as-of", AS_OF.isoformat())
    assert code == 0
    unmatched = {u["name"]: u for u in json.loads(out)["unmatched"]}
    assert unmatched["Job role"]["count"] == 3
    assert unmatched["Job role"]["top_values"] == [{"value": "Chef", "count": 3}]
    assert unmatched["Employees"]["top_values"] == [{"value": "1 000", "count": 1}]
    assert unmatched["Demo request"]["top_values"] == [{"value": "", "count": 2}, {"value": "15/02/2026", "count": 1}]


def test_xlsx_input(capsys, tmp_path, sales):
    leads = generate_leads(sales, 50, as_of=AS_OF, seed=9, extra_columns=False)
    path = tmp_path / "leads.xlsx"
    leads.to_excel(path, index=False)
    code, out, err = run(capsys, "score", SALES, str(path), "--as-of", AS_OF.isoformat())
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 50


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["score", SALES, "{missing}"], 2, "cannot read the lead list: {missing}: no such file"),
        (["score", SALES, "{empty}"], 2, "is empty"),
        (["score", X_EDU, "{leads}"], 2, "no column 'What is your current occupation' (read by profile attribute "
                                         "'Occupation')"),
        (["score", SALES, "{leads}", "--outcome", "Won"], 2, "no column 'Won' (given with --outcome)"),
        (["score", SALES, "{leads}", "-o", "{nodir}/out.csv"], 2, "cannot write"),
        (["score", "{nomodel}", "{leads}"], 2, "cannot read the model file"),
        (["score", "{invalid}", "{leads}"], 1, "not scored — the model is invalid"),
    ],
)
def test_errors_and_exit_codes(capsys, tmp_path, sales_csv, argv, code, message):
    sales = yaml.safe_load(open(SALES, encoding="utf-8"))
    sales["profile"][0]["weight"] = 31  # weights no longer add up to 100
    (tmp_path / "invalid.yaml").write_text(yaml.safe_dump(sales, allow_unicode=True), encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    names = {"missing": str(tmp_path / "nope.csv"), "empty": str(tmp_path / "empty.csv"), "leads": sales_csv,
             "nodir": str(tmp_path / "no" / "such"), "nomodel": str(tmp_path / "nope.yaml"),
             "invalid": str(tmp_path / "invalid.yaml")}
    argv = [a.format(**names) for a in argv]
    got, out, err = run(capsys, *argv)
    assert got == code and message.format(**names) in err and "Traceback" not in err


def test_draft_scores_an_invalid_model(capsys, tmp_path, sales_csv):
    sales = yaml.safe_load(open(SALES, encoding="utf-8"))
    sales["profile"][0]["weight"] = 31
    path = tmp_path / "invalid.yaml"
    path.write_text(yaml.safe_dump(sales, allow_unicode=True), encoding="utf-8")
    code, out, err = run(capsys, "score", str(path), sales_csv, "--draft")
    assert code == 0 and "scoring it as a draft" in err and len(pd.read_csv(io.StringIO(out))) == 300


def test_bad_as_of_is_a_usage_error(capsys, sales_csv):
    with pytest.raises(SystemExit) as exit_:
        main(["score", SALES, sales_csv, "--as-of", "31/01/2026"])
    assert exit_.value.code == 2 and "is not a date such as 2026-01-31" in capsys.readouterr().err


def test_export_sql_and_dbt(capsys, tmp_path):
    code, out, err = run(capsys, "export", SALES, "--format", "sql", "--dialect", "bigquery", "--table",
                         "proj.crm.leads", "--as-of", "2026-03-01")
    assert code == 0 and "EXCEPT (" in out and "FROM proj.crm.leads" in out and "2026-03-01" in out
    target = tmp_path / "scores.sql"
    code, out, err = run(capsys, "export", SALES, "--format", "dbt", "--table", "crm.leads", "-o", str(target))
    assert code == 0 and target.read_text().startswith("{{ config(materialized='view') }}")
    code, out, err = run(capsys, "export", SALES, "--format", "sql", "--as-of", "tomorrow")
    assert code == 2 and "--as-of" in err
    code, out, err = run(capsys, "export", SALES, "--format", "dbt", "--table", "a.b.c")
    assert code == 2 and "not a dbt relation" in err
    with pytest.raises(SystemExit):
        main(["export", SALES, "--format", "sql", "--dialect", "oracle"])
    capsys.readouterr()


def test_export_sql_needs_a_valid_model(capsys, tmp_path):
    sales = yaml.safe_load(open(SALES, encoding="utf-8"))
    sales["profile"][0]["weight"] = 31
    path = tmp_path / "invalid.yaml"
    path.write_text(yaml.safe_dump(sales, allow_unicode=True), encoding="utf-8")
    assert run(capsys, "export", str(path), "--format", "sql")[0] == 1
    assert run(capsys, "export", str(path), "--format", "sql", "--draft")[0] == 0


def test_the_real_command_line_runs_without_a_traceback(tmp_path, x_edu_csv):
    out_path = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, "-m", "workbook", "score", X_EDU, x_edu_csv, "-o", str(out_path)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out_path.stat().st_size > 2_000_000
    prose = tmp_path / "notes.txt"
    prose.write_text("Lead list, draft\nWe met Acme, Inc. and Initech, Ltd. at the fair, then\nemailed them\n")
    broken = subprocess.run([sys.executable, "-m", "workbook", "score", X_EDU, str(prose)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "notes.txt is not a well-formed table: line 2 has 4 fields where the header has 2" in broken.stderr


def _no_nan(word: str) -> None:
    raise AssertionError(f"the JSON summary holds {word}, which strict JSON readers reject")


def test_json_summary_is_strict_json_with_numbers_and_nulls(capsys, tmp_path, sales):
    # Three leads, so most cells have no known outcome: their rate and lift must be null, not NaN.
    leads = generate_leads(sales, 3, as_of=AS_OF, seed=1)
    leads["won"] = ["1", "0", "1"]
    path = tmp_path / "few.csv"
    leads.to_csv(path, index=False)
    code, out, err = run(capsys, "score", SALES, str(path), "--json", "--outcome", "won", "--as-of", AS_OF.isoformat())
    assert code == 0
    report = json.loads(out, parse_constant=_no_nan)
    assert report["count"] == 3 and isinstance(report["knocked_out"], int)
    empty = [c for c in report["outcome"]["cells"] if c["known"] == 0]
    assert empty and all(c["rate"] is None and c["lift"] is None for c in empty)
