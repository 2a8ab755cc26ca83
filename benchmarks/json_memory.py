"""Benchmark: peak memory of ``score --json`` on a ~200 MB generated lead list (goal: under 1 GB).

    python benchmarks/json_memory.py [--mb 199] [--engines pandas duckdb] [--json]

Writes generated leads (the sales-automation example, as in benchmarks/engines.py) to a CSV of
about ``--mb`` megabytes (the pandas reader's cap is 200 MiB), then runs, each in a fresh
process whose peak resident memory is read with ``resource.getrusage(RUSAGE_CHILDREN)``:

* ``score MODEL LEADS.csv --json`` — the summary only (the default);
* ``score MODEL LEADS.csv --json --rows`` — every row as a JSON line, written to a file.

for each engine. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.engines import AS_OF, MODEL, write_leads  # noqa: E402

BYTES_PER_LEAD = 205  # the generated sales-automation leads as CSV


_RUN_TO_FILE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "w") as out:
    done = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE, text=True)
print(json.dumps({"seconds": time.perf_counter() - start, "code": done.returncode, "stderr": done.stderr[-500:],
                  "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run(argv: list[str], stdout: Path) -> dict[str, object]:
    """Run ``argv`` with its standard output to ``stdout``: time, exit code, peak memory."""
    done = subprocess.run([sys.executable, "-c", _RUN_TO_FILE, str(stdout), *argv], cwd=REPO, capture_output=True,
                          text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"code": figures["code"], "seconds": round(figures["seconds"], 1),
            "peak_rss_mb": round(figures["peak_rss_kb"] / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=199)
    parser.add_argument("--engines", nargs="+", default=["pandas", "duckdb"])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="lsw-json-") as tmp:
        folder = Path(tmp)
        rows = int(args.mb * 1e6 / BYTES_PER_LEAD)
        source = write_leads(rows, folder, csv=True)["csv"]
        size = source.stat().st_size / 1e6
        if not args.json:
            print(f"{rows:,} leads, {size:,.1f} MB of CSV", flush=True)
        for engine in args.engines:
            for extra in ([], ["--rows"]):
                out = folder / "out.jsonl"
                cmd = [sys.executable, "-m", "workbook", "score", str(MODEL), str(source), "--json", *extra,
                       "--engine", engine, "--as-of", AS_OF.isoformat()]
                entry = {"engine": engine, "command": "score --json " + " ".join(extra), **run(cmd, out),
                         "stdout_mb": round(out.stat().st_size / 1e6, 1)}
                results.append(entry)
                if not args.json:
                    print("  " + ", ".join(f"{k} {v}" for k, v in entry.items()), flush=True)
    print(json.dumps({"rows": rows, "csv_mb": round(size, 1), "results": results, "cpus": os.cpu_count(),
                      "load_average_1min": round(os.getloadavg()[0], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
