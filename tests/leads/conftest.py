"""Fixtures for the lead-list tests: example models, a model using every match kind, generated
leads, the real X Education list, and the per-row reference results (computed once per session)."""

from __future__ import annotations

import pandas as pd
import pytest
from leads_support import ALL_KINDS_YAML, AS_OF, ROWS, X_EDUCATION_CSV, load_example, neutral

from workbook.files import load_model_text
from workbook.leads import read_lead_list, score_leads_naive
from workbook.leads.synthetic import generate_leads
from workbook.model import ScoringModel


@pytest.fixture(scope="session")
def all_kinds() -> ScoringModel:
    return load_model_text(ALL_KINDS_YAML).model


@pytest.fixture(scope="session")
def sales() -> ScoringModel:
    return load_example("sales_automation.yaml")


@pytest.fixture(scope="session")
def x_education() -> ScoringModel:
    return load_example("x_education.yaml")


@pytest.fixture(scope="session")
def x_education_leads() -> pd.DataFrame:
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV} (shared/ is beside the repository)")
    return read_lead_list(X_EDUCATION_CSV).frame


class _Reference:
    """Per-row reference results, computed once per (case) and shared by the test modules."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[ScoringModel, pd.DataFrame, pd.DataFrame]] = {}

    def get(self, key: str, build) -> tuple[ScoringModel, pd.DataFrame, pd.DataFrame]:
        if key not in self._cache:
            model, leads = build()
            self._cache[key] = (model, leads, score_leads_naive(model, leads, AS_OF))
        return self._cache[key]


@pytest.fixture(scope="session")
def reference() -> _Reference:
    return _Reference()


CASES = ["all_kinds", "all_kinds_neutral", "sales", "sales_neutral"]


@pytest.fixture(scope="session")
def case(reference, all_kinds, sales):
    """case(name) → (model, leads, reference result) for 10,000 generated leads of one case."""

    def get(name: str):
        base = {"all_kinds": all_kinds, "sales": sales}[name.removesuffix("_neutral")]
        model = neutral(base) if name.endswith("_neutral") else base

        def build():
            return model, generate_leads(model, ROWS, as_of=AS_OF, seed=CASES.index(name) + 1, wide_numbers=True)

        return reference.get(name, build)

    return get


@pytest.fixture(scope="session", params=CASES)
def generated_case(request, case):
    """(name, model, leads, reference result) for each generated case."""
    return (request.param, *case(request.param))


@pytest.fixture(scope="session")
def x_education_case(reference, x_education, x_education_leads):
    return reference.get("x_education", lambda: (x_education, x_education_leads))
