"""kill -9 in the middle of editing: every acknowledged edit is there after a restart.

A real child process opens the store on a real SQLite file and commits edits in a loop,
printing each revision number after ``commit`` returned (its acknowledgement). The test
reads some acknowledgements, kills the child with SIGKILL at a random moment, reopens the
store and checks that every acknowledged revision is there, unchanged, and that the head
is the last acknowledged revision or the one commit the child made but could not print.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_models import base_model

from workbook.store import Store

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _start(db_path: Path, workbook_id: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(HERE)]))
    return subprocess.Popen(
        [sys.executable, str(HERE / "store_child.py"), "loop", str(db_path), workbook_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _run_and_kill(db_path: Path, workbook_id: str, rng: random.Random) -> list[tuple[int, str]]:
    child = _start(db_path, workbook_id)
    acks = []
    try:
        for _ in range(rng.randint(3, 25)):
            line = child.stdout.readline()
            assert line, f"the child stopped early: {child.stderr.read()}"
            number, tag = line.split()
            acks.append((int(number), tag))
        time.sleep(rng.random() * 0.02)  # land the kill anywhere in the next edit
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    for line in child.stdout.read().splitlines():  # acknowledged before the kill, still in the pipe
        if line.strip():
            number, tag = line.split()
            acks.append((int(number), tag))
    return acks


def test_kill_9_mid_edit_loses_nothing_acknowledged(db_path):
    rng = random.Random(4)
    with Store(db_path) as s:
        workbook_id = s.create(base_model()).id
    all_acks: list[tuple[int, str]] = []
    for _ in range(4):  # kill and restart the "server" several times on the same file
        acks = _run_and_kill(db_path, workbook_id, rng)
        assert acks
        all_acks += acks
        with Store(db_path) as s:
            head = s.head(workbook_id)
            last_number, last_tag = acks[-1]
            for number, tag in all_acks:
                assert s.model_at(workbook_id, number).description == f"edit {tag}"
            assert head.number in (last_number, last_number + 1)
            if head.number == last_number:
                assert head.model.description == f"edit {last_tag}"
            else:  # committed, then killed before it could print
                base, i = last_tag.split("+")
                assert head.model.description == f"edit {base}+{int(i) + 1}"
            numbers = [r.number for r in s.history(workbook_id)]
            assert numbers == list(range(head.number, 0, -1))
            assert s.get(workbook_id).head_revision == head.number
    assert [n for n, _ in all_acks] == sorted({n for n, _ in all_acks})
