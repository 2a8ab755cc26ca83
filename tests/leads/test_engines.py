"""`score` engines: pandas, duckdb (the exported SQL, out of core) and Parquet in and out give the
same answer lead by lead, in the list's order, on generated lists and on the X Education list;
the JSON summary is bounded and the rows stream as JSON lines. Spark: test_engines_spark.py."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from engines_support import Collect, scored, text
from leads_support import AS_OF, REPO, X_EDUCATION_CSV, differences, neutral

from workbook.cli import main
from workbook.export.sql import to_sql
from workbook.leads import SCORED_COLUMNS, distribution, outcome_report, score_leads
from workbook.leads.engines import EngineError, Progress, input_kind, output_format, score_file
from workbook.leads.synthetic import generate_leads

SALES = str(REPO / "scenarios" / "sales_automation.yaml")


@pytest.fixture(scope="module", params=["all_kinds", "sales", "sales_neutral"])
def listed(request, tmp_path_factory, all_kinds, sales):
    model = {"all_kinds": all_kinds, "sales": sales, "sales_neutral": neutral(sales)}[request.param]
    leads = generate_leads(model, 1_500, as_of=AS_OF, seed=15, wide_numbers=True)
    folder = tmp_path_factory.mktemp(request.param)
    csv_path, parquet_path = folder / "leads.csv", folder / "leads.parquet"
    leads.to_csv(csv_path, index=False)
    leads.to_parquet(parquet_path, index=False)
    expected = score_leads(model, leads, AS_OF).frame
    return model, leads, expected, csv_path, parquet_path


@pytest.mark.parametrize("source", ["csv", "parquet"])
@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_engines_score_files_like_the_vectorized_scorer(listed, engine, source):
    model, leads, expected, csv_path, parquet_path = listed
    got, run = scored(model, csv_path if source == "csv" else parquet_path, engine, AS_OF, batch_rows=400)
    assert list(got.columns) == [*leads.columns, *SCORED_COLUMNS]
    assert text(got["Lead ID"]) == text(leads["Lead ID"])  # the list's order
    assert differences(expected, got) == {}
    assert run.tally.distribution() == distribution(model, expected)


def test_the_duckdb_engine_on_the_real_list(x_education):
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV}")
    expected, _ = scored(x_education, X_EDUCATION_CSV, "pandas", AS_OF)
    got, run = scored(x_education, X_EDUCATION_CSV, "duckdb", AS_OF, outcome="Converted")
    assert len(got) == 9240 and text(got["Prospect ID"]) == text(expected["Prospect ID"])
    assert differences(expected, got) == {}
    assert run.tally.outcome_report() == outcome_report(x_education, expected, "Converted")


def test_a_parquet_file_typed_by_a_warehouse_scores_like_its_text(x_education, tmp_path):
    """Parquet keeps types: booleans, integers, doubles — SPEC §4.1 gives the same cells."""
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV}")
    import duckdb

    typed = tmp_path / "typed.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv_auto('{X_EDUCATION_CSV}')) TO '{typed}' (FORMAT parquet)")
    assert "BOOLEAN" in str(duckdb.sql(f"DESCRIBE SELECT * FROM '{typed}'").fetchall())
    expected, _ = scored(x_education, X_EDUCATION_CSV, "pandas", AS_OF)
    for engine in ("pandas", "duckdb"):
        got, _ = scored(x_education, typed, engine, AS_OF)
        assert differences(expected, got) == {}, engine


def test_scored_columns_already_in_the_list_are_replaced(sales, tmp_path):
    leads = generate_leads(sales, 50, as_of=AS_OF, seed=3)
    leads["state"] = "stale"
    path = tmp_path / "l.csv"
    leads.to_csv(path, index=False)
    for engine in ("pandas", "duckdb"):
        got, run = scored(sales, path, engine, AS_OF)
        assert run.replaced_columns == ["state"] and "stale" not in set(got["state"]), engine


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_errors_abort_the_sink_and_name_the_problem(sales, tmp_path, engine):
    path = tmp_path / "l.csv"
    generate_leads(sales, 20, as_of=AS_OF, seed=3).drop(columns=["country"]).to_csv(path, index=False)
    sink = Collect()
    with pytest.raises(EngineError, match="country"):
        score_file(sales, path, sink, engine=engine, as_of=AS_OF, query=to_sql)
    assert sink.aborted and not sink.closed
    with pytest.raises(EngineError, match="needs the SQL query builder"):
        score_file(sales, path, Collect(), engine="duckdb", as_of=AS_OF)
    with pytest.raises(EngineError, match="no such file"):
        score_file(sales, tmp_path / "nope.csv", Collect(), engine="duckdb", as_of=AS_OF, query=to_sql)


def test_input_and_output_formats(tmp_path):
    (tmp_path / "p.bin").write_bytes(b"PAR1....")
    assert input_kind(tmp_path / "p.bin") == "parquet" and input_kind(tmp_path / "x.PARQUET") == "parquet"
    assert input_kind(tmp_path / "x.xlsx") == "xlsx" and input_kind(tmp_path / "nope.csv") == "csv"
    assert output_format("o.parquet", None) == "parquet" and output_format("o.csv", None) == "csv"
    assert output_format("o.csv", "parquet") == "parquet" and output_format(None, None) == "csv"


def test_progress_bar_only_in_a_terminal():
    quiet = io.StringIO()
    bar = Progress(10, quiet)  # a StringIO is no terminal
    bar.update(5)
    bar.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar = Progress(1_000, shown, enabled=True, every=0)
    bar.update(250)
    bar.close()
    assert "\r" in shown.getvalue() and "scored 250 of 1,000 leads" in shown.getvalue() and "25%" in shown.getvalue()
    assert shown.getvalue().endswith("\n")


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------
def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_duckdb_to_parquet_and_json_lines(capsys, tmp_path, sales):
    leads = generate_leads(sales, 700, as_of=AS_OF, seed=8, wide_numbers=True)
    source = tmp_path / "leads.csv"
    leads.to_csv(source, index=False)
    expected = score_leads(sales, leads, AS_OF).frame
    code, out, err = _run(capsys, "score", SALES, str(source), "-o", str(tmp_path / "s.parquet"), "--engine",
                          "duckdb", "--as-of", AS_OF.isoformat())
    assert code == 0 and "scored 700 leads" in err and out == ""
    written = pd.read_parquet(tmp_path / "s.parquet")
    assert str(written["profile_pct"].dtype) == "float64" and str(written["knocked_out"].dtype) == "bool"
    assert differences(expected, written) == {}
    code, out, err = _run(capsys, "score", SALES, str(source), "--json", "--rows", "--engine", "duckdb",
                          "--as-of", AS_OF.isoformat())
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 701 and lines[-1]["summary"]["count"] == 700
    rows = pd.DataFrame([line["row"] for line in lines[:-1]])
    assert differences(expected, rows) == {}
    code, out, err = _run(capsys, "score", SALES, str(source), "--json", "--as-of", AS_OF.isoformat())
    summary = json.loads(out)
    assert "rows" not in summary and summary["count"] == 700 and summary["engine"] == "pandas"
    assert summary["states"] == lines[-1]["summary"]["states"] and summary["cells"] == lines[-1]["summary"]["cells"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--rows"], "--rows goes with --json"),
    (["--output-format", "parquet"], "Parquet is written to a file"),
    (["--engine", "duckdb", "--outcome", "Won"], "no column 'Won' (given with --outcome)"),
])
def test_cli_refusals(capsys, tmp_path, sales, argv, message):
    source = tmp_path / "leads.csv"
    generate_leads(sales, 30, as_of=AS_OF, seed=8).to_csv(source, index=False)
    code, out, err = _run(capsys, "score", SALES, str(source), *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_parquet_output_types_a_column_empty_in_the_first_batch_as_text(tmp_path):
    from workbook.leads.engines.sinks import ParquetSink

    def batch(note):
        return pd.DataFrame({"note": pd.Series([note], dtype=object), "profile_pct": [12.5], "engagement_pct": [0.0],
                             "profile_grade": ["C"], "engagement_level": ["4"], "cell": ["C4"], "state": ["Ignore"],
                             "knocked_out": [False]})

    sink = ParquetSink(str(tmp_path / "o.parquet"))
    sink.write(batch(None))
    sink.write(batch("later"))
    sink.close()
    assert text(pd.read_parquet(tmp_path / "o.parquet")["note"]) == [None, "later"]


def test_cli_passes_the_spark_address_and_staging_folder_to_the_engine(capsys, tmp_path, sales, monkeypatch):
    """The arguments only (a Spark Connect run: test_engines_spark_connect.py)."""
    import workbook.cli.score as score_cli
    from workbook.leads.engines import Run, Tally

    seen = {}

    def fake(model, path, sink, **kw):
        seen.update(kw)
        sink.close()
        return Run(kw["engine"], Tally(model), AS_OF)

    monkeypatch.setattr(score_cli, "score_file", fake)
    source = tmp_path / "leads.csv"
    generate_leads(sales, 5, as_of=AS_OF, seed=8).to_csv(source, index=False)
    code, _, err = _run(capsys, "score", SALES, str(source), "-o", str(tmp_path / "o.csv"), "--engine", "spark",
                        "--spark-master", "sc://spark.example:15002", "--spark-staging", str(tmp_path / "stage"))
    assert code == 0, err
    assert seen["engine"] == "spark" and seen["spark_master"] == "sc://spark.example:15002"
    assert seen["spark_staging"] == str(tmp_path / "stage")
