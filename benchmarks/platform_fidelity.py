"""Figures: how faithfully each marketing-automation platform reproduces the example models (issue 17).

For each platform pack (HubSpot, Account Engagement, Marketo, Dynamics 365 Customer Insights –
Journeys, Mautic): the share of leads whose state the platform's simulated scoring preserves,
and the scenarios whose state changes —

* on ``scenarios/sales_automation.yaml`` with synthetic leads (``generate_leads``, seed 7,
  as of 2026-12-01, ``--leads`` rows);
* on ``scenarios/x_education.yaml`` with the X Education lead list, if its CSV is given.

    PYTHONPATH=. python benchmarks/platform_fidelity.py [--leads 5000] [--x-education path/to/Leads.csv]

The last line is JSON: platform → example → share preserved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from workbook.examples import example_path
from workbook.export.platforms import account_engagement, dynamics, hubspot, marketo, mautic
from workbook.files import load_model_file
from workbook.leads import read_lead_list
from workbook.leads.synthetic import generate_leads

PACKS = {"hubspot": hubspot, "account-engagement": account_engagement, "marketo": marketo,
         "dynamics": dynamics, "mautic": mautic}
AS_OF = dt.date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=5000)
    parser.add_argument("--x-education", help="the X Education Leads.csv")
    args = parser.parse_args()
    sales = load_model_file(example_path("sales_automation.yaml")).model
    cases = [("sales_automation", sales, generate_leads(sales, args.leads, as_of=AS_OF, seed=7))]
    if args.x_education:
        xe = load_model_file(example_path("x_education.yaml")).model
        cases.append(("x_education", xe, read_lead_list(args.x_education).frame))
    figures: dict[str, dict[str, float | None]] = {}
    for name, pack in PACKS.items():
        for label, model, leads in cases:
            report = pack.fidelity(model, leads, AS_OF)
            figures.setdefault(name, {})[label] = report.share
            print(f"== {name} / {label}")
            print(report.text())
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
