"""`score --engine spark`: the exported SQL on a local Spark session gives the vectorized scorer's
answer lead by lead, in the list's order, from CSV and Parquet, on generated lists and on the X
Education list. Skipped when pyspark or Java is missing — except under CI (CI=true)."""

from __future__ import annotations

import os

import pytest
from engines_support import scored, text
from leads_support import AS_OF, X_EDUCATION_CSV, differences, neutral, spark_available

from workbook.leads import score_leads
from workbook.leads.synthetic import generate_leads

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


@pytest.fixture(scope="module")
def spark():
    ok, reason = spark_available()
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Spark tests must run under CI but cannot: {reason}")
        pytest.skip(reason)
    from workbook.leads.engines.spark_engine import session

    spark = session("local[2]")
    spark.conf.set("spark.sql.shuffle.partitions", "2")
    yield spark
    spark.stop()


@pytest.mark.parametrize("name", ["all_kinds", "sales_neutral"])
def test_the_spark_engine_scores_files_like_the_vectorized_scorer(spark, tmp_path, all_kinds, sales, name):
    model = {"all_kinds": all_kinds, "sales_neutral": neutral(sales)}[name]
    leads = generate_leads(model, 1_200, as_of=AS_OF, seed=16, wide_numbers=True)
    leads.to_csv(tmp_path / "l.csv", index=False)
    leads.to_parquet(tmp_path / "l.parquet", index=False)
    expected = score_leads(model, leads, AS_OF).frame
    for path in (tmp_path / "l.csv", tmp_path / "l.parquet"):
        got, run = scored(model, path, "spark", AS_OF, batch_rows=500, spark_master="local[2]")
        assert text(got["Lead ID"]) == text(leads["Lead ID"]), path.suffix  # the list's order
        assert differences(expected, got) == {}, path.suffix
        assert run.tally.rows == 1_200


def test_the_spark_engine_on_the_real_list(spark, x_education):
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV}")
    expected, _ = scored(x_education, X_EDUCATION_CSV, "pandas", AS_OF)
    got, _ = scored(x_education, X_EDUCATION_CSV, "spark", AS_OF, spark_master="local[2]")
    assert text(got["Prospect ID"]) == text(expected["Prospect ID"])
    assert differences(expected, got) == {}
