"""``python -m workbook fit``: let a lead list with known outcomes suggest scores, weights and thresholds.

``fit MODEL.yaml LEADS --outcome COLUMN [--holdout 0.3 | --folds K] [--seed N] [-o SUGGESTED.yaml]
[--json]`` fits the model's own values on part of the list (see :mod:`workbook.leads.fit`),
prints the held-out figures side by side — AUC ranked by cell for the current model and the
suggestion, the unconstrained regression's AUC (the ceiling), each state's conversion — then the
suggested weights, thresholds and per-value evidence. ``-o`` writes the suggested model as a valid
model file (whole or not at all). ``--json`` prints one object with the keys ``auc_current``,
``auc_suggested``, ``auc_ceiling``, ``states_current``, ``states_suggested`` and the details.

Exit codes as the rest of the CLI: 0 fine, 1 the model is invalid (``--draft`` fits it anyway),
2 a file cannot be read or written, a column is missing, or the list cannot teach the model.
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
    locks,
    read_leads,
    table,
    write_output,
)

__all__ = ["register", "run"]


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number such as 0.3") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"the holdout share must be between 0 and 1, not {text}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Register the ``fit`` command on the CLI's sub-parsers."""
    p = sub.add_parser(
        "fit",
        help="suggest scores, weights and thresholds from a lead list with known outcomes",
        description="Fit the model's own values to a known outcome on part of the list and compare the "
        "current model, the suggestion and an unconstrained regression on the rest.",
    )
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("leads", metavar="LEADS", help="the lead list: .csv (UTF-8 or Windows-1252) or .xlsx")
    p.add_argument("--outcome", required=True, metavar="COLUMN",
                   help="the column with the known outcome (1/0, yes/no, true/false)")
    split = p.add_mutually_exclusive_group()
    split.add_argument("--holdout", type=_share, default=0.3, metavar="SHARE",
                       help="share of the leads kept aside to measure on (default 0.3)")
    split.add_argument("--folds", type=int, metavar="K", help="k-fold instead of one holdout (K ≥ 2)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the split (default 0)")
    p.add_argument("-o", "--output", metavar="SUGGESTED.yaml", help="write the suggested model here")
    p.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    p.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                   help="the date recency rules (within_days) count back from (default: today)")
    p.add_argument("--keep-thresholds", action="store_true", help="suggest scores and weights only")
    p.add_argument("--lock", action="append", default=[], metavar="NAME",
                   help="keep this weight as it is (attribute or activity name, or profile:NAME / "
                        "engagement:NAME); repeatable, as in calibrate")
    p.add_argument("--leaking", action="append", default=[], metavar="COLUMN",
                   help="a column the team knows is filled after contact (repeatable): left out")
    p.add_argument("--keep", action="append", default=[], metavar="ATTRIBUTE",
                   help="an attribute to keep in the fit even if it looks like leakage (repeatable)")
    p.add_argument("--draft", action="store_true", help="fit even when the model is invalid")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Carry out ``fit``; returns the exit code."""
    from workbook.files import dump_model
    from workbook.leads import LeadListError
    from workbook.leads.fit import FitError, suggest_from_outcomes
    from workbook.validate import validate

    loaded = load(args.model)
    report = validate(loaded.model, loaded.lines)
    if not report.is_valid and not args.draft:
        for problem in report.errors:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{args.model}: not fitted — the model is invalid ({len(report.errors)} error(s)); "
              "use --draft to fit it anyway", file=sys.stderr)
        return EXIT_INVALID
    frame = read_leads(args.leads, args.outcome)
    bounds = locks(loaded.model, args.lock)
    try:
        result = suggest_from_outcomes(
            loaded.model, frame, args.outcome, weight_bounds=bounds,
            holdout=args.holdout, folds=args.folds, seed=args.seed, as_of=args.as_of,
            suggest_thresholds=not args.keep_thresholds, declared_leaks=args.leaking, keep=args.keep,
        )
    except LeadListError as exc:  # MissingColumns
        raise CommandError(f"{args.leads}: {exc}", EXIT_UNREADABLE) from None
    except (FitError, ValueError) as exc:
        raise CommandError(f"{args.leads}: cannot fit: {exc}", EXIT_UNREADABLE) from None

    if args.output:
        check = validate(result.model)
        if not check.is_valid:  # pragma: no cover - the fit keeps every rule; say so if it did not
            raise CommandError(f"{args.output}: not written — the suggestion broke a rule: {check.errors[0]}",
                               EXIT_INVALID)
        write_output(args.output, dump_model(result.model))
    if args.json:
        data: dict[str, Any] = {"model": loaded.model.name, "leads": args.leads, **result.as_dict()}
        data["states_current"] = data["held_out"]["states_current"]
        data["states_suggested"] = data["held_out"]["states_suggested"]
        data["output"] = args.output
        sys.stdout.write(json.dumps(json_ready(data), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(_text(result))
    if args.output:
        print(f"wrote the suggested model to {args.output}", file=sys.stderr)
    return EXIT_OK


def _text(result: Any) -> str:
    h = result.held_out
    lines = [f"Held out: {h.rows:,} leads ({h.method}); ranked by cell, the ceiling by the regression.", ""]
    lines.append(table(("", "current", "suggested", "ceiling"),
                        [("AUC", _num(h.auc_current), _num(h.auc_suggested), _num(h.auc_ceiling))], {1, 2, 3}))
    if None not in (h.auc_current, h.auc_suggested, h.auc_ceiling) and h.auc_ceiling > h.auc_current:
        closed = (h.auc_suggested - h.auc_current) / (h.auc_ceiling - h.auc_current)
        to_go = h.auc_ceiling - h.auc_suggested
        rest = f"{to_go:.3f} to go" if to_go > 0 else "at the ceiling"
        lines.append(f"The suggestion closes {closed:.0%} of the gap between the current model and the ceiling "
                     f"({rest}).")
    lines += ["", "Conversion per state on the held-out leads:"]
    rows = []
    for a, b in zip(h.states_current, h.states_suggested, strict=False):
        rows.append((a.name or "(none)", f"{a.count:,}", _pct(a.rate), f"{b.count:,}", _pct(b.rate)))
    lines.append(table(("State", "current leads", "converted", "suggested leads", "converted"), rows,
                        {1, 2, 3, 4}))
    lines += ["", "Weights:"]
    lines.append(table(
        ("Section", "Attribute", "current", "suggested", "note"),
        [(w.section, w.name, _w(w.current), _w(w.suggested), ("locked" if w.locked else w.left_out or "")[:70])
         for w in result.weights],
        {2, 3},
    ))
    if result.thresholds:
        lines += ["", "Thresholds (minimum %):"]
        lines.append(table(("Axis", "Band", "current", "suggested"),
                            [(t.axis, t.band, _w(t.current), _w(t.suggested)) for t in result.thresholds], {2, 3}))
    lines += ["", "Values (evidence on the whole list; 95 % interval):"]
    lines.append(table(
        ("Attribute", "Value", "leads", "converted", "interval", "lift", "current", "suggested"),
        [(v.attribute, v.label, f"{v.leads:,}", _pct(v.rate),
          f"{_pct(v.ci_low)}–{_pct(v.ci_high)}" if v.ci_low is not None else "–",
          "–" if v.lift is None else f"{v.lift:.2f}", _w(v.current), _w(v.suggested)) for v in result.values],
        {2, 3, 4, 5, 6, 7},
    ))
    flagged = [c for c in result.leaks if c.flagged]
    if flagged:
        lines += ["", "Possible leakage:"]
        for c in flagged:
            verdict = "kept on purpose" if c.kept else "left out of the suggestion"
            lines.append(f"  {c.attribute} ({verdict}): " + "; ".join(c.reasons()))
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _w(x: float) -> str:
    return f"{x:g}"

