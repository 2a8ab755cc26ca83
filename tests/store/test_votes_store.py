"""The room's tables: the scenario on screen, votes, one ballot per voter (upsert), concurrency."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from store_models import base_model

from workbook.store import Store, StoreError
from workbook.store.votes import Room


@pytest.fixture
def room(db_path, store):
    r = Room(db_path)
    yield r
    r.close()


def test_an_older_database_gains_the_room_tables_on_open(db_path):
    with Store(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE room_ballots")
    conn.execute("DROP TABLE room_votes")
    conn.execute("DROP TABLE room_current")
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        info = store.create(base_model())
    room = Room(db_path)
    assert room.current(info.id) is None
    tables = {r[0] for r in sqlite3.connect(db_path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"room_current", "room_votes", "room_ballots"} <= tables


def test_current_scenario_moves_and_counts_changes(room, wb):
    assert room.current(wb.id) is None
    first = room.set_current(wb.id, "Scenario one", 0, by="Dana")
    second = room.set_current(wb.id, "Scenario two", 1)
    assert (first.scenario, first.position, first.by) == ("Scenario one", 0, "Dana")
    assert (second.scenario, second.position) == ("Scenario two", 1)
    assert second.changes == first.changes + 1
    assert room.current(wb.id) == second
    assert room.current("other") is None


def test_a_voter_has_one_ballot_per_vote_and_may_change_it(room, wb):
    vote = room.open_vote(wb.id, "Scenario one", ("state",), by="Dana")
    assert vote.status == "open" and vote.ballots == 0
    room.cast(vote.id, "Dana Ortiz", {"state": "Qualify"})
    after = room.cast(vote.id, "  dana   ORTIZ ", {"state": "Nurture"})
    assert after.ballots == 1
    assert [(b.voter, b.choices) for b in room.ballots(vote.id)] == [("dana ORTIZ", {"state": "Nurture"})]
    assert room.ballot_of(vote.id, "Dana Ortiz").choices == {"state": "Nurture"}
    assert room.ballot_of(vote.id, "Someone else") is None


def test_no_ballot_after_the_reveal_and_one_active_vote_per_workbook(room, wb):
    vote = room.open_vote(wb.id, "Scenario one", ("state", "profile"))
    room.cast(vote.id, "A", {"state": "Qualify", "profile": "B"})
    revealed = room.reveal(vote.id)
    assert revealed.status == "revealed" and revealed.revealed_at is not None
    with pytest.raises(StoreError, match="revealed the votes"):
        room.cast(vote.id, "B", {"state": "Ignore"})
    with pytest.raises(StoreError, match="cannot be revealed"):
        room.reveal(vote.id)
    assert room.active_vote(wb.id).id == vote.id
    second = room.open_vote(wb.id, "Scenario two", ("state",))
    assert room.vote(vote.id).status == "closed"
    assert room.active_vote(wb.id).id == second.id and second.asks == ("state",)
    room.close_vote(second.id)
    assert room.active_vote(wb.id) is None
    assert room.mark_recorded(vote.id, 7).recorded_revision == 7
    with pytest.raises(StoreError, match="needs the voter's name"):
        room.cast(second.id, "  ", {"state": "Ignore"})


def test_state_reads_scenario_and_vote_together(room, wb):
    room.set_current(wb.id, "Scenario one", 0)
    vote = room.open_vote(wb.id, "Scenario one", ("state",))
    room.cast(vote.id, "A", {"state": "Qualify"})
    state = room.state(wb.id)
    assert state.current.scenario == "Scenario one" and state.vote.id == vote.id and state.vote.ballots == 1


def test_twenty_voters_at_the_same_moment_all_count(db_path, store, wb):
    # Two Room objects (two connections, as two server processes would have) and twenty threads.
    rooms = [Room(db_path), Room(db_path)]
    vote = rooms[0].open_vote(wb.id, "Scenario one", ("state",))
    start = threading.Barrier(20)
    errors: list[Exception] = []

    def voter(i: int) -> None:
        start.wait()
        try:
            rooms[i % 2].cast(vote.id, f"Voter {i}", {"state": "Qualify"})
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=voter, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert rooms[1].vote(vote.id).ballots == 20
    assert {b.voter for b in rooms[0].ballots(vote.id)} == {f"Voter {i}" for i in range(20)}
