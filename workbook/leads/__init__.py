"""Lead lists: reading them, scoring them (vectorized and per-row reference) and reporting on them.

The public API:

* :func:`read_lead_list` / :func:`read_lead_bytes` — a CSV or .xlsx file as a table of text;
* :func:`score_leads` — the vectorized scorer (input columns + :data:`SCORED_COLUMNS`, and the
  data-quality report); :func:`score_leads_naive` — the per-row reference path;
* :func:`distribution` and :func:`outcome_report` — count and share per cell and state, and
  conversion rates and lift against an outcome column.
"""

from workbook.leads.reading import (
    LeadList,
    LeadListError,
    MissingColumns,
    check_columns,
    max_leads_bytes,
    read_lead_bytes,
    read_lead_list,
    required_columns,
)
from workbook.leads.reports import Distribution, Group, Outcome, distribution, outcome_report, parse_outcome
from workbook.leads.scoring import SCORED_COLUMNS, ScoredLeads, Unmatched, score_leads, score_leads_naive

__all__ = [
    "SCORED_COLUMNS",
    "Distribution",
    "Group",
    "LeadList",
    "LeadListError",
    "MissingColumns",
    "Outcome",
    "ScoredLeads",
    "Unmatched",
    "check_columns",
    "distribution",
    "max_leads_bytes",
    "outcome_report",
    "parse_outcome",
    "read_lead_bytes",
    "read_lead_list",
    "required_columns",
    "score_leads",
    "score_leads_naive",
]
