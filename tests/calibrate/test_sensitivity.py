"""Sensitivity: edge distances, single-weight flips checked by re-scoring, tornado by brute force."""

from __future__ import annotations

import json
from fractions import Fraction

from calibrate_builders import REPO, model, random_models, scenario
from hypothesis import HealthCheck, given, settings

from workbook.calibrate import sensitivity
from workbook.calibrate.exactscore import UNIT, tables
from workbook.engine import exact
from workbook.files import load_model_file

TINY = Fraction(1, 10**4)


def rescaled(weights: list[Fraction], a: int, delta: Fraction) -> list[Fraction]:
    """Weight a changed by delta, the others scaled to keep the total (the documented rule)."""
    if delta == 0:
        return list(weights)
    total = sum(weights, Fraction(0))
    rest = total - weights[a]
    factor = (rest - delta) / rest
    return [w + delta if i == a else w * factor for i, w in enumerate(weights)]


def band(units: int, mins: list[Fraction]) -> int:
    return next(i for i, m in enumerate(mins) if m * UNIT <= units)


def bands_after(m, section: str, a: int, delta: Fraction) -> list[int]:
    tab = tables(m, m.scenarios).section(section)
    mins = [exact(b.min) for b in (m.profile_grades if section == "profile" else m.engagement_levels)]
    return [band(u, mins) for u in tab.units(rescaled(list(tab.weights), a, delta))]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(max_factors=3, max_scenarios=5))
def test_every_flip_is_where_re_scoring_says(m):
    sens = sensitivity(m)
    tabs = tables(m, m.scenarios)
    for s, sc in enumerate(sens.scenarios):
        for flip in sc.flips:
            tab = tabs.section(flip.section)
            a = tab.names.index(flip.weight)
            names = [b.grade for b in m.profile_grades] if flip.section == "profile" else [
                b.level for b in m.engagement_levels]
            now = bands_after(m, flip.section, a, Fraction(0))[s]
            d = Fraction(flip.delta).limit_denominator(10**12)
            total = sum(tab.weights, Fraction(0))
            ends = {-tab.weights[a], total - tab.weights[a]}
            if d == 0 and flip.strict and flip.direction > 0 and _exact_delta_or_none(m, flip.section, a, s) is None:
                # a jump: nothing present weighs anything, so any increase of a present weight flips it
                assert names[bands_after(m, flip.section, a, TINY)[s]] == flip.band_to
                continue
            exact_d = d if d in ends else _exact_delta(m, flip.section, a, s, d)
            after = bands_after(m, flip.section, a, exact_d)[s]
            if flip.strict:  # reaching delta keeps the band; going beyond it drops one
                assert after == now
                beyond = exact_d + flip.direction * TINY
                if -tab.weights[a] <= beyond <= sum(tab.weights) - tab.weights[a]:
                    assert names[bands_after(m, flip.section, a, beyond)[s]] == flip.band_to
            else:
                assert names[after] == flip.band_to
            half = exact_d / 2
            if abs(exact_d) > TINY and d not in ends:
                assert bands_after(m, flip.section, a, half)[s] == now  # nothing flips it sooner


def _exact_delta_or_none(m, section, a, s):
    from workbook.calibrate.sensitivity import _line

    return _line(tables(m, m.scenarios).section(section), s, a)


def _exact_delta(m, section, a, s, approx: Fraction) -> Fraction:
    """The float delta back as the exact crossing the module computed (same formula, Fractions)."""
    from workbook.calibrate.sensitivity import _bands, _line

    tab = tables(m, m.scenarios).section(section)
    line = _line(tab, s, a)
    assert line is not None
    edges = [lo for _, lo in _bands(m, section)]
    candidates = [d for d in (line.crossing(e) for e in edges) if d is not None]
    return min(candidates, key=lambda d: abs(d - approx))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(max_factors=3, max_scenarios=6))
def test_tornado_counts_match_re_scoring(m):
    sens = sensitivity(m, points=5)
    for row in sens.tornado:
        tab = tables(m, m.scenarios).section(row.section)
        a = tab.names.index(row.weight)
        now = bands_after(m, row.section, a, Fraction(0))
        for change, names in ((row.minus_change, row.minus_scenarios), (row.plus_change, row.plus_scenarios)):
            after = bands_after(m, row.section, a, Fraction(change).limit_denominator(10**6))
            expected = [m.scenarios[i].name for i in range(len(now)) if after[i] != now[i]]
            assert names == expected


def test_edge_distances_by_hand():
    # Profile 60 % (B: 50 ≤ 60 < 75): 15 points up to A, 10 points above B's minimum (down to C).
    m = model([(60, {"hi": 100, "lo": 0}), (40, {"hi": 100, "lo": 0})],
              scenarios=[scenario("x", {"P0": "hi", "P1": "lo"}, profile="B")])
    sc = sensitivity(m).scenarios[0]
    assert (sc.profile.band, sc.profile.up, sc.profile.up_to, sc.profile.down, sc.profile.down_to) == (
        "B", 15.0, "A", 10.0, "C")
    assert sc.nearest_edge == ("profile", 10.0, "down", "C") or sc.nearest_edge[0] == "engagement"
    flips = {(f.section, f.weight): f for f in sc.flips}
    # P0 down by 10 (P1 rescaled to 50): exactly 50 % is still B; beyond it, C. (Up to A would
    # take +15: further.)
    p0 = flips[("profile", "P0")]
    assert (p0.delta, p0.strict, p0.direction, p0.band_to, p0.cell_to) == (-10.0, True, -1, "C", "C4")
    # P1 up by 10 takes P0 to 50 · (100 − 50) / 60 = 50: the same edge from the other side.
    p1 = flips[("profile", "P1")]
    assert (p1.delta, p1.strict, p1.direction, p1.band_to) == (10.0, True, 1, "C")


def test_neutral_only_the_ends_flip_a_lone_value():
    # neutral: the lead has only P0 → 100 % whatever the weights … until P0 weighs nothing:
    # then nothing present weighs anything and the % is 0 (SPEC §3.3).
    m = model([(50, {"hi": 100}), (50, {"hi": 100})], missing="neutral",
              scenarios=[scenario("x", {"P0": "hi"}, profile="A")])
    sc = sensitivity(m).scenarios[0]
    flips = {f.weight: (f.delta, f.strict, f.band_to) for f in sc.flips if f.section == "profile"}
    assert flips == {"P0": (-50.0, False, "D"), "P1": (50.0, False, "D")}
    row = next(r for r in sensitivity(m, points=50).tornado if r.weight == "P0")
    assert (row.minus, row.plus) == (1, 0)


def test_the_example_workshop_tornado():
    m = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    s = sensitivity(m, points=5)
    assert len(s.tornado) == len(m.profile) + len(m.engagement)
    assert [r.total for r in s.tornado] == sorted((r.total for r in s.tornado), reverse=True)
    json.dumps(s.as_dict())
