"""Shared constants and helpers of the lead-list tests (fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from workbook.files import load_model_text
from workbook.leads import SCORED_COLUMNS
from workbook.model import ScoringModel

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
X_EDUCATION_CSV = SHARED / "data" / "x-education" / "Leads.csv"
AS_OF = dt.date(2026, 3, 1)  # a fixed "today": results must not depend on the day the suite runs
ROWS = 10_000

# Every match kind, decimal weights (33.3 …), negative scores, knockouts on a weight-0 attribute,
# two attributes reading one column, a value without `match`, text with quotes, %, _ and a
# backslash, column names with spaces and punctuation, and band minimums that scores reach exactly.
ALL_KINDS_YAML = r"""
schema_version: 1
name: Every match kind
states: [{name: Send to sales}, {name: Qualify}, {name: Nurture}, {name: Ignore}]
profile_grades: [{grade: A, min: 66.6}, {grade: B, min: 33.3}, {grade: C, min: 10.01}, {grade: D, min: 0}]
engagement_levels: [{level: 1, min: 75}, {level: 2, min: 41.7}, {level: 3, min: 12.5}, {level: 4, min: 0}]
matrix: {A1: Send to sales, A2: Send to sales, A3: Qualify, A4: Nurture,
         B1: Send to sales, B2: Qualify, B3: Nurture, B4: Nurture,
         C1: Qualify, C2: Qualify, C3: Nurture, C4: Ignore,
         D1: Nurture, D2: Ignore, D3: Ignore, D4: Ignore}
missing: zero
profile:
  - name: Role
    weight: 33.3
    column: Job Title
    values:
      - {label: RevOps, score: 100, match: {contains: [sales ops, revops]}}
      - {label: VP Sales, score: 80, match: {equals: [VP Sales, " CRO "]}}
      - {label: Manager, score: 50}
      - {label: Student, score: 0, knockout: true, match: {contains: [student]}}
      - {label: Unknown, score: 10, match: {empty: true}}
  - name: Seats
    weight: 33.3
    column: "Seats (#)"
    values:
      - {label: "1000+", score: 100, match: {min: 1000}}
      - {label: 100-999, score: 70, match: {min: 100, max: 1000}}
      - {label: 10-99, score: 35.5, match: {min: 10, max: 100}}
      - {label: Under 10, score: -20, match: {max: 10}}
  - name: Region
    weight: 33.4
    column: Country / Region
    values:
      - {label: North America, score: 100, match: {equals: [US, "Canada "]}}
      - {label: Odd text, score: 60, match: {contains: ["o'neil", "50%_off", 'back\slash']}}
      - {label: Accents, score: 40, match: {equals: [Zürich, ÉCOLE, straße]}}
  - name: Internship
    weight: 0
    column: Job Title
    values:
      - {label: Intern, score: 0, knockout: true, match: {contains: [intern]}}
engagement:
  - name: Demo request
    weight: 41.7
    column: demo date
    values:
      - {label: This week, score: 100, match: {within_days: 7}}
      - {label: This month, score: 66.6, match: {within_days: 30}}
      - {label: Today, score: 90, match: {within_days: 0}}
      - {label: This year, score: 12.5, match: {within_days: 365}}
  - name: Visits
    weight: 25
    column: visits
    values:
      - {label: Many with a one, score: 100, match: {contains: ["1"], min: 10}}
      - {label: Some, score: 40, match: {min: 0, max: 10}}
      - {label: None recorded, score: -10, match: {empty: true}}
  - name: E-mail
    weight: 33.3
    column: email status
    values:
      - {label: Clicked, score: 100, match: {equals: [clicked]}}
      - {label: Opened, score: 50.5, match: {equals: [opened]}}
      - {label: Unsubscribed, score: -100, match: {equals: [unsubscribed]}}
      - {label: Bounced, score: 0, knockout: true, match: {contains: [bounce]}}
"""

# Text that must be quoted in SQL and escaped in dbt's Jinja, and a column name with both quotes.
QUOTES_YAML = r"""
schema_version: 1
name: "Quotes 'n' {{ braces }} -- and a comment"
states: [{name: "Send 'em"}, {name: Drop}]
profile_grades: [{grade: A, min: 50}, {grade: B, min: 0}]
engagement_levels: [{level: 1, min: 0}]
matrix: {A1: "Send 'em", B1: Drop}
profile:
  - name: Odd
    weight: 100
    column: 'we"ird `col` o''clock'
    values:
      - {label: Hit, score: 100, match: {contains: ["it's", '\n', "%", "_", "'; DROP TABLE leads; --"]}}
      - {label: "Eq 'x'", score: 60, match: {equals: ['back\slash', "tab	in"]}}
engagement: []
"""


# A century of recency and the calendar's edge cases: which of these texts are dates?
DATES_YAML = """
schema_version: 1
name: Calendar edges
states: [{name: Hot}, {name: Cold}]
profile_grades: [{grade: A, min: 50}, {grade: B, min: 0}]
engagement_levels: [{level: 1, min: 0}]
matrix: {A1: Hot, B1: Cold}
profile:
  - name: Seen
    weight: 100
    column: seen
    values: [{label: Within a century, score: 100, match: {within_days: 36500}}]
"""
DATE_CELLS = {  # cell → is it a date within 36,500 days before 2026-03-01?
    "2024-02-29": True, "2023-02-29": False, "1900-02-29": False, "2000-02-29": True, "0000-01-01": False,
    "2026-02-30": False, "2026-04-31": False, "2025-04-30": True, "2025-13-01": False, "2025-00-10": False,
    "2025-01-00": False, "2025-12-31T23:59:59Z": True, "2026-03-02": False, "1999-12-31 10:00": True,
    "1926-03-26": True, "1926-03-25": False, " 2025-06-01 ": True, "2025-6-01": False, "": False, None: False,
}


def load_example(name: str) -> ScoringModel:
    path = REPO / "scenarios" / name
    if not path.exists():
        pytest.skip(f"example model {path} is not there yet")
    return load_model_text(path.read_bytes()).model


def neutral(model: ScoringModel) -> ScoringModel:
    return model.model_copy(update={"missing": "neutral"})



def as_python(value: object) -> object:
    """A scored cell as a plain Python value (None for NA), for comparisons."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def exact_9(value: object) -> Fraction | None:
    """A percentage (float or Decimal) as the exact number it stands for, rounded to 9 places."""
    return None if value is None else Fraction(round(Fraction(value), 9))


def differences(expected: pd.DataFrame, actual: pd.DataFrame, limit: int = 5) -> dict[str, list[tuple]]:
    """Per scored column, the first rows where the two results differ (empty when equal)."""
    out: dict[str, list[tuple]] = {}
    assert len(expected) == len(actual)
    for column in SCORED_COLUMNS:
        e = [as_python(v) for v in expected[column]]
        a = [as_python(v) for v in actual[column]]
        if column.endswith("_pct"):
            e, a = [exact_9(v) for v in e], [exact_9(v) for v in a]
        bad = [(i, x, y) for i, (x, y) in enumerate(zip(e, a, strict=True)) if x != y]
        if bad:
            out[column] = bad[:limit]
    return out


def spark_available() -> tuple[bool, str]:
    """Is a local Spark session possible here (pyspark importable, java on PATH)?"""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False, "pyspark is not installed"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return False, "java is not installed"
    return True, ""
