"""Benchmark: scoring generated leads for the sales-automation example.

    python benchmarks/scoring.py [--rows N] [--naive-rows M] [--repeat R] [--json] [--cli]

Times, on N generated leads (the sales-automation example, scenarios/sales_automation.yaml):

* ``vectorized_s`` — ``workbook.leads.score_leads`` (without the data-quality report; its time is
  ``quality_report_s``), median of R runs;
* ``naive_s`` — the per-row reference path (``match.labels_for_row`` + ``engine.score_lead``) on
  ``naive_rows`` leads, and ``naive_per_row_s`` / ``naive_extrapolated_s`` for N;
* ``duckdb_s`` — DuckDB running the exported SQL on the same in-memory frame and returning an
  Arrow table, median of R runs;
* ``peak_rss_mb`` — peak resident memory of this process (``resource.getrusage`` ru_maxrss)
  right after the vectorized runs; the leads are generated in a child process and handed
  over as an Arrow IPC file so that generating them does not count. ``input_frame_mb`` is the
  frame's own memory (``DataFrame.memory_usage(deep=True)``), ``baseline_rss_mb`` the RSS before
  the frame was loaded, ``scoring_peak_over_input`` = (peak − baseline) / input frame.

With ``--cli`` it also times ``python -m workbook score scenarios/x_education.yaml Leads.csv -o
/tmp/…csv`` (file to file, a fresh process, median of 3) as ``cli_x_education_s``.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODEL = REPO / "scenarios" / "sales_automation.yaml"
X_EDUCATION_MODEL = REPO / "scenarios" / "x_education.yaml"
X_EDUCATION_CSV = REPO / ".." / "shared" / "data" / "x-education" / "Leads.csv"
AS_OF = dt.date(2026, 3, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KiB on Linux


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _generate(rows: int, path: str) -> None:
    """Child process: generate the leads and write them as an Arrow IPC (Feather) file."""
    from workbook.files import load_model_file
    from workbook.leads.synthetic import generate_leads

    model = load_model_file(MODEL).model
    generate_leads(model, rows, as_of=AS_OF, seed=2026, wide_numbers=True).to_feather(path)


def _cli_timing(repeat: int = 3) -> float | None:
    if not X_EDUCATION_CSV.exists() or not X_EDUCATION_MODEL.exists():
        return None
    out = Path(tempfile.gettempdir()) / "lead_scoring_bench_out.csv"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "workbook", "score", str(X_EDUCATION_MODEL), str(X_EDUCATION_CSV), "-o", str(out)],
            cwd=REPO, check=True, capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=None, help="rows for the per-row path (min(N, 20,000))")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--cli", action="store_true", help="also time the score command on the X Education list")
    parser.add_argument("--generate", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        _generate(args.rows, args.generate)
        return 0
    if not MODEL.exists():
        print(f"error: the sales-automation example {MODEL} is missing; it is what this benchmark scores",
              file=sys.stderr)
        return 2

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    rows, repeat = args.rows, args.repeat
    naive_rows = args.naive_rows if args.naive_rows is not None else min(rows, 20_000)
    baseline = _rss_mb()

    import duckdb
    import pandas as pd

    from workbook.export.sql import to_sql
    from workbook.files import load_model_file
    from workbook.leads import score_leads, score_leads_naive

    model = load_model_file(MODEL).model
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "leads.feather")
        say(f"generating {rows:,} leads …")
        subprocess.run([sys.executable, __file__, "--rows", str(rows), "--generate", path], check=True)
        baseline = _rss_mb()
        leads = pd.read_feather(path)
    input_mb = leads.memory_usage(deep=True).sum() / 1e6
    say(f"{rows:,} leads, {leads.shape[1]} columns, {input_mb:,.0f} MB in memory")

    vectorized = _median_time(lambda: score_leads(model, leads, AS_OF, quality=False), repeat)
    peak = _peak_mb()
    say(f"vectorized: {vectorized:.3f} s (median of {repeat})  {rows / vectorized:,.0f} leads/s")
    quality = _median_time(lambda: score_leads(model, leads, AS_OF, quality=True), 1) - vectorized

    sample = leads.head(naive_rows)
    start = time.perf_counter()
    score_leads_naive(model, sample, AS_OF)
    naive = time.perf_counter() - start
    per_row = naive / max(naive_rows, 1)
    say(f"per-row reference: {naive:.2f} s for {naive_rows:,} leads ({per_row * 1e6:.0f} µs/lead)")

    sql = to_sql(model, "duckdb", as_of=AS_OF)
    con = duckdb.connect()
    con.register("leads", leads)
    duck = _median_time(lambda: con.sql(sql).to_arrow_table(), repeat)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    say(f"duckdb, exported SQL: {duck:.3f} s (median of {repeat}, {threads} threads)")

    cli = _cli_timing() if args.cli else None
    if cli is not None:
        say(f"score command on the X Education list, file to file: {cli:.2f} s")

    result = {
        "rows": rows,
        "vectorized_s": round(vectorized, 4),
        "naive_rows": naive_rows,
        "naive_s": round(naive, 4),
        "duckdb_s": round(duck, 4),
        "peak_rss_mb": round(peak, 1),
        "peak_rss_method": "resource.getrusage(RUSAGE_SELF).ru_maxrss after the vectorized runs",
        "input_frame_mb": round(input_mb, 1),
        "baseline_rss_mb": round(baseline, 1),
        "scoring_peak_over_input": round((peak - baseline) / input_mb, 2) if input_mb else None,
        "leads_per_s": round(rows / vectorized),
        "naive_per_row_s": per_row,
        "naive_extrapolated_s": round(per_row * rows, 1),
        "speedup_vs_naive": round(per_row * rows / vectorized, 1),
        "ratio_vs_duckdb": round(vectorized / duck, 3),
        "quality_report_s": round(max(quality, 0.0), 4),
        "cli_x_education_s": round(cli, 3) if cli is not None else None,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
