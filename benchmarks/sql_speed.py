"""Benchmark: the exported SQL against the vectorized scorer, on the same leads, in one run.

    python benchmarks/sql_speed.py [--rows N] [--repeat R] [--model PATH] [--json]

On N generated leads (default 1,000,000; ``workbook.leads.synthetic.generate_leads`` for the
sales-automation example, wide numbers and dates) it times, as the median of R runs:

* ``vectorized_s`` — ``workbook.leads.score_leads`` on the pandas frame (no data-quality report);
* ``sql_s`` — DuckDB running ``export --format sql --dialect duckdb`` on the same leads in a
  native DuckDB table (``CREATE TABLE … AS``), the result fetched as an Arrow table;
* ``read_s`` — DuckDB reading every row of that table out as an Arrow table (the floor);
* ``sql_typed_s`` — the same query on a typed copy of the table (numbers as DOUBLE, dates as
  DATE, through ``TRY_CAST``), as a warehouse loader would have typed it;

and prints ``sql_over_vectorized`` = sql_s ÷ vectorized_s and ``typed_sql_over_vectorized`` =
sql_typed_s ÷ vectorized_s (the goal is 2 or less for both), with the load average (the ratios
of one run are what counts on a shared machine). The last line printed is one JSON object with
every figure, including the median CPU seconds of each (``…_cpu_s``, every thread counted),
which other processes on a shared machine disturb less than the wall times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODEL = REPO / "scenarios" / "sales_automation.yaml"
AS_OF = dt.date(2026, 3, 1)


_CPU: dict[str, float] = {}  # median process CPU seconds (every thread), by the wall time's label


def _median_time(fn, repeat: int, label: str = "") -> float:
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if label:
        _CPU[label] = statistics.median(cpu)
    return statistics.median(times)


def _typed_select(model, con) -> str:
    """A SELECT that types the columns the model reads as numbers or dates like a loader would."""
    from workbook.match import RULE_KEYS, effective_match

    forms: dict[str, set[str]] = {}
    for f in [*model.profile, *model.engagement]:
        for v in f.values:
            forms.setdefault(f.source_column, set()).update(RULE_KEYS[k].reads for k in effective_match(v).keys())
    parts = []
    for (name,) in con.execute("SELECT column_name FROM (DESCRIBE leads)").fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        kinds = forms.get(name, set())
        if kinds & {"number"} and not kinds & {"date"}:
            parts.append(f"TRY_CAST(TRIM({quoted}) AS DOUBLE) AS {quoted}")
        elif kinds & {"date"} and not kinds & {"number"}:
            parts.append(f"TRY_CAST(TRIM({quoted}) AS DATE) AS {quoted}")
        else:
            parts.append(quoted)
    return "SELECT " + ", ".join(parts) + " FROM leads"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"error: the model {args.model} is missing", file=sys.stderr)
        return 2

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    import duckdb

    from workbook.export.sql import to_sql
    from workbook.files import load_model_file
    from workbook.leads import score_leads
    from workbook.leads.synthetic import generate_leads

    model = load_model_file(args.model).model
    rows, repeat = args.rows, args.repeat
    say(f"generating {rows:,} leads …")
    leads = generate_leads(model, rows, as_of=AS_OF, seed=2026, wide_numbers=True)
    con = duckdb.connect()
    con.register("frame", leads)
    con.execute("CREATE TABLE leads AS SELECT * FROM frame")
    con.unregister("frame")
    con.execute(f"CREATE TABLE typed_leads AS {_typed_select(model, con)}")
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]

    vectorized = _median_time(lambda: score_leads(model, leads, AS_OF, quality=False), repeat, "vectorized")
    say(f"vectorized scorer: {vectorized:.3f} s (median of {repeat})")
    read = _median_time(lambda: con.sql("SELECT * FROM leads").to_arrow_table(), repeat)
    say(f"duckdb, reading every row out: {read:.3f} s")
    sql = to_sql(model, "duckdb", as_of=AS_OF)
    sql_s = _median_time(lambda: con.sql(sql).to_arrow_table(), repeat, "sql")
    say(f"duckdb, exported SQL: {sql_s:.3f} s ({threads} threads)")
    typed_sql = to_sql(model, "duckdb", table="typed_leads", as_of=AS_OF)
    typed_s = _median_time(lambda: con.sql(typed_sql).to_arrow_table(), repeat, "sql_typed")
    say(f"duckdb, exported SQL on the typed table: {typed_s:.3f} s")
    ratio = sql_s / vectorized
    say(f"exported SQL ÷ vectorized scorer: {ratio:.2f} on text, {typed_s / vectorized:.2f} on typed columns "
        f"(goal ≤ 2; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")

    print(json.dumps({
        "rows": rows,
        "repeat": repeat,
        "model": args.model.name,
        "vectorized_s": round(vectorized, 4),
        "read_s": round(read, 4),
        "sql_s": round(sql_s, 4),
        "sql_typed_s": round(typed_s, 4),
        "sql_over_vectorized": round(ratio, 2),
        "typed_sql_over_vectorized": round(typed_s / vectorized, 2),
        # CPU seconds of every thread: less sensitive to other processes on a shared machine
        **{f"{label}_cpu_s": round(cpu, 4) for label, cpu in _CPU.items()},
        "sql_cpu_over_vectorized_cpu": round(_CPU["sql"] / _CPU["vectorized"], 2),
        "typed_sql_cpu_over_vectorized_cpu": round(_CPU["sql_typed"] / _CPU["vectorized"], 2),
        "duckdb_threads": threads,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
