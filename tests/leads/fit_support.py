"""A generated lead list whose true points are known, for the outcome tests (fit, leakage, CLI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.files import load_model_text
from workbook.model import ScoringModel

# True log-odds points per value; the model below starts with scores that get them wrong.
TRUE_POINTS = {
    "Role": {"Exec": 2.0, "Manager": 1.0, "Analyst": 0.0},
    "Size": {"Large": 0.5, "Small": 0.0},
    "Budget": {"Yes": 1.0, "No": -1.0, None: 0.0},  # None: the cell is empty (30 % of leads)
    "Demo": {"Requested": 2.5, "None": 0.0},
    "Webinar": {"Attended": 1.2, "Registered": 0.6, "No": 0.0},
}
INTERCEPT = -2.2
PROFILE = ("Role", "Size", "Budget")
ENGAGEMENT = ("Demo", "Webinar")

_MATRIX = """
matrix: {A1: Send to sales, A2: Send to sales, A3: Qualify, A4: Nurture,
         B1: Send to sales, B2: Qualify, B3: Nurture, B4: Nurture,
         C1: Qualify, C2: Qualify, C3: Nurture, C4: Ignore,
         D1: Nurture, D2: Ignore, D3: Ignore, D4: Ignore}
"""

KNOWN_POINTS_YAML = """
schema_version: 1
name: Known points
states: [{name: Send to sales}, {name: Qualify}, {name: Nurture}, {name: Ignore}]
profile_grades: [{grade: A, min: 75}, {grade: B, min: 50}, {grade: C, min: 25}, {grade: D, min: 0}]
engagement_levels: [{level: "1", min: 75}, {level: "2", min: 50}, {level: "3", min: 25}, {level: "4", min: 0}]
""" + _MATRIX + """
profile:
  - name: Role
    weight: 40
    values: [{label: Exec, score: 0}, {label: Manager, score: 50}, {label: Analyst, score: 100}]
  - name: Size
    weight: 40
    values: [{label: Large, score: 50}, {label: Small, score: 100}]
  - name: Budget
    weight: 20
    values: [{label: "Yes", score: 50}, {label: "No", score: 100}]
  - name: Tag
    weight: 0
    column: Sales tag
    values: [{label: Won, score: 0}, {label: Lost, score: 0}]
engagement:
  - name: Demo
    weight: 50
    values: [{label: Requested, score: 50}, {label: None, score: 100}]
  - name: Webinar
    weight: 50
    values: [{label: Attended, score: 0}, {label: Registered, score: 50}, {label: "No", score: 100}]
"""


def known_points_model() -> ScoringModel:
    return load_model_text(KNOWN_POINTS_YAML).model


def known_points_leads(rows: int = 4000, seed: int = 1, leak_noise: float = 0.02) -> pd.DataFrame:
    """Leads drawn with P(converted) = logistic(INTERCEPT + Σ true points), an id column, and a
    planted leaking column ``Sales tag`` that tells the outcome (wrong for ``leak_noise`` of leads)."""
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"Lead ID": [f"L{i:05d}" for i in range(rows)]}
    eta = np.full(rows, INTERCEPT)
    for name, points in TRUE_POINTS.items():
        labels = list(points)
        pick = rng.integers(0, len(labels), rows)
        if name == "Budget":
            pick = np.where(rng.random(rows) < 0.3, labels.index(None), rng.integers(0, 2, rows))
        eta += np.array([points[labels[i]] for i in pick])
        data[name] = [labels[i] for i in pick]
    converted = (rng.random(rows) < 1 / (1 + np.exp(-eta))).astype(int)
    flip = rng.random(rows) < leak_noise
    told = np.where(flip, 1 - converted, converted)
    data["Sales tag"] = np.where(told == 1, "Won", "Lost")
    data["Converted"] = converted.astype(str)
    frame = pd.DataFrame(data)
    return frame.astype({c: "str" for c in frame.columns if c != "Budget"})
