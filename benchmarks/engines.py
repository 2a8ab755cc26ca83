"""Benchmark: leads per second and peak memory of each `score` engine, side by side, in one run.

    python benchmarks/engines.py [--rows 1000000 20000000] [--engines pandas duckdb spark]
                                 [--pandas-max-rows N] [--spark-max-rows N] [--timeout S] [--csv] [--keep DIR] [--json]

For each size it writes generated leads (the sales-automation example, wide numbers and dates;
``workbook.leads.synthetic.generate_leads`` in chunks of 500,000, so that generating a large list
needs little memory) to disk as Parquet (and, with ``--csv``, as CSV), then times

    python -m workbook score scenarios/sales_automation.yaml LEADS -o OUT.parquet --engine E

file to file in a fresh process per run, and its peak resident memory two ways, in a wrapper
process that runs only it: ``peak_rss_mb``, the largest single process that ended under it
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the Python process; Spark's JVM is not waited for by
it, so not counted there), and ``peak_tree_rss_mb``, the resident memory of the whole process tree
(Python plus, for Spark, the JVM driver and its local executors), sampled four times a second.
``leads_per_s`` = rows ÷ wall time, session start, reading and writing included.

Every engine streams (pandas in chunks, DuckDB out of core, Spark through its own readers and
writers), so each runs on every size unless ``--pandas-max-rows`` / ``--spark-max-rows`` say
otherwise; a run longer than ``--timeout`` seconds (default 600) is stopped and reported so.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODEL = REPO / "scenarios" / "sales_automation.yaml"
AS_OF = dt.date(2026, 3, 1)
CHUNK = 500_000
BASE = 1_000_000  # generated leads; longer lists repeat them

_WRAPPER = """
import json, os, resource, subprocess, sys, threading, time

def tree_rss_kb(root):
    # Resident memory of the process and all its descendants (the JVM of Spark, DuckDB threads are in-process).
    children, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/status") as fh:
                kb = next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(pid))
        rss[int(pid)] = kb
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total

timeout = float(sys.argv[1])
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peak = [0]
def sample():
    while child.poll() is None:
        peak[0] = max(peak[0], tree_rss_kb(child.pid))
        time.sleep(0.25)
threading.Thread(target=sample, daemon=True).start()
try:
    _, err = child.communicate(timeout=timeout)
    code = child.returncode
except subprocess.TimeoutExpired:
    child.kill()
    _, err = child.communicate()
    code, err = -1, f"stopped after {timeout:.0f} s"
print(json.dumps({"seconds": time.perf_counter() - start, "code": code, "stderr": err[-2000:],
                  "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "peak_tree_kb": peak[0]}))
"""


def write_leads(rows: int, folder: Path, csv: bool) -> dict[str, Path]:
    """Generated leads on disk: Parquet (and CSV); a file already in ``folder`` is used as it is.

    Up to ``BASE`` leads are generated chunk by chunk; a longer list repeats those (with new
    lead ids), written by DuckDB — generating 20 M leads in Python takes longer than scoring them.
    """
    paths = {"parquet": folder / f"leads_{rows}.parquet"} | ({"csv": folder / f"leads_{rows}.csv"} if csv else {})
    if all(p.exists() for p in paths.values()):
        return paths
    if rows > BASE:
        import duckdb

        base = write_leads(BASE, folder, csv=False)["parquet"]
        repeats = -(-rows // BASE)
        con = duckdb.connect()
        con.execute(f"SET temp_directory = '{folder}'")
        lead_id = f"'L' || lpad(CAST(r.i * {BASE} + CAST(substr(\"Lead ID\", 2) AS BIGINT) AS TEXT), 9, '0')"
        select = (f"SELECT * REPLACE ({lead_id} AS \"Lead ID\") FROM read_parquet('{base}') "
                  f"CROSS JOIN range({repeats}) AS r(i) LIMIT {rows}")
        for kind, path in paths.items():
            fmt = "(FORMAT parquet)" if kind == "parquet" else "(FORMAT csv, HEADER true)"
            con.execute(f"COPY ({select}) TO '{path}' {fmt}")
        return paths
    return _generate(rows, paths)


def _generate(rows: int, paths: dict[str, Path]) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbook.files import load_model_file
    from workbook.leads.synthetic import generate_leads

    model = load_model_file(MODEL).model
    writer = None
    csv_out = open(paths["csv"], "w", encoding="utf-8", newline="") if "csv" in paths else None
    try:
        for i, start in enumerate(range(0, rows, CHUNK)):
            frame = generate_leads(model, min(CHUNK, rows - start), as_of=AS_OF, seed=2026 + i, wide_numbers=True)
            frame["Lead ID"] = [f"L{start + j:09d}" for j in range(len(frame))]
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(paths["parquet"], table.schema)
            writer.write_table(table)
            if csv_out is not None:
                frame.to_csv(csv_out, index=False, header=i == 0)
    finally:
        if writer is not None:
            writer.close()
        if csv_out is not None:
            csv_out.close()
    return paths


def measure(engine: str, source: Path, out: Path, extra: list[str], timeout: float) -> dict[str, object]:
    argv = [sys.executable, "-m", "workbook", "score", str(MODEL), str(source), "-o", str(out), "--engine", engine,
            "--as-of", AS_OF.isoformat(), *extra]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, str(timeout), *argv], cwd=REPO, capture_output=True,
                          text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["code"] != 0:
        return {"error": figures["stderr"].strip().splitlines()[-1] if figures["stderr"].strip() else "failed"}
    return {"seconds": round(figures["seconds"], 2), "peak_rss_mb": round(figures["peak_rss_kb"] / 1024, 1),
            "peak_tree_rss_mb": round(figures["peak_tree_kb"] / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 20_000_000])
    parser.add_argument("--engines", nargs="+", default=["pandas", "duckdb", "spark"])
    parser.add_argument("--pandas-max-rows", type=int, default=None, help="skip pandas above this many leads")
    parser.add_argument("--spark-max-rows", type=int, default=None, help="skip Spark above this many leads")
    parser.add_argument("--timeout", type=float, default=600, help="stop one engine's run after this many seconds")
    parser.add_argument("--memory-limit", default="1GB", help="the duckdb engine's --memory-limit")
    parser.add_argument("--csv", action="store_true", help="also score the list as CSV (duckdb loads it to disk first)")
    parser.add_argument("--keep", type=Path, help="write the lists here and keep them (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="lsw-engines-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            start = time.perf_counter()
            paths = write_leads(rows, folder, args.csv)
            sizes = {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()}
            say(f"{rows:,} leads written in {time.perf_counter() - start:.0f} s: {sizes} MB")
            for kind, source in paths.items():
                for engine in args.engines:
                    entry: dict[str, object] = {"rows": rows, "engine": engine, "input": kind,
                                                "input_mb": sizes[kind]}
                    limit = {"pandas": args.pandas_max_rows, "spark": args.spark_max_rows}.get(engine)
                    if limit is not None and rows > limit:
                        entry["skipped"] = f"above --{engine}-max-rows {limit:,}"
                    else:
                        extra = ["--memory-limit", args.memory_limit] if engine == "duckdb" else []
                        entry |= measure(engine, source, folder / f"out_{engine}_{rows}.parquet", extra, args.timeout)
                        if "seconds" in entry:
                            entry["leads_per_s"] = round(rows / float(entry["seconds"]))
                        (folder / f"out_{engine}_{rows}.parquet").unlink(missing_ok=True)
                    results.append(entry)
                    say("  " + ", ".join(f"{k} {v}" for k, v in entry.items()))
            if not args.keep:
                for p in paths.values():
                    if p.name != f"leads_{BASE}.parquet":
                        p.unlink(missing_ok=True)

    print(json.dumps({
        "model": MODEL.name,
        "results": results,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
