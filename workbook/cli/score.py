"""``python -m workbook score``: score a lead list with the model.

``score MODEL.yaml LEADS.(csv|xlsx|parquet) [-o OUT.(csv|parquet)] [--output-format csv|parquet]
[--engine pandas|duckdb|spark] [--as-of YYYY-MM-DD] [--outcome COLUMN] [--json [--rows]]``
writes the lead list's columns plus profile_pct, engagement_pct, profile_grade, engagement_level,
cell, state, knocked_out — to OUT (CSV or Parquet, by its suffix or ``--output-format``; written
whole or not at all) or as CSV to standard output.

Engines (:mod:`workbook.leads.engines`, the same answer lead by lead): ``pandas`` (default) scores
the list in memory and also reports the values that matched nothing; ``duckdb`` runs the exported
SQL on the file out of core within ``--memory-limit``; ``spark`` runs it on a Spark session
(``--spark-master``: ``local[*]`` by default, a master URL or a Spark Connect ``sc://`` address),
which reads the file and writes the scored leads with Spark's own readers and writers into a
staging folder (``--spark-staging``) that this process then streams into the output.

With ``--json`` it prints one JSON object, a summary: count and share per cell and per state,
leads knocked out, the data-quality report (pandas engine) and, with ``--outcome``, the
conversion rate per cell and per state, the base rate and each one's lift. ``--rows`` adds every
scored lead, streamed as JSON lines (``{"row": {…}}`` one per lead, as they are scored) with the
summary as the last line (``{"summary": {…}}``), so memory stays bounded whatever the list's
size. Notes about the input and a progress bar (in a terminal) go to standard error.

Exit codes as the rest of the CLI: 0 fine, 1 the model is invalid (``--draft`` scores it
anyway), 2 the model or the lead list cannot be read, a column is missing, or the command line
is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbook.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    as_of_date,
    json_ready,
    load,
    print_report,
)
from workbook.export.sql import to_sql
from workbook.leads.engines import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_SPARK_MASTER,
    ENGINES,
    OUTPUT_FORMATS,
    EngineError,
    Progress,
    Run,
    output_format,
    score_file,
)
from workbook.leads.engines.sinks import CsvSink, Fanout, JsonLinesSink, ParquetSink, Sink
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help="score a lead list (CSV, .xlsx or Parquet) with the model",
        description="Score every row of a lead list: the input columns plus profile_pct, engagement_pct, "
        "profile_grade, engagement_level, cell, state and knocked_out.",
    )
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("leads", metavar="LEADS",
                   help="the lead list: .csv (UTF-8, UTF-16, Windows-1252 …: guessed), .xlsx or .parquet")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="write the scored list here, .csv or .parquet (default: CSV to standard output)")
    p.add_argument("--output-format", choices=OUTPUT_FORMATS,
                   help="the output file's format (default: by its suffix, else csv)")
    p.add_argument("--engine", choices=ENGINES, default="pandas",
                   help="pandas: in memory (default); duckdb: the exported SQL on the file, out of core; "
                        "spark: the exported SQL on a Spark session")
    p.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT, metavar="SIZE",
                   help="duckdb engine: the memory DuckDB may use before spilling to disk "
                        f"(default {DEFAULT_MEMORY_LIMIT})")
    p.add_argument("--spark-master", default=DEFAULT_SPARK_MASTER, metavar="URL",
                   help="spark engine: local[*] (default), a master URL, or a Spark Connect address sc://host:port")
    p.add_argument("--spark-staging", metavar="DIR",
                   help="spark engine: the folder Spark stages the list and the scored leads in (default: a "
                        "temporary folder here; on a cluster or a remote Spark Connect server, one the workers "
                        "and this machine both see)")
    p.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                   help="the date recency rules (within_days) count back from (default: today)")
    p.add_argument("--outcome", metavar="COLUMN",
                   help="a column with the known outcome (1/0, yes/no, true/false): adds conversion rates and lift")
    p.add_argument("--json", action="store_true",
                   help="print a JSON summary: distribution, knockouts, data quality (and outcome)")
    p.add_argument("--rows", action="store_true",
                   help="with --json: also every scored lead, as JSON lines, the summary last")
    p.add_argument("--draft", action="store_true", help="score even when the model is invalid")
    p.set_defaults(func=run)


# --------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    loaded = load(args.model)
    model = loaded.model
    report = validate(model, loaded.lines)
    if not report.is_valid:
        if not args.draft:
            print_report(report, sys.stderr)
            print(
                f"{args.model}: not scored — the model is invalid ({len(report.errors)} error(s)); "
                "use --draft to score with it anyway",
                file=sys.stderr,
            )
            return EXIT_INVALID
        print(f"note: the model has {len(report.errors)} error(s) (see `check`); scoring it as a draft",
              file=sys.stderr)
    if args.rows and not args.json:
        raise CommandError("--rows goes with --json (the scored rows as JSON lines)", EXIT_UNREADABLE)
    fmt = output_format(args.output, args.output_format)
    if fmt == "parquet" and not args.output:
        raise CommandError("Parquet is written to a file: give -o OUT.parquet", EXIT_UNREADABLE)

    sink = _sink(args, fmt)
    try:
        result = score_file(model, args.leads, sink, engine=args.engine, as_of=args.as_of, outcome=args.outcome,
                            progress=Progress(None), memory_limit=args.memory_limit, spark_master=args.spark_master,
                            query=to_sql, spark_staging=args.spark_staging)
    except EngineError as exc:
        raise CommandError(f"{args.leads}: {exc}", EXIT_UNREADABLE) from None
    except OSError as exc:
        raise CommandError(f"{args.output or args.leads}: cannot write ({exc.strerror})", EXIT_UNREADABLE) from None
    for note in result.notes:
        print(f"note: {args.leads}: {note}", file=sys.stderr)
    if result.replaced_columns:
        print(f"note: {args.leads}: replaced the input's own {', '.join(result.replaced_columns)} column(s)",
              file=sys.stderr)
    if args.json:
        summary = _summary(args, model.name, result)
        if args.rows:
            sys.stdout.write(json.dumps({"summary": summary}, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    if args.output:
        summary_line = ", ".join(f"{g.name} {g.count:,} ({g.share:.1%})" for g in result.tally.distribution().states
                                 if g.count)
        print(f"scored {result.tally.rows:,} leads → {args.output}: {summary_line}", file=sys.stderr)
    return EXIT_OK


def _sink(args: argparse.Namespace, fmt: str) -> Sink:
    sinks: list[Sink] = []
    try:
        if args.output:
            sinks.append(ParquetSink(args.output) if fmt == "parquet" else CsvSink(args.output))
    except OSError as exc:
        raise CommandError(f"{args.output}: cannot write ({exc.strerror})", EXIT_UNREADABLE) from None
    if args.json and args.rows:
        sinks.append(JsonLinesSink(sys.stdout))
    elif not args.json and not args.output:
        sinks.append(CsvSink(None, sys.stdout))
    return Fanout(sinks)


def _summary(args: argparse.Namespace, name: str, result: Run) -> dict[str, Any]:
    out: dict[str, Any] = {
        "model": name,
        "leads": args.leads,
        "engine": result.engine,
        "as_of": result.as_of.isoformat(),
        "notes": result.notes,
        **result.tally.distribution().as_dict(),
        "knocked_out": result.tally.knocked_out,
    }
    if result.unmatched is not None:
        out["unmatched"] = [u.as_dict() for u in result.unmatched]
    outcome = result.tally.outcome_report()
    if outcome is not None:
        out["outcome"] = outcome.as_dict()
    return json_ready(out)

