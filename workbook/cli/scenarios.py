"""``python -m workbook scenarios MODEL.yaml [--json]``: score the model's test scenarios and compare
them with the team's estimates (a table and the agreement sentence, or a JSON list)."""

from __future__ import annotations

import argparse
import json
import sys

from workbook import fmt
from workbook.cli.common import EXIT_OK, load, table
from workbook.engine import agreement, evaluate_scenarios
from workbook.validate import validate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="score the model's test scenarios and compare with the estimates")
    p.add_argument("model", metavar="MODEL.yaml")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per scenario")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args.model)
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
    print(table(header, rows, right_aligned={1, 2}))
    print()
    print(agreement(results).sentence())
    return EXIT_OK
