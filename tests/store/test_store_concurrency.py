"""Two or more sessions on one workbook, as threads and as processes: nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from store_models import base_model, edited

from workbook.model import Scenario
from workbook.store import ConflictError, Store

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _race(store_for, workbook_id, edits):
    """Run one commit per edit, all from revision 1, released at the same moment."""
    barrier = threading.Barrier(len(edits))
    outcomes: list = [None] * len(edits)

    def session(i, author, model):
        store = store_for(i)
        barrier.wait()
        try:
            outcomes[i] = store.commit(workbook_id, base_revision=1, new_model=model, author=author)
        except ConflictError as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=session, args=(i, a, m)) for i, (a, m) in enumerate(edits)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.fixture(params=["shared store", "store per session"])
def store_for(request, store, db_path):
    if request.param == "shared store":
        yield lambda i: store
    else:
        own = {}
        yield lambda i: own.setdefault(i, Store(db_path))
        for s in own.values():
            s.close()


def test_two_threads_disjoint_edits_both_land(store, wb, store_for):
    outcomes = _race(
        store_for,
        wb.id,
        [
            ("Sam", edited(base_model(), weight={"Job role": 65})),
            ("Kim", edited(base_model(), cell={"B2": "Qualify"})),
        ],
    )
    assert sorted(o.revision for o in outcomes) == [2, 3]
    assert store.head(wb.id).model == edited(base_model(), weight={"Job role": 65}, cell={"B2": "Qualify"})


def test_two_threads_conflicting_edits_one_wins_one_is_told(store, wb, store_for):
    outcomes = _race(
        store_for,
        wb.id,
        [
            ("Sam", edited(base_model(), weight={"Job role": 45})),
            ("Kim", edited(base_model(), weight={"Job role": 40})),
        ],
    )
    wins = [o for o in outcomes if not isinstance(o, ConflictError)]
    losses = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(wins) == 1 and len(losses) == 1 and wins[0].revision == 2
    assert store.get(wb.id).head_revision == 2
    winner = wins[0].model.profile[0].weight
    assert store.head(wb.id).model.profile[0].weight == winner
    loser = losses[0].conflicts[0]
    assert loser.theirs == winner and loser.mine == ({45, 40} - {winner}).pop()
    assert f"set {loser.mine:g}" in str(losses[0]) and f"set {winner:g}" in str(losses[0])


def test_many_threads_with_stale_bases_lose_nothing(store, wb):
    """Each session adds its own scenarios and sets its own cell from a base that is often stale."""
    cells = ["A1", "B2", "C3", "D4"]
    per_session = 6

    def session(i):
        for j in range(per_session):
            head = store.head(wb.id)
            model = head.model.model_copy(deep=True)
            model.scenarios.append(Scenario(name=f"s{i}-{j}"))
            model.matrix[cells[i]] = ["Send to sales", "Qualify", "Nurture", "Ignore"][j % 4]
            store.commit(wb.id, base_revision=head.number, new_model=model, author=f"session {i}")

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(cells))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    head = store.head(wb.id)
    names = {s.name for s in head.model.scenarios}
    assert {f"s{i}-{j}" for i in range(len(cells)) for j in range(per_session)} <= names
    last = ["Send to sales", "Qualify", "Nurture", "Ignore"][(per_session - 1) % 4]
    assert all(head.model.matrix[c] == last for c in cells)
    assert [r.number for r in store.history(wb.id)] == list(range(head.number, 0, -1))


# -- processes -----------------------------------------------------------------------------------
def _child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(HERE)])
    return env


def _process_race(db_path, workbook_id, edits):
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "store_child.py"),
                "edit",
                str(db_path),
                workbook_id,
                "1",
                author,
                json.dumps(changes),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_child_env(),
        )
        for author, changes in edits
    ]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready"
        for child in children:  # both go at once
            child.stdin.write("go\n")
            child.stdin.flush()
        return [json.loads(child.stdout.readline()) for child in children]
    finally:
        for child in children:
            child.wait(timeout=30)


def test_two_processes_disjoint_edits_both_land(store, wb, db_path):
    outcomes = _process_race(
        db_path, wb.id, [("Sam", {"weight": {"Job role": 65}}), ("Kim", {"score": {"Job role|CFO": 70}})]
    )
    assert sorted(o["revision"] for o in outcomes) == [2, 3]
    assert store.head(wb.id).model == edited(base_model(), weight={"Job role": 65}, score={("Job role", "CFO"): 70})


def test_two_processes_conflicting_edits_one_wins_one_is_told(store, wb, db_path):
    outcomes = _process_race(
        db_path, wb.id, [("Sam", {"weight": {"Job role": 45}}), ("Kim", {"weight": {"Job role": 40}})]
    )
    wins = [o for o in outcomes if "revision" in o]
    losses = [o for o in outcomes if "conflict" in o]
    assert len(wins) == 1 and len(losses) == 1 and wins[0]["revision"] == 2
    winner = store.head(wb.id).model.profile[0].weight
    assert winner in (40, 45) and losses[0]["theirs"] == [winner]
    assert "ICP weight 'Job role': you set" in losses[0]["conflict"]
    assert store.get(wb.id).head_revision == 2
