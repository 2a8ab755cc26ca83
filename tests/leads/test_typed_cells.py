"""SPEC §4.1, typed cells: the same leads written as text, typed by pandas' CSV reader, typed by
Excel (openpyxl), typed by DuckDB get the same cell and state in the per-cell engine, the
vectorized scorer and the exported SQL — for every match key. (Spark-typed: test_spark.py.)
The rules are written down in docs/typed-cells.md."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
import pytest
from leads_support import AS_OF, X_EDUCATION_CSV, differences

from workbook.export.sql import to_sql
from workbook.files import load_model_text
from workbook.leads import read_lead_bytes, score_leads, score_leads_naive
from workbook.match import RULE_KEYS

# One attribute per match key; the same column types a loader would guess.
TYPED_YAML = """
schema_version: 1
name: Typed cells
states: [{name: Hot}, {name: Warm}, {name: Cold}, {name: Out}]
profile_grades: [{grade: A, min: 60}, {grade: B, min: 30}, {grade: C, min: 0}]
engagement_levels: [{level: 1, min: 50}, {level: 2, min: 0}]
matrix: {A1: Hot, A2: Warm, B1: Warm, B2: Cold, C1: Cold, C2: Cold}
knockout_state: Out
profile:
  - name: Opted out
    weight: 20
    column: opted_out
    values:
      - {label: Opted out, score: 0, knockout: true, match: {equals: ["Yes"]}}
      - {label: Reachable, score: 100, match: {equals: ["false"]}}
  - name: Seats
    weight: 30
    column: seats
    values:
      - {label: Large, score: 100, match: {min: 100}}
      - {label: Small, score: 40, match: {min: 10, max: 100}}
      - {label: Tiny, score: 10, match: {max: 10}}
  - name: Plan
    weight: 20
    column: plan_code
    values:
      - {label: Ten, score: 100, match: {equals: ["10"]}}
      - {label: Two and a half, score: 50, match: {equals: ["2.50"]}}
  - name: Title
    weight: 30
    column: title
    values:
      - {label: Sales, score: 100, match: {contains: [sales]}}
      - {label: Unknown, score: 20, match: {empty: true}}
engagement:
  - name: Demo
    weight: 70
    column: demo
    values:
      - {label: This week, score: 100, match: {within_days: 7}}
      - {label: This year, score: 30, match: {within_days: 365}}
  - name: Phone
    weight: 30
    column: phone
    values:
      - {label: No phone, score: 0, match: {empty: true}}
      - {label: Phone, score: 100, match: {contains: ["5"]}}
"""

# The same six leads, typed (Python objects, as a typed loader hands them over) …
TYPED = {
    "opted_out": [True, False, None, False, True, False],
    "seats": [250, 12.5, None, 100, 3, 99.999],
    "plan_code": [10.0, 2.5, None, 10, 1e1, 7],
    "title": ["VP Sales", "intern", None, "Head of SALES ops", "", "CRO"],
    "demo": [dt.date(2026, 2, 27), dt.datetime(2025, 6, 1, 9, 30), None, dt.date(2026, 3, 1),
             dt.datetime(2026, 2, 22, 23, 59, 59), dt.date(2026, 3, 2)],
    "phone": ["555-0100", None, None, "", "123", "+45 5"],
}
# … and as text, the way a CSV export of the same system writes them.
TEXT = {
    "opted_out": ["Yes", "No", "", "FALSE", "TRUE", "no"],
    "seats": ["250", "12.5", "", "100", "3", "99.999"],
    "plan_code": ["10.0", "2.5", "", "10", "1e1", "7"],
    "title": ["VP Sales", "intern", "", "Head of SALES ops", "", "CRO"],
    "demo": ["2026-02-27", "2025-06-01 09:30:00", "", "2026-03-01", "2026-02-22 23:59:59", "2026-03-02"],
    "phone": ["555-0100", "", "", "", "123", "+45 5"],
}
DUCKDB_TYPES = {"opted_out": "BOOLEAN", "seats": "DOUBLE", "plan_code": "DOUBLE", "title": "VARCHAR",
                "demo": "TIMESTAMP", "phone": "VARCHAR"}


@pytest.fixture(scope="module")
def model():
    return load_model_text(TYPED_YAML).model


@pytest.fixture(scope="module")
def expected(model):
    return score_leads_naive(model, pd.DataFrame({k: pd.array(v, dtype="str") for k, v in TEXT.items()}), AS_OF)


def test_the_model_uses_every_match_key(model):
    used = {k for f in [*model.profile, *model.engagement] for v in f.values for k in v.match.keys()}
    assert used == set(RULE_KEYS)


def test_the_text_leads_exercise_every_state(expected):
    assert set(expected["state"]) >= {"Out", "Hot", "Cold"}
    assert expected["knocked_out"].tolist() == [True, False, False, False, True, False]


def _all_engines(model, frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert differences(expected, score_leads_naive(model, frame, AS_OF)) == {}
    assert differences(expected, score_leads(model, frame, AS_OF).frame) == {}


def test_python_typed_cells_score_like_text(model, expected):
    _all_engines(model, pd.DataFrame(TYPED), expected)


def test_pandas_csv_reader_typed_cells_score_like_text(model, expected):
    csv = pd.DataFrame(TEXT).to_csv(index=False)
    frame = pd.read_csv(io.StringIO(csv))  # pandas guesses: floats with NaN, booleans, text
    assert frame["seats"].dtype.kind == "f"
    _all_engines(model, frame, expected)


def test_excel_typed_cells_score_like_text(model, expected):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(TYPED))
    for row in zip(*TYPED.values(), strict=True):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    leads = read_lead_bytes(buffer.getvalue(), "typed.xlsx").frame
    # the reader skips a row without any cell (lead 3): it is no lead in a spreadsheet
    assert len(leads) == len(expected) - 1
    _all_engines(model, leads, expected.drop(index=2).reset_index(drop=True))


def _duckdb_typed(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f'"{c}" {t}' for c, t in DUCKDB_TYPES.items())
    con.execute(f"CREATE TABLE leads ({columns})")
    con.executemany(f"INSERT INTO leads VALUES ({', '.join('?' * len(TYPED))})",
                    [list(row) for row in zip(*TYPED.values(), strict=True)])


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    cursor = con.execute(sql)
    return pd.DataFrame.from_records(cursor.fetchall(), columns=[d[0] for d in cursor.description])


@pytest.mark.parametrize("lateral", [False, True])
def test_duckdb_typed_table_scores_like_text_in_sql_and_in_the_engine(model, expected, lateral):
    con = duckdb.connect()
    _duckdb_typed(con)
    assert differences(expected, _fetch(con, to_sql(model, "duckdb", as_of=AS_OF, lateral=lateral))) == {}
    _all_engines(model, con.execute("SELECT * FROM leads").df(), expected)


def test_duckdb_time_zone_aware_timestamps_count_by_their_utc_date(model):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE leads AS SELECT * FROM (VALUES (TIMESTAMPTZ '2026-02-22 01:00:00+05:00'), "
                "(TIMESTAMPTZ '2026-02-21 23:00:00-05:00')) AS t(demo)")
    frame = con.execute("SELECT * FROM leads").df()
    assert [d.date() for d in frame["demo"].dt.tz_convert("UTC")] == [dt.date(2026, 2, 21), dt.date(2026, 2, 22)]
    demo = model.engagement[0]
    from workbook.match import label_for

    assert [label_for(demo, d, AS_OF) for d in frame["demo"]] == ["This year", "This week"]


def test_the_x_education_list_typed_by_duckdbs_csv_reader_scores_like_the_text_list(x_education_case):
    model, leads, expected = x_education_case
    if not X_EDUCATION_CSV.exists():
        pytest.skip("the X Education list is not there")
    con = duckdb.connect()
    con.execute("CREATE TABLE leads AS SELECT * FROM read_csv_auto(?)", [str(X_EDUCATION_CSV)])
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE leads)").fetchall())
    assert types["Do Not Email"] == "BOOLEAN" and types["TotalVisits"] in ("BIGINT", "DOUBLE")
    result = _fetch(con, to_sql(model, "duckdb", as_of=AS_OF))
    assert len(result) == len(expected) == 9240
    assert differences(expected, result) == {}
    # the engine on DuckDB's typed frame agrees too
    assert differences(expected, score_leads(model, con.execute("SELECT * FROM leads").df(), AS_OF).frame) == {}


def test_duckdb_reads_number_and_date_columns_as_they_are(model):
    """The typeof branches: DECIMAL, INTEGER, DOUBLE (with infinities, which are no numbers),
    DATE and TIMESTAMP_NS columns give the engine's answers."""
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE leads AS SELECT * FROM (VALUES
          (TRUE, 250.5::DECIMAL(10, 3), 10::INTEGER, 'Sales', DATE '2026-02-27', '5'),
          (FALSE, 'inf'::DECIMAL(10, 3), 'inf'::DOUBLE, NULL, NULL, NULL),
          (NULL, 99.999::DECIMAL(10, 3), '-inf'::DOUBLE, 'x', DATE '2025-03-01', ''),
          (FALSE, NULL, 2.5::DOUBLE, 'sales', DATE '2026-03-02', '5')
        ) AS t(opted_out, seats, plan_code, title, demo, phone)
    """.replace("'inf'::DECIMAL(10, 3)", "NULL"))
    con.execute("CREATE TABLE leads_ns AS SELECT * REPLACE (demo::TIMESTAMP_NS AS demo) FROM leads")
    frame = con.execute("SELECT * FROM leads").df()
    expected = score_leads_naive(model, frame, AS_OF)
    assert differences(expected, _fetch(con, to_sql(model, "duckdb", as_of=AS_OF))) == {}
    assert differences(expected, _fetch(con, to_sql(model, "duckdb", table="leads_ns", as_of=AS_OF))) == {}
    assert expected["state"].tolist()[0] == "Out"  # BOOLEAN true equals "Yes"
