"""SPEC §4 per cell, worked by hand: every match key, its edges and the decisions in workbook.match."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from workbook.match import cell_text, label_for, labels_for_row, match_value, parse_date, parse_number
from workbook.model import Activity, Match, ProfileAttribute, Value

AS_OF = dt.date(2026, 3, 1)


def value(label: str = "V", **rule) -> Value:
    return Value(label=label, score=100, match=Match(**rule) if rule else None)


def hits(v: Value, *cells) -> list[bool]:
    return [match_value(v, c, AS_OF) for c in cells]


# --------------------------------------------------------------------------------------------
def test_equals_ignores_case_and_surrounding_spaces_on_both_sides():
    v = value(equals=["VP Sales", " cro "])
    assert hits(v, "vp sales", "  VP SALES ", "CRO", "cro  ") == [True] * 4
    assert hits(v, "VP  Sales", "VP Sales Ops", "vp", "", None, float("nan")) == [False] * 6


def test_equals_trims_spaces_only_not_tabs_or_newlines():
    v = value(equals=["US"])
    assert hits(v, " US ", "US\t", "\nUS") == [True, False, False]


def test_a_value_without_match_matches_its_own_label():
    v = Value(label="Other role", score=0)
    assert hits(v, "other role", " Other Role ", "Other", "Other roles") == [True, True, False, False]


def test_contains_is_case_insensitive_and_keeps_spaces_of_the_substring():
    v = value(contains=["sales ops", "RevOps"])
    assert hits(v, "Head of Sales Ops EMEA", "REVOPS", "revopsy", "salesops", None) == [True, True, True, False, False]
    assert hits(value(contains=[" ops"]), "sales ops", "devops") == [True, False]


def test_contains_treats_sql_wildcards_and_quotes_as_plain_text():
    v = value(contains=["50%_off", "o'neil", "back\\slash"])
    assert hits(v, "get 50%_OFF now", "50% off", "50x_off", "Mr O'Neil", "a back\\slash b", "backslash") == [
        True, False, False, True, True, False]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10", True), ("9.999", False), ("10.0", True), ("99.99", True), ("100", False),  # 10 ≤ n < 100
        (" 42 ", True), ("+42", True), ("4.2e1", True), ("4.2E+01", True), (".5e2", True), ("50.", True),
        ("1,000", False), ("42 seats", False), ("$42", False), ("42%", False), ("", False), (None, False),
        ("inf", False), ("nan", False), ("1e400", False), ("4.2e001", False), ("０４２", False),
        (42, True), (42.0, True), (np.int64(42), True), (Decimal("42"), True), (True, False), (float("nan"), False),
    ],
)
def test_min_max_is_min_le_n_lt_max_on_plain_decimal_text(cell, expected):
    assert match_value(value(min=10, max=100), cell, AS_OF) is expected


def test_min_alone_and_max_alone():
    assert hits(value(min=5000), "5000", "4999.999", "1e9", "-5000") == [True, False, True, False]
    assert hits(value(max=10), "-5", "9.9999", "10", "abc") == [True, True, False, False]


def test_numbers_compare_as_binary64_floats():
    # 0.1 written in the file and 0.1 in a cell are the same float: on the bound, so it matches
    assert match_value(value(min=0.1, max=1), "0.1", AS_OF)
    assert not match_value(value(min=0, max=0.1), "0.1", AS_OF)
    # more digits than a float holds: read as the nearest float, which equals the bound here
    assert not match_value(value(min=0, max=0.3), "0.29999999999999999", AS_OF)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-01", True),  # the as-of date itself
        ("2026-02-22", True),  # exactly 7 days before
        ("2026-02-21", False),  # 8 days before
        ("2026-03-02", False),  # the future
        ("2026-02-25T09:30:00", True), ("2026-02-25 23:59:59.123+05:30", True), ("2026-02-25T00:00Z", True),
        ("2026-02-25T24:00", False), ("2026-02-25T9:30", False), ("2026-02-25 junk", False),
        (" 2026-02-25 ", True), ("2026-02-30", False), ("25/02/2026", False), ("20260225", False),
        ("0000-02-25", False), ("", False), (None, False),
        (dt.date(2026, 2, 25), True), (dt.datetime(2026, 2, 22, 23, 59), True),
        (pd.Timestamp("2026-02-21 23:59"), False), (pd.Timestamp("2026-02-28", tz="Asia/Tokyo"), True),
        (np.datetime64("2026-02-26"), True), (pd.NaT, False),
    ],
)
def test_within_days_counts_calendar_days_back_from_the_as_of_date(cell, expected):
    assert match_value(value(within_days=7), cell, AS_OF) is expected


def test_within_days_zero_is_the_as_of_date_only_and_leap_days_exist():
    assert hits(value(within_days=0), "2026-03-01", "2026-02-28") == [True, False]
    assert match_value(value(within_days=1), "2024-02-29", dt.date(2024, 3, 1))
    assert not match_value(value(within_days=400), "2023-02-29", dt.date(2024, 3, 1))


def test_within_days_defaults_to_today():
    today = dt.date.today()
    assert match_value(value(within_days=0), today.isoformat())
    assert not match_value(value(within_days=0), (today - dt.timedelta(days=1)).isoformat())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(None, True), (float("nan"), True), (pd.NA, True), (pd.NaT, True), (np.nan, True), ("", True),
     ("   ", True), ("\t", False), ("-", False), ("0", False), (0, False), ("Select", False)],
)
def test_empty_is_na_or_blank_text(cell, expected):
    assert match_value(value(empty=True), cell, AS_OF) is expected


def test_only_empty_matches_na():
    for rule in ({"equals": [""]}, {"contains": [""]}, {"min": 0}, {"max": 1}, {"within_days": 9}):
        assert not match_value(value(**rule), None, AS_OF), rule
    assert match_value(value(equals=[""]), "  ", AS_OF)  # an empty text equals "" after trimming
    assert match_value(value(contains=[""]), "x", AS_OF)


def test_several_keys_must_all_hold():
    v = value(contains=["1"], min=10)
    assert hits(v, "15", "21", "25", "1", "1x") == [True, True, False, False, False]
    v = value(equals=["a"], contains=["b"])
    assert hits(v, "a", "ab") == [False, False]


def test_a_match_without_keys_matches_everything():
    assert hits(value(), None) == [False]  # no match at all: label equality ("V")
    assert hits(Value(label="V", score=1, match=Match()), None, "x", "") == [True, True, True]


def test_first_matching_value_wins_and_no_match_is_missing():
    f = ProfileAttribute(name="Employees", weight=20, values=[
        value("5000+", min=5000), value("1000-4999", min=1000, max=5000), value("Any", min=0),
    ])
    assert [label_for(f, c, AS_OF) for c in ("7000", "1000", "3", "-1", "", None)] == [
        "5000+", "1000-4999", "Any", None, None, None]


def test_labels_for_row_reads_each_source_column_and_treats_absent_ones_as_na(all_kinds):
    row = {"Job Title": "Head of RevOps", "Seats (#)": "250", "demo date": "2026-02-27", "visits": ""}
    profile, engagement = labels_for_row(all_kinds, row, AS_OF)
    assert profile == {"Role": "RevOps", "Seats": "100-999", "Region": None, "Internship": None}
    assert engagement == {"Demo request": "This week", "Visits": "None recorded", "E-mail": None}


def test_cell_text_and_parsers():
    assert [cell_text(x) for x in (None, "a", 12.0, 12.5, 3, True, dt.date(2026, 1, 2))] == [
        None, "a", "12", "12.5", "3", "true", "2026-01-02"]
    assert cell_text(pd.Timestamp("2026-01-02 03:04:05")) == "2026-01-02 03:04:05"
    assert parse_number("-0") == 0 and math.copysign(1, parse_number("-0")) == -1
    assert parse_number("12abc") is None and parse_number(10**400) is None
    assert parse_date("2026-01-02T03:04:05+0100") == dt.date(2026, 1, 2)


def test_activity_and_attribute_read_the_same_way():
    a = Activity(name="Demo", weight=10, values=[value("Recent", within_days=30)])
    assert label_for(a, "2026-02-10", AS_OF) == "Recent"
