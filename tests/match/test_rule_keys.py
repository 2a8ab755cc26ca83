"""The table of match-rule keys is complete: every key of the model's ``Match`` has one entry,
every entry has every form, and the forms of a key agree with each other (per cell, vectorized
and in SQL on DuckDB), on the key's own samples and misses.

Adding a key: one entry in ``workbook.match.rules.RULE_KEYS`` plus one line in ``GOOD`` and
``BAD`` below (these tests fail until both are there).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from workbook.export.sql import to_sql
from workbook.match import RULE_KEYS, Cell, ColumnView, check_match, describe_match, match_rule
from workbook.match.row_cells import RowCell
from workbook.model import Match, ScoringModel

AS_OF = dt.date(2026, 3, 1)

# A well-formed rule using each key, and a malformed one (None: the key alone cannot be malformed).
GOOD: dict[str, dict] = {
    "equals": {"equals": ["VP Sales", " cro "]},
    "contains": {"contains": ["sales ops", "50%_off"]},
    "min": {"min": 10},
    "max": {"min": 10, "max": 100},
    "within_days": {"within_days": 7},
    "empty": {"empty": True},
}
BAD: dict[str, dict | None] = {
    "equals": {"equals": []},
    "contains": {"contains": ["sales", "  "]},
    "min": None,
    "max": {"min": 100, "max": 10},
    "within_days": {"within_days": -1},
    "empty": {"empty": False},
}
GENERIC_CELLS = ["", "   ", None, "x", "Other stuff", "12", "2026-02-28", "VP sales"]
FORMS = ("check", "words", "cell", "vector", "sql", "row", "samples", "misses")


def test_every_key_of_the_model_has_one_entry_in_the_same_order():
    assert list(RULE_KEYS) == list(Match.model_fields)
    assert all(key.name == name for name, key in RULE_KEYS.items())


@pytest.mark.parametrize("name", list(RULE_KEYS))
def test_every_key_has_every_form_and_its_tests(name):
    key = RULE_KEYS[name]
    for form in FORMS:
        value = getattr(key, form)
        assert value is not None, f"{name} has no {form} form"
        assert isinstance(value, RowCell) if form == "row" else callable(value), (name, form)
    assert key.reads in ("key", "lower", "number", "date", "empty")
    assert name in GOOD and name in BAD, f"add an example rule for {name} to GOOD and BAD"


@pytest.mark.parametrize("name", list(RULE_KEYS))
def test_validation_accepts_the_good_rule_and_locates_the_bad_one(name):
    assert RULE_KEYS[name].check(Match(**GOOD[name]), ("v",)) == []
    assert check_match(Match(**GOOD[name]), ("v",)) == []
    bad = BAD[name]
    if bad is not None:
        findings = RULE_KEYS[name].check(Match(**bad), ("v",))
        assert findings and all(loc[:2] == ("v", name) for loc, _ in findings), findings


def test_an_empty_rule_names_every_key():
    [(loc, message)] = check_match(Match(), ("profile", 0))
    assert loc == ("profile", 0)
    assert all(name in message for name in RULE_KEYS)


@pytest.mark.parametrize("name", list(RULE_KEYS))
def test_words_say_something_for_every_key(name):
    words = RULE_KEYS[name].words(Match(**GOOD[name]))
    assert words if name != "max" else words is None  # with a min, the min says both bounds
    if name == "max":
        assert RULE_KEYS[name].words(Match(max=5)) == "a number under 5"
    assert describe_match(Match(**GOOD[name])) not in ("", "any cell")


def test_words_for_empty_false_say_not_empty():
    assert describe_match(Match(empty=False)) == "the cell is not empty"
    assert describe_match(Match(equals=["US"], empty=True)) == "equals “US”; the cell is empty"


@pytest.mark.parametrize("name", list(RULE_KEYS))
def test_row_form_round_trips_the_value(name):
    key = RULE_KEYS[name]
    rule = Match(**GOOD[name])
    value = getattr(rule, name)
    assert key.row.from_cell(key.row.to_cell(value)) == value
    assert key.row.from_cell(key.row.blank) is None


def _cells_for(name: str, rule: Match) -> list[object]:
    rng = np.random.default_rng(3)
    key = RULE_KEYS[name]
    return list(dict.fromkeys([*key.samples(rng, rule, AS_OF), *key.misses(AS_OF), *GENERIC_CELLS]))


def _one_value_model(rule: Match) -> ScoringModel:
    return ScoringModel.model_validate({
        "schema_version": 1, "name": "one key",
        "states": [{"name": "Hit"}, {"name": "Miss"}],
        "profile_grades": [{"grade": "A", "min": 50}, {"grade": "B", "min": 0}],
        "engagement_levels": [{"level": "1", "min": 0}],
        "matrix": {"A1": "Hit", "B1": "Miss"},
        "profile": [{"name": "cell", "weight": 100,
                     "values": [{"label": "hit", "score": 100, "match": rule.model_dump(exclude_none=True)}]}],
        "engagement": [],
    })


@pytest.mark.parametrize("name", list(RULE_KEYS))
def test_per_cell_vectorized_and_sql_forms_agree_on_the_keys_samples(name):
    rule = Match(**GOOD[name])
    cells = _cells_for(name, rule)
    expected = [match_rule(rule, c, AS_OF) for c in cells]
    assert any(expected) and not all(expected), (name, cells)  # the samples exercise both sides
    # one key alone, in each of its forms
    key = RULE_KEYS[name]
    only = [key.cell(rule, Cell(c), AS_OF) for c in cells]
    series = pd.Series(cells, dtype="str")
    view = ColumnView(series)
    mask = np.append(key.vector(rule, view, AS_OF), key.cell(rule, Cell(None), AS_OF))
    assert mask[view.codes].tolist() == only
    # the whole rule in SQL
    con = duckdb.connect()
    con.register("leads", pd.DataFrame({"cell": series}))
    grades = [row[0] for row in con.execute(
        f"SELECT profile_grade FROM ({to_sql(_one_value_model(rule), 'duckdb', as_of=AS_OF, comment=False)})"
    ).fetchall()]
    assert [g == "A" for g in grades] == expected


def test_the_table_is_what_validation_reads():
    from workbook.validate import validate

    model = _one_value_model(Match(min=5, max=1))
    errors = [p.message for p in validate(model).errors if "match" in p.location]
    assert errors == [message for _, message in RULE_KEYS["max"].check(Match(min=5, max=1), ())]
