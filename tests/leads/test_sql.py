"""The SQL export gives exactly the engine's answers: DuckDB runs the exported query on the same
leads as the per-row reference path, lead by lead, all seven columns; the other dialects'
texts parse back with sqlglot; user text and odd column names are quoted safely."""

from __future__ import annotations

import datetime as dt

import duckdb
import jinja2
import pandas as pd
import pytest
import sqlglot
from leads_support import AS_OF, DATE_CELLS, DATES_YAML, QUOTES_YAML, as_python, differences, neutral

from workbook.export.dbt import relation, to_dbt
from workbook.export.sql import DIALECTS, SqlExportError, to_sql
from workbook.files import load_model_text
from workbook.leads import SCORED_COLUMNS, score_leads, score_leads_naive
from workbook.leads.synthetic import generate_leads


def run_duckdb(sql: str, leads: pd.DataFrame, table: str = "leads") -> pd.DataFrame:
    """Run a query over ``leads`` in DuckDB; Python objects (Decimal percentages, str, bool, None)."""
    con = duckdb.connect()
    con.register(table, leads)
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def test_duckdb_runs_the_export_exactly_like_the_engine(generated_case):
    name, model, leads, expected = generated_case
    result = run_duckdb(to_sql(model, "duckdb", as_of=AS_OF), leads)
    assert list(result.columns) == [*leads.columns, *SCORED_COLUMNS]
    for column in leads.columns:  # the input passes through unchanged
        assert [as_python(v) for v in result[column]] == [as_python(v) for v in leads[column]]
    assert differences(expected, result) == {}


def test_duckdb_runs_the_export_on_the_real_list(x_education_case):
    model, leads, expected = x_education_case
    result = run_duckdb(to_sql(model, "duckdb", as_of=AS_OF), leads)
    assert differences(expected, result) == {}


@pytest.mark.parametrize("name", ["all_kinds_neutral", "sales"])
def test_the_postgres_lateral_shape_gives_the_same_answers(case, name):
    model, leads, expected = case(name)
    sql = to_sql(model, "duckdb", as_of=AS_OF, lateral=True)
    assert "LATERAL" in sql and "EXCLUDE" not in sql
    result = run_duckdb(sql, leads)
    assert list(result.columns) == [*leads.columns, *SCORED_COLUMNS]
    assert differences(expected, result) == {}


def test_the_lateral_shape_on_the_real_list(x_education_case):
    model, leads, expected = x_education_case
    assert differences(expected, run_duckdb(to_sql(model, "duckdb", as_of=AS_OF, lateral=True), leads)) == {}


def test_without_as_of_the_query_counts_back_from_current_date(all_kinds):
    today = duckdb.connect().execute("SELECT CURRENT_DATE").fetchone()[0]
    model = neutral(all_kinds)
    leads = generate_leads(model, 3000, as_of=today, seed=21)
    sql = to_sql(model, "duckdb")
    assert "CURRENT_DATE" in sql
    assert differences(score_leads_naive(model, leads, today), run_duckdb(sql, leads)) == {}


def test_calendar_edges_are_dates_exactly_when_python_says_so():
    model = load_model_text(DATES_YAML).model
    leads = pd.DataFrame({"seen": pd.array(list(DATE_CELLS), dtype="str")})
    result = run_duckdb(to_sql(model, "duckdb", as_of=AS_OF), leads)
    assert differences(score_leads_naive(model, leads, AS_OF), result) == {}
    assert result["profile_grade"].eq("A").tolist() == list(DATE_CELLS.values())


def test_typed_columns_in_the_warehouse(all_kinds):
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE leads AS SELECT * FROM (VALUES
          ('RevOps', 5000, 'US', DATE '2026-02-28', 12.0, 'clicked'),
          ('cro', NULL, 'x', DATE '2026-01-15', 3.5, NULL),
          (NULL, -3, NULL, NULL, NULL, 'bounced'),
          ('intern', 250, 'Zürich', DATE '2025-05-01', 0, 'opened')
        ) AS t("Job Title", "Seats (#)", "Country / Region", "demo date", visits, "email status")
    """)
    frame = con.execute("SELECT * FROM leads").df()
    cursor = con.execute(to_sql(all_kinds, "duckdb", as_of=AS_OF))
    result = pd.DataFrame.from_records(cursor.fetchall(), columns=[d[0] for d in cursor.description])
    assert differences(score_leads_naive(all_kinds, frame, AS_OF), result) == {}
    assert differences(score_leads_naive(all_kinds, frame, AS_OF), score_leads(all_kinds, frame, AS_OF).frame) == {}


# --------------------------------------------------------------------------------------------
# Quoting, dialects, dbt
# --------------------------------------------------------------------------------------------


def test_user_text_and_identifiers_are_quoted_safely():
    model = load_model_text(QUOTES_YAML).model
    column = model.profile[0].source_column
    cells = ["It's me", "a\\nb", "100%", "snake_case", "x'; DROP TABLE leads; --", "BACK\\SLASH", "tab\tin", "plain",
             "", None]
    leads = pd.DataFrame({column: pd.array(cells, dtype="str"), "other": "x"})
    result = run_duckdb(to_sql(model, "duckdb", as_of=AS_OF), leads)
    assert differences(score_leads_naive(model, leads, AS_OF), result) == {}
    assert result["profile_grade"].tolist() == ["A"] * 7 + ["B"] * 3


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_parses_back(dialect, all_kinds):
    for model, as_of in ((neutral(all_kinds), AS_OF), (load_model_text(QUOTES_YAML).model, None)):
        text = to_sql(model, dialect, table="analytics.leads", as_of=as_of)
        tree = sqlglot.parse_one(text, read=dialect)
        assert tree is not None and text.startswith("-- Lead scoring model:")
        aliases = {a.alias for a in tree.find_all(sqlglot.exp.Alias)}
        assert set(SCORED_COLUMNS) <= aliases


def test_dialect_specific_shapes(sales):
    texts = {d: to_sql(sales, d) for d in DIALECTS}
    assert "LATERAL" in texts["postgres"] and "EXCEPT" not in texts["postgres"]
    assert "* EXCLUDE (" in texts["duckdb"].replace("\n  EXCLUDE", " EXCLUDE") or "EXCLUDE (" in texts["duckdb"]
    assert "EXCLUDE (" in texts["snowflake"]
    assert "EXCEPT (" in texts["bigquery"] and "`job_title`" in texts["bigquery"]
    assert "EXCEPT (" in texts["spark"] and "`job_title`" in texts["spark"]
    assert "ROUND(" not in "".join(texts.values())  # integer rounding only, never a dialect's ROUND


def test_table_names_and_errors(sales):
    assert 'FROM "my leads"' in to_sql(sales, "duckdb", table='"my leads"')
    assert "FROM analytics.leads" in to_sql(sales, "snowflake", table="analytics.leads")
    with pytest.raises(SqlExportError):
        to_sql(sales, "oracle")
    # anything odd becomes one quoted identifier, never SQL
    assert 'FROM "leads; DROP TABLE x"' in to_sql(sales, "duckdb", table="leads; DROP TABLE x")
    with pytest.raises(SqlExportError):
        to_sql(sales, "duckdb", table="")


def test_dbt_model_file_renders_and_runs(all_kinds):
    model = neutral(all_kinds)
    text = to_dbt(model, "duckdb", "crm.leads", AS_OF)
    assert text.startswith("{{ config(materialized='view') }}\n")
    assert "{{ source('crm', 'leads') }}" in text
    # render it the way dbt would, with a source() that names the table
    env = jinja2.Environment()
    sql = env.from_string(text).render(config=lambda **kw: "", source=lambda s, t: f"{s}_{t}", ref=lambda n: n)
    leads = generate_leads(model, 2000, as_of=AS_OF, seed=8)
    assert differences(score_leads_naive(model, leads, AS_OF), run_duckdb(sql, leads, table="crm_leads")) == {}


def test_dbt_protects_text_that_looks_like_jinja():
    model = load_model_text(QUOTES_YAML).model
    text = to_dbt(model, "postgres", "stg_leads")
    assert "{% raw %}" in text and "{{ ref('stg_leads') }}" in text
    rendered = jinja2.Environment().from_string(text).render(config=lambda **kw: "", ref=lambda n: n)
    assert "{{ braces }}" in rendered and "FROM stg_leads AS lsw_src" in rendered


def test_dbt_relations():
    assert relation("leads") == "{{ ref('leads') }}"
    assert relation("crm.leads") == "{{ source('crm', 'leads') }}"
    for bad in ("a.b.c", "my leads", "x'); drop", ""):
        with pytest.raises(SqlExportError):
            relation(bad)


def test_band_minimums_above_100_or_at_0(sales):
    data = sales.model_dump()
    data["profile_grades"][0]["min"] = 100.0000000001  # unreachable
    model = type(sales).model_validate(data)
    leads = generate_leads(model, 500, as_of=AS_OF, seed=2)
    result = run_duckdb(to_sql(model, "duckdb", as_of=AS_OF), leads)
    assert "A" not in set(result["profile_grade"])
    assert differences(score_leads_naive(model, leads, AS_OF), result) == {}


def test_as_of_in_the_header(sales):
    assert "dates relative to 2026-03-01" in to_sql(sales, as_of=dt.date(2026, 3, 1))


# --------------------------------------------------------------------------------------------
# Once per distinct cell, in every dialect (issue 15)
# --------------------------------------------------------------------------------------------


def _per_lead_parts(tree: sqlglot.exp.Expression) -> list[sqlglot.exp.Expression]:
    """The query without the per-column CTEs (``lsw_d…``): what runs once per lead."""
    main = tree.copy()
    with_ = main.args.pop("with", None) or main.args.pop("with_", None)
    ctes = [c.this for c in (with_.expressions if with_ else []) if not c.alias.startswith("lsw_d")]
    return [main, *ctes]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_matches_rules_on_distinct_cells_only(dialect, sales):
    tree = sqlglot.parse_one(to_sql(sales, dialect, as_of=AS_OF), read=dialect)
    columns = {f.source_column for f in [*sales.profile, *sales.engagement]}
    assert len([s for s in tree.find_all(sqlglot.exp.Select) if s.args.get("distinct")]) == len(columns)
    joins = [j for j in tree.find_all(sqlglot.exp.Join) if j.side == "LEFT"]
    assert len(joins) == len(columns)
    for part in _per_lead_parts(tree):
        # no match rule, no text form, no value index per lead: only the joined numbers
        assert not list(part.find_all(sqlglot.exp.StrPosition, sqlglot.exp.RegexpLike, sqlglot.exp.Lower))
        names = {c.name for c in part.find_all(sqlglot.exp.Column)}
        assert not [n for n in names if n.startswith("lsw_c") or n[:5] in ("lsw_p", "lsw_e") and n[5:].isdigit()]


def _run_postgres_text_in_duckdb(model, leads: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute("CREATE MACRO div(a, b) AS a // b")  # PostgreSQL's DIV; both operands are never negative here
    con.register("leads", leads)
    cursor = con.execute(to_sql(model, "postgres", as_of=AS_OF))
    return pd.DataFrame.from_records(cursor.fetchall(), columns=[d[0] for d in cursor.description])


@pytest.mark.parametrize("name", ["all_kinds", "all_kinds_neutral", "sales_neutral"])
def test_the_postgres_text_itself_gives_the_same_answers(case, name):
    """The PostgreSQL query as exported (hand-checked calendar, LATERAL levels), run by DuckDB."""
    model, leads, expected = case(name)
    result = _run_postgres_text_in_duckdb(model, leads)
    assert list(result.columns) == [*leads.columns, *SCORED_COLUMNS]
    assert differences(expected, result) == {}


def test_the_postgres_text_on_calendar_edges():
    model = load_model_text(DATES_YAML).model
    leads = pd.DataFrame({"seen": pd.array(list(DATE_CELLS), dtype="str")})
    result = _run_postgres_text_in_duckdb(model, leads)
    assert result["profile_grade"].eq("A").tolist() == list(DATE_CELLS.values())


def test_a_null_cell_adds_what_its_rules_give_it(all_kinds):
    """NULL cells are not joined: their points, weight and knockout are written into the query."""
    model = neutral(all_kinds)
    column = model.profile[0].source_column  # Role: `empty: true` scores 10; Internship reads it too
    leads = generate_leads(model, 200, as_of=AS_OF, seed=4)
    leads[column] = pd.array([None] * len(leads), dtype="str")
    for sql in (to_sql(model, "duckdb", as_of=AS_OF), to_sql(model, "duckdb", as_of=AS_OF, lateral=True)):
        assert differences(score_leads_naive(model, leads, AS_OF), run_duckdb(sql, leads)) == {}
