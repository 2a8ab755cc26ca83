"""The ``spark`` engine: the exported SQL (dialect ``spark``) on a Spark session.

``local[*]`` by default; any master URL (``spark://…``, ``yarn``) or a Spark Connect address
(``sc://host:15002``) when given. A CSV is read with every cell as text (header row, quotes
doubled as in RFC 4180, cells spanning lines), a Parquet file as typed. Each lead gets its
position (``monotonically_increasing_id``, which follows the file's order) so that the result,
computed in parallel, comes back in the list's order; rows reach the sink batch by batch
(``toLocalIterator``), never the whole list at once.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbook.leads.reading import DELIMITERS, LeadListError, read_lead_list
from workbook.leads.scoring import SCORED_COLUMNS
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from workbook.leads.engines import Emit, Progress, QueryBuilder, Run

ROW = "lsw_row"


def session(master: str):
    """A Spark session for ``master``: a Spark Connect address (``sc://``) or a master URL.

    A session already running in this process is used as it is (and left running).
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active

    builder = SparkSession.builder.appName("lead-scoring-workbook")
    if master.startswith("sc://"):
        return builder.remote(master).getOrCreate()
    # Small sorted partitions (no coalescing): toLocalIterator fetches one at a time, so the
    # driver never holds a large share of the list.
    spark = (builder.master(master).config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _delimiter(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        head = fh.read(64 * 1024)
    lines = [line for line in head.splitlines()[:20] if line]
    if not lines:
        return ","
    # The delimiter that splits every one of the first lines into the most fields.
    fields = {d: min(len(next(csv.reader([line], delimiter=d))) for line in lines) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: fields[d])


def run_spark(model: ScoringModel, path: Path, run: Run, emit: Emit, progress: Progress, batch_rows: int,
              master: str, to_sql: QueryBuilder) -> None:
    from workbook.leads.engines import EngineError, input_kind
    from workbook.leads.engines.duckdb_engine import _check

    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import functions as F
    except ImportError:
        raise EngineError("the spark engine needs pyspark (pip install -r requirements-spark.txt) and Java") from None
    kind = input_kind(path)
    try:
        from pyspark.sql import SparkSession

        ours = SparkSession.getActiveSession() is None
        spark = session(master)
    except Exception as exc:  # Java missing, master unreachable: Py4J and Spark raise many kinds
        raise EngineError(f"cannot start a Spark session on {master}: {str(exc).strip().splitlines()[0]}") from None
    try:
        try:
            if kind == "csv":
                frame = (spark.read.option("header", True).option("sep", _delimiter(path)).option("escape", '"')
                         .option("multiLine", True).option("encoding", "UTF-8").option("mode", "FAILFAST")
                         .csv(str(path)))
            elif kind == "parquet":
                frame = spark.read.parquet(str(path))
            else:
                leads = read_lead_list(path)
                run.notes += leads.notes
                frame = spark.createDataFrame(leads.frame.astype(object).where(leads.frame.notna(), None))
        except (PySparkException, LeadListError) as exc:
            raise EngineError(f"cannot read the lead list: {str(exc).strip().splitlines()[0]}") from None
        _check(model, frame.columns)
        run.replaced_columns = [c for c in frame.columns if c in SCORED_COLUMNS]
        frame = frame.drop(*run.replaced_columns).withColumn(ROW, F.monotonically_increasing_id())
        frame.createOrReplaceTempView("leads")
        progress.total = frame.count()
        result = spark.sql(to_sql(model, "spark", table="leads", as_of=run.as_of, pretty=False, comment=False))
        result = (result.withColumn("profile_pct", F.col("profile_pct").cast("double"))
                  .withColumn("engagement_pct", F.col("engagement_pct").cast("double"))
                  .orderBy(ROW).drop(ROW))
        columns = result.columns
        rows: list[tuple] = []
        emitted = False
        for row in result.toLocalIterator(prefetchPartitions=True):
            rows.append(tuple(row))
            if len(rows) >= batch_rows:
                emit(pd.DataFrame.from_records(rows, columns=columns))
                rows, emitted = [], True
        if rows or not emitted:
            emit(pd.DataFrame.from_records(rows, columns=columns))
    except EngineError:
        raise
    except Exception as exc:  # PySparkException, Py4JJavaError, Spark Connect errors: Spark raises many kinds
        raise EngineError(f"Spark could not score the list: {str(exc).strip().splitlines()[0]}") from None
    finally:
        if ours and not master.startswith("sc://"):
            spark.stop()
