"""``python -m workbook score``: score a lead list with the model.

``score MODEL.yaml LEADS.(csv|xlsx) [-o OUT.csv] [--as-of YYYY-MM-DD] [--outcome COLUMN] [--json]``
writes the lead list's columns plus profile_pct, engagement_pct, profile_grade, engagement_level,
cell, state, knocked_out — to OUT.csv (written whole or not at all) or as CSV to standard output.
With ``--json`` it prints one JSON object instead: the scored rows, count and share per cell and
per state, the data-quality report (per attribute: rows that matched no value and their most
common raw values) and, with ``--outcome``, the conversion rate per cell and per state, the base
rate and each one's lift. Notes about the input (encoding, dropped empty columns …) go to
standard error.

Exit codes as the rest of the CLI: 0 fine, 1 the model is invalid (``--draft`` scores it
anyway), 2 the model or the lead list cannot be read, a column is missing, or the command line
is wrong.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from workbook.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    as_of_date,
    load,
    print_report,
    write_output,
)
from workbook.leads.output import scored_csv
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help="score a lead list (CSV or .xlsx) with the model",
        description="Score every row of a lead list: the input columns plus profile_pct, engagement_pct, "
        "profile_grade, engagement_level, cell, state and knocked_out.",
    )
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("leads", metavar="LEADS", help="the lead list: .csv (UTF-8 or Windows-1252) or .xlsx")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write the scored list here (default: standard output)")
    p.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                   help="the date recency rules (within_days) count back from (default: today)")
    p.add_argument("--outcome", metavar="COLUMN",
                   help="a column with the known outcome (1/0, yes/no, true/false): adds conversion rates and lift")
    p.add_argument("--json", action="store_true", help="print one JSON object: rows, distribution, data quality")
    p.add_argument("--draft", action="store_true", help="score even when the model is invalid")
    p.set_defaults(func=run)


# --------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    from workbook.leads import LeadListError, distribution, outcome_report, read_lead_list, score_leads

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
    try:
        leads = read_lead_list(args.leads)
    except LeadListError as exc:
        raise CommandError(f"{args.leads}: cannot read the lead list: {exc}", EXIT_UNREADABLE) from None
    for note in leads.notes:
        print(f"note: {args.leads}: {note}", file=sys.stderr)
    frame = leads.frame
    if args.outcome is not None and args.outcome not in frame.columns:
        raise CommandError(
            f"{args.leads}: the lead list has no column '{args.outcome}' (given with --outcome); "
            "columns in the list: " + ", ".join(f"'{c}'" for c in frame.columns),
            EXIT_UNREADABLE,
        )
    try:
        scored = score_leads(model, frame, args.as_of)
    except LeadListError as exc:  # MissingColumns
        raise CommandError(f"{args.leads}: {exc}", EXIT_UNREADABLE) from None
    if scored.replaced_columns:
        print(f"note: {args.leads}: replaced the input's own {', '.join(scored.replaced_columns)} column(s)",
              file=sys.stderr)

    if args.output:
        write_output(args.output, scored_csv(scored.frame))
    if args.json:
        result: dict[str, Any] = {
            "model": model.name,
            "leads": args.leads,
            "as_of": scored.as_of.isoformat(),
            "notes": leads.notes,
            **distribution(model, scored.frame).as_dict(),
            "knocked_out": int(scored.frame["knocked_out"].sum()),
            "unmatched": [u.as_dict() for u in scored.unmatched],
        }
        if args.outcome is not None:
            result["outcome"] = outcome_report(model, scored.frame, args.outcome).as_dict()
        result["rows"] = _records(scored.frame)
        sys.stdout.write(json.dumps(_clean(result), ensure_ascii=False, indent=1) + "\n")
    elif not args.output:
        sys.stdout.write(scored_csv(scored.frame))
    if args.output:
        dist = distribution(model, scored.frame)
        summary = ", ".join(f"{g.name} {g.count:,} ({g.share:.1%})" for g in dist.states if g.count)
        print(f"scored {len(scored.frame):,} leads → {args.output}: {summary}", file=sys.stderr)
    return EXIT_OK


def _records(frame: Any) -> list[dict[str, Any]]:
    out = frame.astype(object).where(frame.notna(), None)
    return out.to_dict("records")


def _clean(value: Any) -> Any:
    """JSON has no NaN: None instead; numpy scalars as plain numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
