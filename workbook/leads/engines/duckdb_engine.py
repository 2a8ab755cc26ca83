"""The ``duckdb`` engine: the exported SQL on the file, out of core, in bounded memory.

A CSV is first loaded, every cell as text (as :func:`workbook.leads.read_lead_list` reads it;
a file not in UTF-8 — the encoding guessed as that reader guesses it — is first copied as UTF-8,
streamed, into the temporary folder), into a table of a temporary on-disk database: columnar
and compressed, so the query's passes over single columns (one per column the model reads)
stay cheap, and DuckDB spills to disk beyond ``memory_limit``. A Parquet file is queried
where it lies; an .xlsx is read by the project's reader (in memory). The result is fetched
in Arrow batches, in the list's order (``rowid`` order of the loaded table, file order of the
Parquet file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.leads.reading import LeadListError, check_columns, read_lead_list
from workbook.leads.scoring import SCORED_COLUMNS
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from workbook.leads.engines import Emit, Progress, QueryBuilder, Run


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run_duckdb(model: ScoringModel, path: Path, run: Run, emit: Emit, progress: Progress, batch_rows: int,
               memory_limit: str, to_sql: QueryBuilder) -> None:
    import duckdb

    from workbook.leads.engines import EngineError, input_kind
    from workbook.leads.engines.csv_files import csv_facts, utf8_copy

    kind = input_kind(path)
    with tempfile.TemporaryDirectory(prefix="lsw-duckdb-") as tmp:
        con = duckdb.connect(os.path.join(tmp, "leads.duckdb"))
        try:
            con.execute(f"SET memory_limit = {_literal(memory_limit)}")
            con.execute(f"SET temp_directory = {_literal(tmp)}")
            try:
                if kind == "csv":
                    facts = csv_facts(path)
                    if facts.note:
                        run.notes.append(facts.note)
                    source = path if facts.is_utf8 else utf8_copy(path, facts.encoding, Path(tmp))
                    con.execute("CREATE TABLE lsw_input AS SELECT * FROM read_csv("
                                f"{_literal(str(source))}, all_varchar = true, header = true, "
                                f"delim = {_literal(facts.delimiter)})")
                elif kind == "parquet":
                    con.execute(f"CREATE VIEW lsw_input AS SELECT * FROM read_parquet({_literal(str(path))})")
                else:
                    leads = read_lead_list(path)
                    run.notes += leads.notes
                    con.register("lsw_frame", leads.frame)
                    con.execute("CREATE VIEW lsw_input AS SELECT * FROM lsw_frame")
            except (duckdb.Error, LeadListError, UnicodeDecodeError) as exc:
                raise EngineError(f"cannot read the lead list: {_first_line(exc)}") from None
            columns = [row[0] for row in con.execute("SELECT column_name FROM (DESCRIBE lsw_input)").fetchall()]
            check_sql_columns(model, columns)
            replaced = [c for c in columns if c in SCORED_COLUMNS]
            run.replaced_columns = replaced
            keep = "SELECT * EXCLUDE (" + ", ".join(map(_ident, replaced)) + ")" if replaced else "SELECT *"
            con.execute(f"CREATE VIEW leads AS {keep} FROM lsw_input")
            progress.total = con.execute("SELECT count(*) FROM leads").fetchall()[0][0]
            query = to_sql(model, "duckdb", table="leads", as_of=run.as_of, pretty=False, comment=False)
            # Percentages as DOUBLE (the pandas engine's type); the DECIMAL is exact, so is its double.
            query = ("SELECT * REPLACE (CAST(profile_pct AS DOUBLE) AS profile_pct, "
                     f"CAST(engagement_pct AS DOUBLE) AS engagement_pct) FROM ({query})")
            try:
                reader = con.sql(query).to_arrow_reader(batch_rows)
                emitted = False
                for batch in reader:
                    emit(batch.to_pandas())
                    emitted = True
                if not emitted:
                    emit(con.execute(query).df())
            except duckdb.Error as exc:
                raise EngineError(f"DuckDB could not score the list: {_first_line(exc)}") from None
        finally:
            con.close()


def check_sql_columns(model: ScoringModel, columns: list[str]) -> None:
    """Refuse, as :class:`EngineError`, a list the SQL engines (DuckDB, Spark) cannot score: a column
    the model reads is missing, or a column's name clashes with the SQL's own ``lsw_`` helpers."""
    import pandas as pd

    from workbook.leads.engines import EngineError

    try:
        check_columns(model, pd.DataFrame(columns=columns))
    except LeadListError as exc:
        raise EngineError(str(exc)) from None
    clashes = [c for c in columns if c.lower().startswith("lsw_")]
    if clashes:
        raise EngineError("the SQL engines name their helper columns lsw_…; rename these columns of the list: "
                          + ", ".join(f"'{c}'" for c in clashes))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
