"""The command line: ``python -m workbook check|scenarios|export …``.

Exit codes: 0 fine, 1 the model is invalid (each problem printed as ``location: message``),
2 the file cannot be read (missing, not YAML, not a mapping, too large, alias or tag
refused) or the command line is wrong. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from workbook import fmt
from workbook.engine import agreement, evaluate_scenarios
from workbook.io import LoadedModel, ModelFileError, ModelInvalid, dump_model, load_model_file, write_text_atomic
from workbook.model import ScoringModel, json_schema
from workbook.validate import Report, validate

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """A failure the user can act on; carries its exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _load(path: str) -> LoadedModel:
    try:
        return load_model_file(path)
    except ModelFileError as exc:
        raise CommandError(f"{path}: cannot read the model file: {exc}", EXIT_UNREADABLE) from None
    except ModelInvalid as exc:
        lines = [f"{path}: the model file is invalid ({len(exc.problems)} problem(s)):"]
        lines += [f"  {p}" for p in exc.problems]
        raise CommandError("\n".join(lines), EXIT_INVALID) from None


def _print_report(report: Report, out: TextIO) -> None:
    for problem in report.errors:
        print(f"error: {problem}", file=out)
    for problem in report.warnings:
        print(f"warning: {problem}", file=out)


# --------------------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    loaded = _load(args.model)
    report = validate(loaded.model, loaded.lines)
    _print_report(report, sys.stdout)
    n_err, n_warn = len(report.errors), len(report.warnings)
    verdict = "valid" if report.is_valid else "invalid"
    print(f"{args.model}: {verdict} — {n_err} error(s), {n_warn} warning(s)")
    return EXIT_OK if report.is_valid else EXIT_INVALID


def cmd_scenarios(args: argparse.Namespace) -> int:
    loaded = _load(args.model)
    report = validate(loaded.model, loaded.lines)
    if not report.is_valid:
        print(
            f"note: the model has {len(report.errors)} error(s) (see `check`); results are a draft's",
            file=sys.stderr,
        )
    results = evaluate_scenarios(loaded.model)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
        return EXIT_OK
    header = ("Scenario", "Profile", "Engagement", "Cell", "State", "Estimate", "Agrees")
    rows = []
    for r in results:
        res = r.result
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        estimate = " ".join(est.get(k, "") for k in ("profile", "engagement")).replace(" ", "") or ""
        estimate = " / ".join(x for x in (estimate, est.get("state", "")) if x) or "–"
        state = (res.state or "–") + (" (knocked out)" if res.knocked_out else "")
        agrees = {True: "yes", False: "NO", None: "–"}[r.agrees]
        rows.append((r.name, fmt.pct(res.profile_pct), fmt.pct(res.engagement_pct), res.cell or "–", state,
                     estimate, agrees))
    print(_table(header, rows, right_aligned={1, 2}))
    print()
    print(agreement(results).sentence())
    return EXIT_OK


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right_aligned: set[int]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).rjust(w) if i in right_aligned else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "jsonschema":
        text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    else:
        loaded = _load(args.model)
        report = validate(loaded.model, loaded.lines)
        if not report.is_valid and not args.draft:
            _print_report(report, sys.stderr)
            print(
                f"{args.model}: not exported — a final export needs a valid model "
                f"({len(report.errors)} error(s)); use --draft to export it as a draft",
                file=sys.stderr,
            )
            return EXIT_INVALID
        if args.format in ("sql", "dbt"):
            from workbook.cli_leads import render_sql

            text = render_sql(loaded.model, args)
        else:
            text = render(loaded.model, args.format)
    if args.output:
        try:
            write_text_atomic(args.output, text)
        except OSError as exc:
            raise CommandError(f"{args.output}: cannot write ({exc.strerror})", EXIT_UNREADABLE) from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def render(model: ScoringModel, fmt_name: str) -> str:
    """The model in one of the plain export formats."""
    if fmt_name == "yaml":
        return dump_model(model)
    if fmt_name == "json":
        from workbook.io import model_to_data

        return json.dumps(model_to_data(model), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt_name}")


# --------------------------------------------------------------------------------------------
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workbook",
        description="Lead Scoring Workbook: check, test and export lead scoring models.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate a model file (exit 0 valid, 1 invalid, 2 unreadable)")
    p.add_argument("model", metavar="MODEL.yaml")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("scenarios", help="score the model's test scenarios and compare with the estimates")
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per scenario")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("export", help="export the model (a final export needs a valid model)")
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("--format", required=True, choices=["yaml", "json", "jsonschema", "sql", "dbt"])
    p.add_argument("--dialect", choices=["duckdb", "postgres", "snowflake", "bigquery", "spark"], default="duckdb",
                   help="SQL dialect of --format sql/dbt (default duckdb)")
    p.add_argument("--table", metavar="NAME", help="lead table of --format sql (default leads); for dbt a model "
                   "name (ref) or source.table (source)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="--format sql/dbt: fixed date for recency rules "
                   "(default: CURRENT_DATE)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: standard output)")
    p.add_argument("--draft", action="store_true", help="export even when the model is invalid")
    p.set_defaults(func=cmd_export)

    for register in _EXTENSIONS:
        register(sub)
    return parser


# Later commands (score, calibrate, sql export) register themselves here.
_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


import workbook.cli_calibrate  # noqa: E402, F401, I001  (registers `calibrate` in _EXTENSIONS)
import workbook.cli_leads  # noqa: E402, F401, I001  (registers `score` in _EXTENSIONS)
import workbook.cli_fit  # noqa: E402, F401, I001  (registers `fit` in _EXTENSIONS)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
