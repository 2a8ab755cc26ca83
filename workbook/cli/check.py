"""``python -m workbook check MODEL.yaml``: validate a model file (exit 0 valid, 1 invalid, 2 unreadable)."""

from __future__ import annotations

import argparse
import sys

from workbook.cli.common import EXIT_INVALID, EXIT_OK, load, print_report
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="validate a model file (exit 0 valid, 1 invalid, 2 unreadable)")
    p.add_argument("model", metavar="MODEL.yaml")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args.model)
    report = validate(loaded.model, loaded.lines)
    print_report(report, sys.stdout)
    n_err, n_warn = len(report.errors), len(report.warnings)
    verdict = "valid" if report.is_valid else "invalid"
    print(f"{args.model}: {verdict} — {n_err} error(s), {n_warn} warning(s)")
    return EXIT_OK if report.is_valid else EXIT_INVALID
