"""Scoring a lead-list file with one of three engines, batch by batch, into a sink.

* ``pandas`` — the vectorized scorer (:func:`workbook.leads.score_leads`) on the whole list in
  memory (CSV and .xlsx through :func:`workbook.leads.read_lead_list`, Parquet through pyarrow);
  it alone gives the data-quality report (values that matched nothing).
* ``duckdb`` — the exported SQL (``workbook.export.sql.to_sql``, dialect ``duckdb``) run by
  DuckDB on the file, out of core: a CSV is loaded into a temporary on-disk DuckDB table, a
  Parquet file is read where it lies, memory is capped (``SET memory_limit``) and the result is
  fetched in batches.
* ``spark`` — the same SQL (dialect ``spark``) on a Spark session: ``local[*]`` by default, a
  cluster master or a Spark Connect address (``sc://…``) when given.

The SQL comes from the caller (``query=``; the CLI passes ``workbook.export.sql.to_sql``, as the
export layer sits above the lead lists). All three give the same answer lead by lead
(tests/leads/test_engines*.py) and hand the scored rows in the list's order to a sink
(:mod:`workbook.leads.engines.sinks`), counting them on the way
(:class:`workbook.leads.engines.tally.Tally`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.leads.engines.progress import Progress
from workbook.leads.engines.sinks import OUTPUT_FORMATS, Sink, output_format
from workbook.leads.engines.tally import Tally
from workbook.leads.scoring import Unmatched
from workbook.model import ScoringModel

ENGINES = ("pandas", "duckdb", "spark")
BATCH_ROWS = 100_000
DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_SPARK_MASTER = "local[*]"

__all__ = ["BATCH_ROWS", "ENGINES", "OUTPUT_FORMATS", "EngineError", "Progress", "QueryBuilder", "Run", "Sink",
           "Tally",           "input_kind", "output_format", "score_file"]


class EngineError(Exception):
    """The engine cannot score this file (unreadable, a column missing, the engine unavailable)."""


@dataclass
class Run:
    """What scoring a file gave besides the rows: counts, notes, the data-quality report (pandas)."""

    engine: str
    tally: Tally
    as_of: dt.date
    notes: list[str] = field(default_factory=list)
    unmatched: list[Unmatched] | None = None  # only the pandas engine reports it
    replaced_columns: list[str] = field(default_factory=list)


def input_kind(path: str | Path) -> str:
    """``csv``, ``xlsx`` or ``parquet``: by the suffix, else by the first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return "csv"  # the reader says what is wrong with it
    if head == b"PAR1":
        return "parquet"
    if head == b"PK\x03\x04":
        return "xlsx"
    return "csv"


def score_file(model: ScoringModel, path: str | Path, sink: Sink, *, engine: str = "pandas",
               as_of: dt.date | None = None, outcome: str | None = None, progress: Progress | None = None,
               memory_limit: str = DEFAULT_MEMORY_LIMIT, spark_master: str = DEFAULT_SPARK_MASTER,
               batch_rows: int = BATCH_ROWS, query: QueryBuilder | None = None,
               spark_staging: str | None = None) -> Run:
    """Score the lead list at ``path`` with ``engine``; every scored batch goes to ``sink``, in order.

    The sink is closed on success and aborted (nothing half-written) on any error.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    as_of = as_of or dt.date.today()
    run = Run(engine, Tally(model, outcome), as_of)
    progress = progress or Progress(None, enabled=False)

    def emit(batch: pd.DataFrame) -> None:
        if outcome is not None and outcome not in batch.columns:
            raise EngineError(f"the lead list has no column '{outcome}' (given with --outcome); columns in the "
                              "list: " + ", ".join(f"'{c}'" for c in batch.columns if c not in _scored()))
        run.tally.add(batch)
        sink.write(batch)
        progress.update(len(batch))

    if engine != "pandas" and query is None:
        raise EngineError(f"the {engine} engine needs the SQL query builder (query=)")
    if engine != "pandas" and not Path(path).is_file():
        raise EngineError(f"cannot read the lead list: {path}: no such file")
    try:
        if engine == "pandas":
            from workbook.leads.engines.pandas_engine import run_pandas

            run_pandas(model, Path(path), run, emit, progress, batch_rows)
        elif engine == "duckdb":
            from workbook.leads.engines.duckdb_engine import run_duckdb

            run_duckdb(model, Path(path), run, emit, progress, batch_rows, memory_limit, query)
        else:
            from workbook.leads.engines.spark_engine import run_spark

            run_spark(model, Path(path), run, emit, progress, batch_rows, spark_master, query, spark_staging)
        sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
        progress.close()
    return run


def _scored() -> tuple[str, ...]:
    from workbook.leads.scoring import SCORED_COLUMNS

    return SCORED_COLUMNS


Emit = Callable[[pd.DataFrame], None]
QueryBuilder = Callable[..., str]  # to_sql(model, dialect, table=…, as_of=…, pretty=…, comment=…)
