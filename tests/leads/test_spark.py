"""The spark dialect of the SQL export, run on a local Spark session, gives exactly the engine's
answers lead by lead. Skipped when pyspark or Java is missing — except under CI (CI=true),
where a missing pyspark or Java fails the test."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from leads_support import AS_OF, DATE_CELLS, DATES_YAML, QUOTES_YAML, differences, spark_available

from workbook.export.sql import to_sql
from workbook.files import load_model_text
from workbook.leads import SCORED_COLUMNS, score_leads_naive
from workbook.leads.synthetic import generate_leads

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


_session = None


def spark_session():
    """The local Spark session; skips (or, under CI, fails) the calling test when Spark cannot run."""
    global _session
    ok, reason = spark_available()
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Spark tests must run under CI but cannot: {reason} (pip install pyspark; Java 17)")
        pytest.skip(reason)
    if _session is None:
        from pyspark.sql import SparkSession

        _session = (
            SparkSession.builder.master("local[2]")
            .appName("lead-scoring-workbook-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        _session.sparkContext.setLogLevel("ERROR")
    return _session


@pytest.fixture(scope="module", autouse=True)
def _stop_spark():
    yield
    global _session
    if _session is not None:
        _session.stop()
        _session = None


def run_spark(spark, sql: str, leads: pd.DataFrame) -> pd.DataFrame:
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(str(c), StringType(), True) for c in leads.columns])
    rows = [tuple(None if pd.isna(v) else str(v) for v in r) for r in leads.itertuples(index=False)]
    spark.createDataFrame(rows, schema).createOrReplaceTempView("leads")
    result = spark.sql(sql)
    return pd.DataFrame.from_records([tuple(r) for r in result.collect()], columns=result.columns)


@pytest.mark.parametrize("name", ["all_kinds", "all_kinds_neutral", "sales", "sales_neutral"])
def test_spark_runs_the_export_exactly_like_the_engine(case, name):
    spark = spark_session()
    model, leads, expected = case(name)
    result = run_spark(spark, to_sql(model, "spark", as_of=AS_OF), leads)
    assert list(result.columns) == [*leads.columns, *SCORED_COLUMNS]
    assert differences(expected, result) == {}


def test_spark_on_the_real_list(x_education_case):
    spark = spark_session()
    model, leads, expected = x_education_case
    assert differences(expected, run_spark(spark, to_sql(model, "spark", as_of=AS_OF), leads)) == {}


def test_spark_runs_the_lateral_shape_and_current_date(all_kinds):
    spark = spark_session()
    today = spark.sql("SELECT current_date() AS d").collect()[0]["d"]
    leads = generate_leads(all_kinds, 2000, as_of=today, seed=31)
    expected = score_leads_naive(all_kinds, leads, today)
    assert differences(expected, run_spark(spark, to_sql(all_kinds, "spark"), leads)) == {}
    assert differences(expected, run_spark(spark, to_sql(all_kinds, "spark", lateral=True), leads)) == {}


def test_spark_quotes_user_text_and_identifiers():
    spark = spark_session()
    model = load_model_text(QUOTES_YAML).model
    column = model.profile[0].source_column
    cells = ["It's me", "a\\nb", "100%", "snake_case", "x'; DROP TABLE leads; --", "BACK\\SLASH", "tab\tin", "plain",
             "", None]
    leads = pd.DataFrame({column: cells, "other": "x"})
    result = run_spark(spark, to_sql(model, "spark", as_of=AS_OF), leads)
    assert differences(score_leads_naive(model, leads, AS_OF), result) == {}


def test_spark_calendar_edges():
    spark = spark_session()
    model = load_model_text(DATES_YAML).model
    leads = pd.DataFrame({"seen": list(DATE_CELLS)})
    result = run_spark(spark, to_sql(model, "spark", as_of=AS_OF), leads)
    assert differences(score_leads_naive(model, leads, AS_OF), result) == {}
    assert result["profile_grade"].eq("A").tolist() == list(DATE_CELLS.values())


def test_spark_typed_table_scores_like_text():
    """SPEC §4.1: the same leads in a Spark table with BOOLEAN, DOUBLE and TIMESTAMP columns."""
    import datetime as dt

    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType, TimestampNTZType
    from test_typed_cells import TEXT, TYPED, TYPED_YAML

    spark = spark_session()
    model = load_model_text(TYPED_YAML).model
    expected = score_leads_naive(model, pd.DataFrame({k: pd.array(v, dtype="str") for k, v in TEXT.items()}), AS_OF)
    kinds = {"opted_out": BooleanType(), "seats": DoubleType(), "plan_code": DoubleType(), "title": StringType(),
             "demo": TimestampNTZType(), "phone": StringType()}
    schema = StructType([StructField(c, kinds[c], True) for c in TYPED])

    def typed(column: str, v: object) -> object:
        if v is None:
            return None
        if column == "demo" and not isinstance(v, dt.datetime):
            return dt.datetime.combine(v, dt.time())
        return float(v) if isinstance(kinds[column], DoubleType) else v

    rows = [tuple(typed(c, v) for c, v in zip(TYPED, row, strict=True)) for row in zip(*TYPED.values(), strict=True)]
    spark.createDataFrame(rows, schema).createOrReplaceTempView("leads")
    result = spark.sql(to_sql(model, "spark", as_of=AS_OF))
    frame = pd.DataFrame.from_records([tuple(r) for r in result.collect()], columns=result.columns)
    assert differences(expected, frame) == {}
