"""The ``spark`` engine: the exported SQL (dialect ``spark``) on a Spark session, file to file.

``local[*]`` by default; any master URL (``spark://…``, ``yarn``) or a Spark Connect address
(``sc://host:15002``) when given. Spark reads the list with its own readers — a CSV with every
cell as text (header row, quotes doubled as in RFC 4180), a Parquet file as typed — runs the
SQL and writes the scored leads with its own Parquet writer into a staging folder, all in
parallel on the workers. This process then reads the staged part files in the list's order,
a row group at a time, into the sink (the CSV or Parquet output, the counts): rows never pass
one by one through Python, and neither Spark nor this process holds the whole list.

Order: each lead gets its position (``monotonically_increasing_id``: the partition in the file's
order, then the row), and the SQL, lead by lead, keeps the partitions as they were read, so the
part files hold consecutive runs of positions. That is checked on the staged positions; were
it ever not so, the result is written again sorted by position (a shuffle), and read the same way.

A CSV that is not UTF-8 is first copied as UTF-8 (Spark's reader would take its encoding but
not the guess); a file whose cells never span lines is read split between the workers,
otherwise in one piece (``multiLine``). A CSV (or .xlsx) is staged as Parquet with the
positions before the SQL runs: the SQL reads the list once per column the model reads.

The staging folder is a temporary folder here by default; on a cluster or a remote Spark
Connect server, give one both this machine and the workers see (``staging=``,
``--spark-staging``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.leads.reading import LeadListError, read_lead_list
from workbook.leads.scoring import SCORED_COLUMNS
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from workbook.leads.engines import Emit, Progress, QueryBuilder, Run

ROW = "lsw_row"
CONNECT_MODE = "SPARK_CONNECT_MODE_ENABLED"


def is_connect(master: str) -> bool:
    """A Spark Connect address (``sc://host:port``) rather than a master URL."""
    return master.startswith("sc://")


def session(master: str):
    """A Spark session for ``master``: a Spark Connect address (``sc://``) or a master URL.

    A session already running in this process is used as it is (and left running).
    """
    from pyspark.sql import SparkSession

    if is_connect(master):
        return SparkSession.builder.remote(master).getOrCreate()
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    spark = (SparkSession.builder.appName("lead-scoring-workbook").master(master)
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(model: ScoringModel, path: Path, run: Run, emit: Emit, progress: Progress, batch_rows: int,
              master: str, to_sql: QueryBuilder, staging: str | None = None) -> None:
    from workbook.leads.engines import EngineError, input_kind

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the spark engine needs pyspark (pip install -r requirements-spark.txt) and Java") from None
    # pyspark marks the whole process as "Spark Connect" once a Connect session is made (an
    # environment variable it never removes); a classic session started later in the same
    # process (a test, the app) would then ask for a Connect address. Put it back afterwards.
    connect_mode = os.environ.get(CONNECT_MODE)
    try:
        ours = not is_connect(master) and SparkSession.getActiveSession() is None
        spark = session(master)
    except Exception as exc:  # Java missing, master unreachable: Py4J, Spark and gRPC raise many kinds
        if is_connect(master) and connect_mode is None:
            os.environ.pop(CONNECT_MODE, None)
        raise EngineError(f"cannot start a Spark session on {master}: {_first_line(exc)}") from None
    try:
        with tempfile.TemporaryDirectory(prefix="lsw-spark-", dir=staging) as tmp:
            frame = _read(spark, path, run, Path(tmp))
            _score(spark, model, frame, run, emit, progress, batch_rows, to_sql, Path(tmp),
                   staged_input=input_kind(path) == "parquet")
    except EngineError:
        raise
    except Exception as exc:  # PySparkException, Py4JJavaError, Spark Connect errors: Spark raises many kinds
        raise EngineError(f"Spark could not score the list: {_first_line(exc)}") from None
    finally:
        if ours:
            spark.stop()
        if is_connect(master) and connect_mode is None:
            os.environ.pop(CONNECT_MODE, None)


def _read(spark, path: Path, run: Run, tmp: Path):
    from workbook.leads.engines import EngineError, input_kind
    from workbook.leads.engines.csv_files import cells_span_lines, csv_facts, utf8_copy

    kind = input_kind(path)
    try:
        if kind == "csv":
            facts = csv_facts(path)
            if facts.note:
                run.notes.append(facts.note)
            source = path if facts.is_utf8 else utf8_copy(path, facts.encoding, tmp)
            return (spark.read.option("header", True).option("sep", facts.delimiter).option("escape", '"')
                    .option("multiLine", cells_span_lines(source)).option("encoding", "UTF-8")
                    .option("mode", "FAILFAST").csv(str(source.resolve())))
        if kind == "parquet":
            return spark.read.parquet(str(path.resolve()))
        leads = read_lead_list(path)
        run.notes += leads.notes
        return spark.createDataFrame(leads.frame.astype(object).where(leads.frame.notna(), None))
    except (LeadListError, UnicodeDecodeError) as exc:
        raise EngineError(f"cannot read the lead list: {exc}") from None
    except Exception as exc:  # Spark's reader errors (analysis errors come when the plan is built)
        raise EngineError(f"cannot read the lead list: {_first_line(exc)}") from None


def _score(spark, model: ScoringModel, frame, run: Run, emit: Emit, progress: Progress, batch_rows: int,
           to_sql: QueryBuilder, tmp: Path, *, staged_input: bool) -> None:
    from pyspark.sql import functions as F

    from workbook.leads.engines.duckdb_engine import check_sql_columns

    check_sql_columns(model, frame.columns)
    run.replaced_columns = [c for c in frame.columns if c in SCORED_COLUMNS]
    frame = frame.drop(*run.replaced_columns).withColumn(ROW, F.monotonically_increasing_id())
    if not staged_input:
        # The SQL reads the list once per column the model reads, then once whole: a text file
        # would be parsed each time; staged as Parquet, each pass reads one column.
        source = tmp / "leads"
        frame.write.mode("overwrite").parquet(str(source.resolve()))
        frame = spark.read.parquet(str(source.resolve()))
    frame.createOrReplaceTempView("leads")
    result = spark.sql(to_sql(model, "spark", table="leads", as_of=run.as_of, pretty=False, comment=False))
    # Percentages as DOUBLE (the pandas engine's type); the DECIMAL is exact, so is its double.
    result = (result.withColumn("profile_pct", F.col("profile_pct").cast("double"))
              .withColumn("engagement_pct", F.col("engagement_pct").cast("double")))
    staged = tmp / "scored"
    result.write.mode("overwrite").parquet(str(staged.resolve()))
    files = _in_order(staged)
    if files is None:
        result.orderBy(ROW).write.mode("overwrite").parquet(str(staged.resolve()))
        files = _in_order(staged)
        if files is None:
            raise RuntimeError("the scored leads came back out of order")
    _drain(files, emit, progress, batch_rows)


def _part_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".parquet" and not p.name.startswith((".", "_")))


def _in_order(folder: Path) -> list[Path] | None:
    """The part files in the list's order, or None when their positions are not consecutive runs."""
    import numpy as np
    import pyarrow.parquet as pq

    runs = []
    for part in _part_files(folder):
        positions = pq.read_table(part, columns=[ROW]).column(0).to_numpy()
        if len(positions) and not (np.diff(positions) > 0).all():
            return None
        runs.append((int(positions[0]) if len(positions) else -1, int(positions[-1]) if len(positions) else -1, part))
    runs.sort(key=lambda r: r[0])
    last = -1
    for first, end, _ in runs:
        if first < 0:
            continue
        if first <= last:
            return None
        last = end
    return [part for *_, part in runs]


def _drain(files: list[Path], emit: Emit, progress: Progress, batch_rows: int) -> None:
    """The staged rows to the sink, a batch at a time, without the position column."""
    import pyarrow.parquet as pq

    progress.total = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
    emitted = False
    for part in files:
        for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows):
            if batch.num_rows:
                emit(batch.drop_columns([ROW]).to_pandas())
                emitted = True
    if not emitted:
        schema = pq.read_schema(files[0]) if files else None
        if schema is None:
            raise RuntimeError("Spark wrote no result")
        emit(schema.empty_table().drop_columns([ROW]).to_pandas())


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
