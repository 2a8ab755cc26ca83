"""``python -m workbook export MODEL.yaml --format NAME``: the model in one of the formats of the
export registry (:data:`workbook.export.FORMATS`), to standard output or a file (``-o``).

A final export needs a valid model: an invalid one is refused (exit 1) unless ``--draft`` is
given, which exports it as it stands. The JSON Schema does not depend on the model, so for it the
model file is not read.

A platform setup pack (``--format hubspot|account-engagement|marketo|dynamics|mautic``) first
prints its fidelity report to standard error — what the platform approximates and how, the
scenarios whose state it changes and, with ``--leads LIST``, the share of that list's leads
whose state it preserves — then writes the pack (whose ``fidelity.md`` holds the same report).
The Excel workbook, the PDF and the packs are binary files: they go to a file (``-o``) or a pipe,
never to a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from workbook.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    as_of_date,
    load,
    print_report,
    read_leads,
    write_output,
)
from workbook.export import (
    DIALECTS,
    FIDELITY,
    FORMATS,
    ExportFormat,
    FidelityReport,
    fidelity,
    final_refusal,
    format_names,
    get_format,
    is_platform_pack,
)
from workbook.export.platforms import PACKS
from workbook.export.sql import SqlExportError
from workbook.export.sql_format import AS_OF, DIALECT, TABLE
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the model (a final export needs a valid model)")
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("--format", required=True, choices=format_names(),
                   help="; ".join(f"{f.name}: {f.label}" for f in FORMATS))
    p.add_argument("--dialect", choices=DIALECTS, default=DIALECTS[0],
                   help=f"SQL dialect of --format sql/dbt (default {DIALECTS[0]})")
    p.add_argument("--table", metavar="NAME", help="lead table of --format sql (default leads); for dbt a model "
                   "name (ref) or source.table (source)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="--format sql/dbt: fixed date for recency rules "
                   "(default: CURRENT_DATE); platform packs: the date --leads is measured at; pdf: its date")
    p.add_argument("--leads", metavar="LIST", help="platform packs: a lead list (CSV or .xlsx, with the model's "
                   "columns) to measure the share of leads whose state the platform preserves")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: standard output; the "
                   "binary formats xlsx, pdf and the packs need -o or a pipe)")
    p.add_argument("--draft", action="store_true", help="export even when the model is invalid")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    fmt = get_format(args.format)
    if args.leads and not is_platform_pack(fmt.name):
        raise CommandError(f"--leads is for the platform setup packs ({', '.join(PACKS)}): it measures how "
                           "faithfully the platform reproduces the model", EXIT_UNREADABLE)
    if fmt.binary and not args.output and sys.stdout.isatty():
        raise CommandError(f"--format {fmt.name} writes a binary file ({fmt.label}), which a terminal cannot show: "
                           f"give -o FILE (for example -o model{_suffix(fmt)}) or pipe it into a file", EXIT_UNREADABLE)
    if not fmt.needs_model:
        content = fmt.render(None, {}).content  # type: ignore[arg-type]
    else:
        loaded = load(args.model)
        report = validate(loaded.model, loaded.lines)
        refusal = final_refusal(report)
        if refusal and not args.draft:
            print_report(report, sys.stderr)
            print(f"{args.model}: not exported — {refusal}; use --draft to export it as a draft", file=sys.stderr)
            return EXIT_INVALID
        # --draft lets an invalid model out as it stands; the file is not marked as a draft here
        # (the app's draft download is).
        options = _options(args, fmt.options)
        if is_platform_pack(fmt.name):
            report = _fidelity(args, fmt, loaded.model, options)
            print(report.text(), file=sys.stderr)
            options[FIDELITY] = report
        try:
            content = fmt.render(loaded.model, options).content
        except SqlExportError as exc:
            raise CommandError(f"cannot export SQL: {exc}", EXIT_UNREADABLE) from None
    if args.output:
        write_output(args.output, content)
        print(f"wrote {args.output}", file=sys.stderr)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    else:
        sys.stdout.write(content)
    return EXIT_OK


def _suffix(fmt: ExportFormat) -> str:
    return {"xlsx": ".xlsx", "pdf": ".pdf"}.get(fmt.name, ".zip")


def _fidelity(args: argparse.Namespace, fmt: ExportFormat, model: Any, options: Mapping[str, Any]) -> FidelityReport:
    """The pack's fidelity report: on the scenarios, and on the lead list of ``--leads`` if given."""
    if not args.leads:
        return fidelity(fmt.name, model, None, options.get(AS_OF))
    from workbook.leads import LeadListError

    frame = read_leads(args.leads)
    try:
        return fidelity(fmt.name, model, frame, options.get(AS_OF))
    except LeadListError as exc:  # MissingColumns
        raise CommandError(f"{args.leads}: {exc}", EXIT_UNREADABLE) from None


def _options(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    """The format's options from the command line (only those it reads, so --as-of is checked only for SQL)."""
    options: dict[str, Any] = {}
    if DIALECT in names:
        options[DIALECT] = args.dialect
    if TABLE in names:
        options[TABLE] = args.table
    if AS_OF in names and args.as_of:
        try:
            options[AS_OF] = as_of_date(args.as_of)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--as-of: {exc}", EXIT_UNREADABLE) from None
    return options
