"""``python -m workbook calibrate MODEL.yaml``: threshold and weight suggestions (issue 6).

Prints, for the model's test scenarios, the band minimums and the weights that make the
most scenarios agree — before → after, agreement before → after, the scenarios fixed and
broken — as text, or as one JSON object with ``--json``. ``--alignment`` and
``--sensitivity`` add the room's agreement and the per-scenario sensitivity.

Exit codes as everywhere in the CLI: 0 fine, 1 the file is not a model (structure), 2 the
file cannot be read or the command line is wrong. A model that breaks a SPEC §5 rule is
calibrated as the draft it is, with a note on standard error (like ``scenarios``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbook import fmt
from workbook.calibrate import (
    Sensitivity,
    ThresholdSuggestion,
    WeightSuggestion,
    alignment,
    flip_text,
    sensitivity,
    suggest_thresholds,
    suggest_weights,
)
from workbook.calibrate.thresholds import DEFAULT_TIME_LIMIT as THRESHOLD_TIME
from workbook.calibrate.weights import DEFAULT_STEP
from workbook.calibrate.weights import DEFAULT_TIME_LIMIT as WEIGHT_TIME
from workbook.cli.common import EXIT_OK, load, locks
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calibrate",
        help="suggest thresholds and weights that make the most test scenarios agree",
        description=(
            "Suggest band minimums (--thresholds) and weights (--weights) that make the most test "
            "scenarios agree with the team's estimates; both when neither is given."
        ),
    )
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("--thresholds", action="store_true", help="suggest profile-grade and engagement-level minimums")
    p.add_argument("--weights", action="store_true", help="suggest attribute and activity weights")
    p.add_argument("--alignment", action="store_true", help="show how far the team members agree")
    p.add_argument("--sensitivity", action="store_true", help="show band-edge distances and the weights that flip")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--step", type=_positive, default=DEFAULT_STEP, metavar="POINTS",
                   help=f"weights move in steps of this many points (default {DEFAULT_STEP:g})")
    p.add_argument("--lock", action="append", default=[], metavar="NAME",
                   help="keep this weight as it is (attribute or activity name, or profile:NAME / "
                        "engagement:NAME); repeatable")
    p.add_argument("--points", type=_positive, default=5.0, metavar="N",
                   help="sensitivity: the ± change of each weight for the tornado (default 5)")
    p.add_argument("--time-limit", type=_positive, default=None, metavar="SECONDS",
                   help=f"time for each search (default {THRESHOLD_TIME:g} s thresholds, {WEIGHT_TIME:g} s weights)")
    p.set_defaults(func=run)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' must be a positive number")
    return value


def run(args: argparse.Namespace) -> int:
    loaded = load(args.model)
    model = loaded.model
    report = validate(model, loaded.lines)
    if not report.is_valid:
        print(
            f"note: the model has {len(report.errors)} error(s) (see `check`); suggestions are for a draft",
            file=sys.stderr,
        )
    bounds = locks(model, args.lock)
    want_thresholds = args.thresholds or not (args.thresholds or args.weights or args.alignment or args.sensitivity)
    want_weights = args.weights or not (args.thresholds or args.weights or args.alignment or args.sensitivity)
    out: dict[str, Any] = {"model": args.model}
    parts: list[str] = []
    if want_thresholds:
        t = suggest_thresholds(model, time_limit=args.time_limit or THRESHOLD_TIME)
        out["thresholds"] = t.as_dict()
        parts.append(threshold_text(t))
    if want_weights:
        w = suggest_weights(model, bounds=bounds, step=args.step, time_limit=args.time_limit or WEIGHT_TIME)
        out["weights"] = w.as_dict()
        parts.append(weight_text(w))
    if args.alignment:
        a = alignment(model)
        out["alignment"] = a.as_dict()
        parts.append(alignment_text(a))
    if args.sensitivity:
        s = sensitivity(model, points=args.points)
        out["sensitivity"] = s.as_dict()
        parts.append(sensitivity_text(s))
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n\n".join(parts))
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------
def _agreement_line(title: str, comparison: Any, verdict: str) -> str:
    return (
        f"{title} — {comparison.agreeing_before} → {comparison.agreeing_after} of {comparison.total} "
        f"scenarios agree ({verdict})"
    )


def _changes_text(comparison: Any) -> list[str]:
    lines = []
    for label, status in (("Fixed", "fixed"), ("Broken", "broken")):
        items = [c for c in comparison.changes if c.status == status]
        if not items:
            lines.append(f"  {label}: none")
            continue
        lines.append(f"  {label} ({len(items)}):")
        for c in items:
            lines.append(f"    {c.scenario}: {c.before} → {c.after} (estimate {c.target})")
    moved = [c for c in comparison.changes if c.status in ("still agrees", "still disagrees")]
    if moved:
        lines.append(f"  Also moved ({len(moved)}):")
        for c in moved:
            lines.append(f"    {c.scenario}: {c.before} → {c.after} ({c.status})")
    return lines


def threshold_text(t: ThresholdSuggestion) -> str:
    verdict = "the most possible" if t.proven_optimal else f"best found; at most {t.upper_bound} possible"
    lines = [_agreement_line("Thresholds", t.comparison, verdict)]
    for title, bands in (("Profile grades", t.profile_grades), ("Engagement levels", t.engagement_levels)):
        cells = []
        for b in bands:
            if b.moved:
                cells.append(f"{b.name} {fmt.number(b.before, 9)} → {fmt.number(b.after, 9)}")
            else:
                cells.append(f"{b.name} {fmt.number(b.before, 9)}")
        suffix = "" if any(b.moved for b in bands) else "   (unchanged)"
        lines.append(f"  {title + ':':19} " + " · ".join(cells) + suffix)
    if t.changed:
        lines.append(f"  Total move: {fmt.number(t.total_move, 9)} points")
    lines += _changes_text(t.comparison)
    lines += [f"  note: {n}" for n in t.notes]
    return "\n".join(lines)


def weight_text(w: WeightSuggestion) -> str:
    verdict = {"optimal": "the most possible", "time limit": "best found before the time limit"}.get(w.status, w.status)
    lines = [_agreement_line(f"Weights (steps of {fmt.number(w.step, 9)} points)", w.comparison, verdict)]
    for section, title in (("profile", "ICP weights"), ("engagement", "Activity weights")):
        rows = [c for c in w.weights if c.section == section]
        if not rows:
            continue
        if not any(c.moved for c in rows):
            lines.append(f"  {title}: unchanged")
            continue
        lines.append(f"  {title}:")
        width = max(len(c.name) for c in rows)
        for c in rows:
            change = f"{fmt.number(c.before, 9)} → {fmt.number(c.after, 9)}" if c.moved else fmt.number(c.before, 9)
            extra = []
            if c.locked:
                extra.append("locked")
            if c.fixes:
                extra.append("fixes: " + "; ".join(c.fixes))
            if c.breaks:
                extra.append("breaks: " + "; ".join(c.breaks))
            line = f"    {c.name:<{width}}  {change:<16}" + ("  " + " · ".join(extra) if extra else "")
            lines.append(line.rstrip())
    if w.changed:
        lines.append(f"  Total move: {fmt.number(w.total_move, 9)} points")
    lines += _changes_text(w.comparison)
    lines += [f"  note: {n}" for n in w.notes]
    return "\n".join(lines)


def alignment_text(a: Any) -> str:
    kappa = "–" if a.fleiss_kappa is None else f"{a.fleiss_kappa:.2f}"
    lines = [f"Team alignment — Fleiss' kappa {kappa} over {a.fleiss_scenarios} scenario(s) with ≥ 2 member estimates"]
    for p in a.pairs:
        if p.scenarios:
            k = "–" if p.kappa is None else f"{p.kappa:.2f}"
            lines.append(
                f"  {p.member_a} × {p.member_b}: {p.agreeing}/{p.scenarios} agree "
                f"({fmt.number(p.percent, 0)} %), kappa {k}"
            )
    disputed = a.most_disputed[:5]
    if disputed:
        lines.append("  Most disputed:")
        for s in disputed:
            counts = ", ".join(f"{state} {n}" for state, n in s.counts.items())
            lines.append(f"    {s.scenario}: {counts} → consensus {s.consensus}")
    return "\n".join(lines)


def sensitivity_text(s: Sensitivity) -> str:
    n = fmt.number(s.points)
    lines = [f"Sensitivity — weights that change the most scenarios' cell at ±{n} points"]
    for r in s.tornado[:10]:
        lines.append(f"  {r.weight} ({r.section}): −{n}: {r.minus}, +{n}: {r.plus}")
    lines.append("  Closest to a band edge:")
    near = sorted(
        (sc for sc in s.scenarios if sc.nearest_edge is not None), key=lambda sc: sc.nearest_edge[1]  # type: ignore[index]
    )
    for sc in near[:10]:
        axis, pts, direction, band = sc.nearest_edge  # type: ignore[misc]
        flip = sc.flips[0] if sc.flips else None
        how = ""
        if flip is not None:
            how = f"; {flip.weight} {flip_text(flip)} → {flip.cell_to} / {flip.state_to}"
        lines.append(f"    {sc.scenario} ({sc.cell}): {fmt.number(pts, 2)} points {direction} to {band}{how}")
    return "\n".join(lines)
