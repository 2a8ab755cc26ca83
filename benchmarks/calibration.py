"""Benchmark: calibration suggestions on large synthetic workshops (issue 6).

Models are made in code: 15 ICP attributes + 15 activities with 3–4 values each, the usual
4 × 4 grid, and scenarios with random values whose estimates come from a hidden "true"
model plus noise — so a good solution exists:

* thresholds: 1,000 scenarios; the hidden model has other band minimums (±8 points), and
  each grade or level estimate is off by one band with probability ``--noise``; 20 % of
  the scenarios give only a state. Goal: ≤ 1 s. The search stops proving optimality at
  its time limit (default 1 s); ``threshold_proof_*_s`` is the time the full proof takes
  (up to ``--proof-limit`` seconds).
* weights: 200 scenarios × 30 weights; the hidden model has other weights (±40 %). Goal:
  ≤ 5 s (the default time limit).

    PYTHONPATH=. python benchmarks/calibration.py [--seeds 3] [--noise 0.05] [--proof-limit 30]

The last line is JSON with medians over the seeds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workbook.calibrate import suggest_thresholds, suggest_weights  # noqa: E402
from workbook.engine import score_lead  # noqa: E402
from workbook.model import ScoringModel  # noqa: E402

STATES = ["Send to sales", "Qualify", "Nurture", "Ignore"]
GRID = {
    "A": ["Send to sales", "Send to sales", "Nurture", "Nurture"],
    "B": ["Send to sales", "Qualify", "Nurture", "Nurture"],
    "C": ["Qualify", "Qualify", "Nurture", "Ignore"],
    "D": ["Nurture", "Ignore", "Ignore", "Ignore"],
}


def synthetic_model(
    n_scenarios: int,
    *,
    seed: int,
    noise: float,
    band_shift: float,
    weight_noise: float,
    n_attributes: int = 15,
    n_activities: int = 15,
    state_only: float = 0.2,
) -> ScoringModel:
    """A workshop model whose scenario estimates come from a hidden, slightly different model."""
    rng = np.random.default_rng(seed)

    def section(prefix: str, n: int) -> list[dict]:
        w = np.round(rng.dirichlet(np.ones(n)) * 200) / 2  # half points
        w[-1] = 100 - w[:-1].sum()
        while w[-1] < 0:
            i = int(np.argmax(w[:-1]))
            w[i] -= 0.5
            w[-1] += 0.5
        out = []
        for i in range(n):
            k = int(rng.integers(3, 5))
            scores = sorted(rng.choice(np.arange(0, 101, 10), k, replace=False).tolist(), reverse=True)
            scores[0] = 100
            out.append({"name": f"{prefix} {i + 1}", "weight": float(w[i]),
                        "values": [{"label": f"v{j}", "score": float(s)} for j, s in enumerate(scores)]})
        return out

    data = {
        "schema_version": 1,
        "name": f"Synthetic workshop {seed}",
        "states": [{"name": s} for s in STATES],
        "profile_grades": [{"grade": g, "min": m} for g, m in zip("ABCD", (75, 50, 25, 0), strict=True)],
        "engagement_levels": [{"level": lv, "min": m} for lv, m in zip("1234", (60, 35, 15, 0), strict=True)],
        "matrix": {g + str(i + 1): s for g, row in GRID.items() for i, s in enumerate(row)},
        "profile": section("Attribute", n_attributes),
        "engagement": section("Activity", n_activities),
        "scenarios": [],
    }
    model = ScoringModel.model_validate(data)
    truth = model.model_copy(deep=True)
    for factors in (truth.profile, truth.engagement):
        w = np.array([f.weight for f in factors]) * rng.uniform(1 - weight_noise, 1 + weight_noise, len(factors))
        for f, x in zip(factors, w / w.sum() * 100, strict=True):
            f.weight = float(x)
    for bands in (truth.profile_grades, truth.engagement_levels):
        for b in bands[:-1]:
            b.min = float(b.min + rng.uniform(-band_shift, band_shift))
    grades, levels = "ABCD", "1234"
    for s in range(n_scenarios):
        profile = {f.name: f.values[int(rng.integers(len(f.values)))].label
                   for f in model.profile if rng.random() < 0.9}
        engagement = {f.name: f.values[int(rng.integers(len(f.values)))].label
                      for f in model.engagement if rng.random() < 0.6}
        r = score_lead(truth, profile, engagement)
        g, lv = r.profile_grade, r.engagement_level
        if rng.random() < noise:
            g = grades[min(3, max(0, grades.index(g) + int(rng.choice([-1, 1]))))]
        if rng.random() < noise:
            lv = levels[min(3, max(0, levels.index(lv) + int(rng.choice([-1, 1]))))]
        estimate = {"state": model.matrix[g + lv]}
        if rng.random() >= state_only:
            estimate.update(profile=g, engagement=lv)
        data["scenarios"].append(
            {"name": f"Scenario {s + 1}", "profile": profile, "engagement": engagement, "estimate": estimate}
        )
    return ScoringModel.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--noise", type=float, default=0.05)
    parser.add_argument("--proof-limit", type=float, default=30.0)
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))

    t_rows = []
    for seed in seeds:
        m = synthetic_model(1000, seed=seed, noise=args.noise, band_shift=8, weight_noise=0)
        started = time.perf_counter()
        s = suggest_thresholds(m)
        elapsed = time.perf_counter() - started
        c = s.comparison
        t_rows.append((elapsed, c.agreeing_before, c.agreeing_after, s.upper_bound, s.proven_optimal))
        print(f"thresholds, 1000 scenarios, seed {seed}: {elapsed:.2f} s, {c.agreeing_before} → "
              f"{c.agreeing_after} agree (at most {s.upper_bound}; proven: {s.proven_optimal}), "
              f"moved {', '.join(f'{b.name} {b.before:g}→{b.after:g}' for b in s.changed)}", flush=True)
    proof_times = []
    for seed, row in zip(seeds, t_rows, strict=True):
        m = synthetic_model(1000, seed=seed, noise=args.noise, band_shift=8, weight_noise=0)
        started = time.perf_counter()
        proof = suggest_thresholds(m, time_limit=args.proof_limit)
        proof_times.append(time.perf_counter() - started)
        print(f"thresholds, 1000 scenarios, seed {seed}, with time to prove: {proof_times[-1]:.2f} s, "
              f"{proof.comparison.agreeing_after} agree (the 1 s answer: {row[2]}), proven: {proof.proven_optimal}",
              flush=True)

    w_rows = []
    for seed in seeds:
        m = synthetic_model(200, seed=seed, noise=args.noise, band_shift=0, weight_noise=0.4)
        started = time.perf_counter()
        s = suggest_weights(m)
        elapsed = time.perf_counter() - started
        c = s.comparison
        w_rows.append((elapsed, c.agreeing_before, c.agreeing_after, s.status))
        print(f"weights, 200 scenarios × 30 weights, seed {seed}: {elapsed:.2f} s, {c.agreeing_before} → "
              f"{c.agreeing_after} agree ({s.status}), {len(s.changed)} weights moved, "
              f"total move {s.total_move:g} points", flush=True)

    result = {
        "threshold_scenarios": 1000,
        "threshold_median_s": round(statistics.median(r[0] for r in t_rows), 3),
        "threshold_max_s": round(max(r[0] for r in t_rows), 3),
        "threshold_agree_before_median": statistics.median(r[1] for r in t_rows),
        "threshold_agree_after_median": statistics.median(r[2] for r in t_rows),
        "threshold_proven": sum(r[4] for r in t_rows),
        "threshold_proof_median_s": round(statistics.median(proof_times), 2),
        "threshold_proof_max_s": round(max(proof_times), 2),
        "weight_scenarios": 200,
        "weight_count": 30,
        "weight_median_s": round(statistics.median(r[0] for r in w_rows), 3),
        "weight_max_s": round(max(r[0] for r in w_rows), 3),
        "weight_agree_before_median": statistics.median(r[1] for r in w_rows),
        "weight_agree_after_median": statistics.median(r[2] for r in w_rows),
        "weight_optimal": sum(r[3] == "optimal" for r in w_rows),
        "seeds": len(seeds),
        "noise": args.noise,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
