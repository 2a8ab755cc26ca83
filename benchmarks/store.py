"""Benchmark: saving one edit to a workbook with a 500-revision history.

Builds a workbook of 500 revisions from scenarios/sales_automation.yaml (or a model made
in code when the file is missing) in a fresh SQLite file, then times 200 single-edit
commits (a weight change each) — the cost a workshop participant waits for on every
edit, fsync included (WAL, synchronous=FULL). Goal: p95 ≤ 20 ms.

    PYTHONPATH=. python benchmarks/store.py [--history 500] [--edits 200] [--db PATH]

The last line is JSON: {"history": 500, "edits": 200, "p50_ms": …, "p95_ms": …, "max_ms": …}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workbook.files import load_model_file  # noqa: E402
from workbook.model import ScoringModel  # noqa: E402
from workbook.store import Store  # noqa: E402

EXAMPLE = REPO / "scenarios" / "sales_automation.yaml"


def example_model() -> ScoringModel:
    if EXAMPLE.is_file():
        return load_model_file(EXAMPLE).model
    return _model_in_code()


def _model_in_code() -> ScoringModel:
    states = ["Send to sales", "Qualify", "Nurture", "Ignore"]
    grades, levels = ["A", "B", "C", "D"], ["1", "2", "3", "4"]

    def factors(prefix: str, n: int) -> list[dict]:
        return [
            {
                "name": f"{prefix} {i}",
                "weight": 100 / n,
                "values": [{"label": f"value {j}", "score": 100 - 20 * j} for j in range(5)],
            }
            for i in range(n)
        ]

    profile, engagement = factors("Attribute", 6), factors("Activity", 8)
    return ScoringModel.model_validate(
        {
            "schema_version": 1,
            "name": "Benchmark model",
            "team": [{"name": f"Member {i}", "steering_committee": i < 3} for i in range(7)],
            "states": [{"name": s} for s in states],
            "profile_grades": [{"grade": g, "min": m} for g, m in zip(grades, [75, 50, 25, 0], strict=True)],
            "engagement_levels": [{"level": lv, "min": m} for lv, m in zip(levels, [50, 30, 10, 0], strict=True)],
            "matrix": {g + lv: states[min(i + j, 3)] for i, g in enumerate(grades) for j, lv in enumerate(levels)},
            "profile": profile,
            "engagement": engagement,
            "scenarios": [
                {
                    "name": f"Scenario {k}",
                    "profile": {f["name"]: f"value {(k + i) % 5}" for i, f in enumerate(profile)},
                    "engagement": {f["name"]: f"value {(k * i) % 5}" for i, f in enumerate(engagement)},
                    "estimate": {"state": states[k % 4]},
                }
                for k in range(21)
            ],
        }
    )


def with_weight(model: ScoringModel, index: int, weight: float) -> ScoringModel:
    """The session's edit: one attribute's weight."""
    new = model.model_copy(deep=True)
    new.profile[index % len(new.profile)].weight = weight
    return new


def run(history: int, edits: int, db: Path) -> dict:
    store = Store(db)
    model = example_model()
    info = store.create(model, author="Benchmark", source="example:sales_automation.yaml")
    number = 1
    for i in range(history - 1):
        model = with_weight(model, i, 10 + i % 37)
        number = store.commit(info.id, base_revision=number, new_model=model, author="Benchmark").revision
    assert store.get(info.id).head_revision == history, "every build edit must be a revision"

    times, cpu = [], []
    for i in range(edits):
        model = with_weight(model, i, 50 + i % 41)  # built outside the timing: the session already has it
        start, start_cpu = time.perf_counter(), time.process_time()
        number = store.commit(info.id, base_revision=number, new_model=model, author="Benchmark").revision
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    store.close()
    assert number == history + edits
    print(
        f"CPU time per commit (without waiting for the disk): median {statistics.median(cpu):.2f} ms, "
        f"p95 {_p95(cpu):.2f} ms"
    )
    return {
        "history": history,
        "edits": edits,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(_p95(times), 2),
        "max_ms": round(max(times), 2),
    }


def fsync_baseline(folder: Path, rounds: int = 50) -> tuple[float, float]:
    """Median and p95 (ms) of one 32 kB write + fsync in ``folder``: the floor under any durable commit."""
    times = []
    with open(folder / "fsync-probe.bin", "wb") as fh:
        for _ in range(rounds):
            fh.write(b"x" * 32768)
            fh.flush()
            start = time.perf_counter()
            os.fsync(fh.fileno())
            times.append((time.perf_counter() - start) * 1000)
    (folder / "fsync-probe.bin").unlink()
    return statistics.median(times), _p95(times)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=500)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    args = parser.parse_args()
    source = EXAMPLE.name if EXAMPLE.is_file() else "a model made in code"
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        db = args.db or Path(tmp) / "workbooks.db"
        print(f"building {args.history} revisions of {source} in {db} …", flush=True)
        result = run(args.history, args.edits, db)
        p50, p95 = fsync_baseline(db.parent)
        print(f"the disk itself: write + fsync median {p50:.2f} ms, p95 {p95:.2f} ms")
    print(
        f"{args.edits} single-edit commits: median {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"max {result['max_ms']} ms (goal: p95 ≤ 20 ms)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
